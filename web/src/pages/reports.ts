import { placeholderPage } from './placeholder.js';

/** The reports page (being built). */
export function reportsPage(_rest: string[], _query: URLSearchParams): HTMLElement {
  return placeholderPage('nav.reports');
}
