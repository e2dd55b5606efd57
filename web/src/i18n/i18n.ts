/**
 * Translations: every label comes from `en.json` / `zh.json` (flat keys, same key set; a unit test checks
 * it). The dictionary of the chosen language is fetched once; numbers and dates are formatted per locale.
 */
/** The core dictionary plus one file per dashboard area (`areas/<area>.<lang>.json`), merged by the build. */
export type Dict = typeof import('./en.json') &
  typeof import('./areas/clv.en.json') &
  typeof import('./areas/survival.en.json') &
  typeof import('./areas/reports.en.json') &
  typeof import('./areas/retention.en.json');
export type Key = keyof Dict;
export type Lang = 'en' | 'zh';

const STORAGE_KEY = 'retain.lang';
const LOCALES: Record<Lang, string> = { en: 'en-US', zh: 'zh-CN' };

let lang: Lang = 'en';
let dict: Partial<Record<string, string>> = {};

export function currentLang(): Lang {
  return lang;
}

export function locale(): string {
  return LOCALES[lang];
}

/** The language stored in localStorage, else the browser's (Chinese when it prefers Chinese). */
export function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export async function loadLang(next: Lang): Promise<void> {
  const res = await fetch(new URL(`./i18n/${next}.json`, document.baseURI));
  if (!res.ok) throw new Error(`i18n ${next}: ${res.status}`);
  dict = (await res.json()) as Record<string, string>;
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** The label of `key` with `{name}` placeholders filled in. A missing key shows itself (tests catch it). */
export function t(key: Key, params?: Record<string, string | number>): string {
  const text = dict[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : typeof v === 'number' ? fmtNumber(v) : v;
  });
}

/** A translated label for a data value (`stage.active`, `rfm.seg.at_risk`), or the value itself. */
export function tValue(prefix: string, value: string): string {
  const key = `${prefix}.${slug(value)}`;
  return dict[key] ?? value;
}

export function hasKey(key: string): boolean {
  return dict[key] !== undefined;
}

export function slug(value: string): string {
  return value.replace(/[^A-Za-z0-9-]+/g, '_');
}

export function fmtNumber(n: number | null | undefined, digits?: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return t('common.notAvailable');
  const opts: Intl.NumberFormatOptions =
    digits === undefined
      ? { maximumFractionDigits: Number.isInteger(n) ? 0 : 2 }
      : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale(), opts).format(n);
}

/** Money without a currency symbol (the data carries none), two decimals. */
export function fmtMoney(n: number | null | undefined): string {
  return fmtNumber(n, 2);
}

/** A share 0..1 as a percentage with one decimal. */
export function fmtPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return t('common.notAvailable');
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

/** An ISO date (`2025-12-31`, or a timestamp) in the locale's medium form, read as UTC. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return t('common.notAvailable');
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

/** A month (`2025-12-31` or `2025-12`) as `Dec 2025` / `2025年12月`. */
export function fmtMonth(iso: string): string {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

/** A timestamp in the dashboard's language, in UTC like the other dates. */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'UTC',
  }).format(d);
}
