// The dashboard's dictionaries: web/src/i18n/<lang>.json plus web/src/i18n/areas/<area>.<lang>.json,
// merged into one flat object. Used by the build and by the tests, so both see the same labels.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The merged dictionary of `lang` ('en' | 'zh'); throws when two files define the same key. */
export function mergedDictionary(root, lang) {
  const dir = join(root, 'web', 'src', 'i18n');
  const files = [
    join(dir, `${lang}.json`),
    ...readdirSync(join(dir, 'areas'))
      .filter((f) => f.endsWith(`.${lang}.json`))
      .sort()
      .map((f) => join(dir, 'areas', f)),
  ];
  const merged = {};
  const origin = {};
  for (const file of files) {
    const dict = JSON.parse(readFileSync(file, 'utf8'));
    for (const [key, value] of Object.entries(dict)) {
      if (key in merged) throw new Error(`dictionary key ${key} is defined in ${origin[key]} and ${file}`);
      merged[key] = value;
      origin[key] = file;
    }
  }
  return merged;
}
