import { placeholderPage } from './placeholder.js';

/** The clv page (being built). */
export function clvPage(_rest: string[], _query: URLSearchParams): HTMLElement {
  return placeholderPage('nav.clv');
}
