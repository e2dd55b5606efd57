// Completes the dashboard build after `tsc -p web/tsconfig.json` (which writes dist/web/*.js): copies the
// page, the style sheet, the dictionaries and ECharts' ESM build (served locally; no CDN at run time).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { mergedDictionary } from './dictionaries.mjs';
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
  [join(echartsDir, 'dist', 'echarts.esm.min.js'), 'vendor/echarts.esm.min.js'],
];
for (const [from, to] of copies) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from.startsWith('/') ? from : join(root, from), target);
}

// One dictionary per language: the core file plus every area file, merged (a key defined twice fails).
mkdirSync(join(out, 'i18n'), { recursive: true });
for (const lang of ['en', 'zh'])
  writeFileSync(join(out, 'i18n', `${lang}.json`), JSON.stringify(mergedDictionary(root, lang)));
