// Completes the dashboard build after `tsc -p web/tsconfig.json` (which writes dist/web/*.js): copies the
// page, the style sheet, the dictionaries and ECharts' ESM build (served locally; no CDN at run time).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const require = createRequire(import.meta.url);
const echartsDir = dirname(require.resolve('echarts/package.json'));

const copies = [
  ['web/index.html', 'index.html'],
  ['web/styles.css', 'styles.css'],
  ['web/src/i18n/en.json', 'i18n/en.json'],
  ['web/src/i18n/zh.json', 'i18n/zh.json'],
  [join(echartsDir, 'dist', 'echarts.esm.min.js'), 'vendor/echarts.esm.min.js'],
];
for (const [from, to] of copies) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from.startsWith('/') ? from : join(root, from), target);
}
