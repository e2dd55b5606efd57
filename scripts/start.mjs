// `npm start`: until the dashboard exists, load the demo workspace and show what is in it.
import { spawnSync } from 'node:child_process';

const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
for (const args of [['demo'], ['info']]) {
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 2);
}
