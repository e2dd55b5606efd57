import { placeholderPage } from './placeholder.js';

/** The retention page (being built). */
export function retentionPage(_rest: string[], _query: URLSearchParams): HTMLElement {
  return placeholderPage('nav.retention');
}
