import { placeholderPage } from './placeholder.js';

/** The survival page (being built). */
export function survivalPage(_rest: string[], _query: URLSearchParams): HTMLElement {
  return placeholderPage('nav.survival');
}
