/** The dashboard's dictionaries: same keys in English and Chinese, no empty label, every key used exists. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';
import { DICTS } from './page.js';

const I18N = join(REPO, 'web', 'src', 'i18n');
const { en, zh } = DICTS;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('dashboard dictionaries', () => {
  it('have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('keep each area file in step: the same keys in English and Chinese', () => {
    const areas = join(I18N, 'areas');
    const files = readdirSync(areas).filter((f) => f.endsWith('.en.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const keys = (name: string): string[] =>
        Object.keys(JSON.parse(readFileSync(join(areas, name), 'utf8')) as object).sort();
      expect(keys(file.replace('.en.json', '.zh.json')), file).toEqual(keys(file));
    }
  });

  it('have no empty values', () => {
    for (const [lang, dict] of [
      ['en', en],
      ['zh', zh],
    ] as const) {
      const empty = Object.entries(dict).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
      expect(empty, lang).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en))
      expect(placeholders(zh[key] ?? ''), key).toEqual(placeholders(en[key]!));
  });

  it('translate the Chinese labels (only the brand and language names may stay as in English)', () => {
    const same = Object.keys(en).filter((k) => en[k] === zh[k] && !/[\u4e00-\u9fff]/.test(zh[k]!));
    expect(same.sort()).toEqual(
      ['app.title', 'common.notAvailable', 'field.rfm', 'lang.en', 'placeholder.title'].sort(),
    );
  });

  it('use the domain terms of DOMAIN.md in Chinese', () => {
    expect(zh['stage.exploration']).toBe('考察期');
    expect(zh['stage.formation']).toBe('形成期');
    expect(zh['stage.stability']).toBe('稳定期');
    expect(zh['stage.decline']).toBe('退化期');
    expect(zh['stage.exit']).toBe('离网');
    expect(zh['segments.value.group.I_lead']).toContain('铅质');
    expect(zh['segments.value.group.IV_gold']).toContain('金质');
    expect(zh['level.yellow']).toContain('关注');
    expect(zh['level.orange']).toContain('重点关注');
    expect(zh['level.red']).toContain('危机');
    expect(zh['nav.clv']).toBe('客户终身价值');
    expect(zh['nav.alerts']).toBe('流失预警');
  });

  it('contain every key the code names literally', () => {
    const used = new Set<string>();
    for (const file of sources(join(REPO, 'web', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^'$]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/'(nav\.[a-z]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
