import { h } from '../dom.js';
import { t, type Key } from '../i18n/i18n.js';
import { pageHeader } from '../ui.js';

/** A page whose API is not there yet: it exists in the navigation and says when it comes. */
export function placeholderPage(navKey: Key): HTMLElement {
  return h(
    'div',
    { class: 'page', 'data-testid': 'placeholder' },
    pageHeader(t(navKey)),
    h('section', { class: 'card' }, h('p', {}, t('placeholder.text'))),
  );
}
