import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_TABLES, TABLE_SPECS } from '../../src/data/tables.js';
import { REPO } from '../helpers.js';

describe('table specs', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it('the README data-format table lists every field, required ones in bold', () => {
    for (const table of IMPORT_TABLES) {
      const row = readme.split('\n').find((l) => new RegExp(`^\\|\\s*\`${table}\`\\s*\\|`).test(l));
      expect(row, table).toBeDefined();
      for (const f of TABLE_SPECS[table].fields) {
        expect(row, `${table}.${f.name}`).toContain(f.required ? `**\`${f.name}\`**` : `\`${f.name}\``);
      }
    }
  });

  it('aliases do not collide within a table', () => {
    const norm = (s: string) => s.toLowerCase().replace(/[\s_\-.]/g, '');
    for (const table of IMPORT_TABLES) {
      const names = TABLE_SPECS[table].fields.flatMap((f) => [f.name, ...(f.aliases ?? [])].map(norm));
      expect(new Set(names).size, table).toBe(names.length);
    }
  });
});
