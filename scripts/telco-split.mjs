// Writes test/fixtures/telco-test-ids.txt: a stratified 30 % test split of the IBM Telco customers.
// Within each Churn class the ids are ordered by md5("retain-telco-split:" + id) and the first 30 %
// (rounded) are the test set. The file is committed so that every learner here and the scikit-learn /
// R reference runs use exactly the same split. Run: node scripts/telco-split.mjs
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const lines = readFileSync('datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv', 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(',');
const id = header.indexOf('customerID');
const churn = header.indexOf('Churn');
const byClass = new Map();
for (const line of lines.slice(1)) {
  const f = line.split(',');
  const list = byClass.get(f[churn]) ?? [];
  list.push(f[id]);
  byClass.set(f[churn], list);
}
const key = (s) => createHash('md5').update(`retain-telco-split:${s}`).digest('hex');
const test = [];
for (const ids of byClass.values()) {
  ids.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  test.push(...ids.slice(0, Math.round(ids.length * 0.3)));
}
test.sort();
writeFileSync('test/fixtures/telco-test-ids.txt', `customerID\n${test.join('\n')}\n`);
console.log(`${test.length} test ids`);
