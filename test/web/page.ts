/**
 * What every dashboard test needs besides the server and the browser: the merged dictionaries (as the build
 * serves them), locale formatting as the dashboard does it, and waiting for a page to settle.
 */
import type { Page } from 'playwright-core';
import { mergedDictionary } from '../../scripts/dictionaries.mjs';
import { REPO } from '../helpers.js';

export type Lang = 'en' | 'zh';

export const DICTS: Record<Lang, Record<string, string>> = {
  en: mergedDictionary(REPO, 'en'),
  zh: mergedDictionary(REPO, 'zh'),
};
export const KEYS = Object.keys(DICTS.en);
export const LOCALE = { en: 'en-US', zh: 'zh-CN' } as const;

/** A number as the dashboard's fmtNumber shows it. */
export const num = (lang: Lang, n: number, digits?: number): string =>
  new Intl.NumberFormat(
    LOCALE[lang],
    digits === undefined
      ? { maximumFractionDigits: Number.isInteger(n) ? 0 : 2 }
      : { minimumFractionDigits: digits, maximumFractionDigits: digits },
  ).format(n);

/** A share 0..1 as the dashboard's fmtPercent shows it. */
export const pct = (lang: Lang, share: number, digits = 1): string =>
  new Intl.NumberFormat(LOCALE[lang], {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);

/** Wait until no card is loading and every chart has drawn. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.querySelector('main');
    if (!main || document.querySelector('[aria-busy="true"]')) return false;
    return [...document.querySelectorAll('.chart')].every((c) => c.querySelector('canvas'));
  });
}

/** Mark the shown page as old: each render makes a new `main`, so a fresh one means the new page is there. */
const markStale = (page: Page) =>
  page.evaluate(() => document.querySelector('main')?.setAttribute('data-stale', ''));

const freshPage = (page: Page, hash: string) =>
  page.waitForFunction((h) => location.hash === h && document.querySelector('main:not([data-stale])'), hash);

export async function visit(page: Page, hash: string): Promise<void> {
  const same = await page.evaluate((h) => location.hash === h, hash);
  if (!same) await markStale(page);
  await page.evaluate((h) => (location.hash = h), hash);
  await freshPage(page, hash);
  await settled(page);
}

/** Click something that changes the hash to `hash` (a pager, a select) and wait for the new page. */
export async function navigate(page: Page, action: () => Promise<unknown>, hash: string): Promise<void> {
  await markStale(page);
  await action();
  await freshPage(page, hash);
  await settled(page);
}

export async function setLang(page: Page, lang: Lang): Promise<void> {
  const already = await page.evaluate((l) => document.documentElement.lang.startsWith(l), lang);
  if (!already) await markStale(page);
  await page.click(`[data-testid=lang-${lang}]`);
  await page.waitForFunction(
    (l) => document.documentElement.lang.startsWith(l) && document.querySelector('main:not([data-stale])'),
    lang,
  );
  await settled(page);
}

/** Dictionary keys visible as text (an untranslated label shows its key). */
export async function visibleKeys(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  const tokens = new Set(text.match(/[A-Za-z][\w-]*(?:\.[\w-]+)+/g) ?? []);
  return KEYS.filter((k) => tokens.has(k));
}

export const texts = (page: Page, selector: string): Promise<string[]> =>
  page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText.trim()));

/** Log in on a fresh page with `token` and wait for `testid` (a page's root). Collects page errors. */
export async function login(page: Page, url: string, token: string, hash: string, testid: string) {
  await page.goto(`${url}/${hash}`);
  await page.waitForSelector('[data-testid=login]');
  await page.fill('[data-testid=login-token]', token);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector(`[data-testid=${testid}]`);
}

/** Collect uncaught page errors and console errors (a test expects none). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return errors;
}
