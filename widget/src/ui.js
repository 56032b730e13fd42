// What the banner, the panel and iframe placeholders share: building elements without HTML
// strings (inventory texts only ever become text nodes), the shadow roots they live in, the
// stylesheet that themes them, switches, disclosures and the panel's focus trap.

import { t } from './i18n.js';

// WIDGET_CSS is no variable: the build (widget/build.py) puts widget.css there, minified, as a
// string literal. Named once, so that the bundle carries the styles once.
const STYLES = WIDGET_CSS;

let sheet = null;
let widget = null; // the shadow root of <cmp-widget>, made on first use
let uid = 0;

/** An element with attributes (`text` sets textContent, `on*` adds listeners) and children. */
export function h(tag, attrs, children) {
  const el = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (value == null || value === false) continue;
    if (name === 'text') el.textContent = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value);
  }
  for (const child of children || []) if (child) el.append(child); // strings become text nodes
  return el;
}

// Styles enter through a constructable stylesheet: that is CSSOM, which a strict CSP
// (style-src 'self', no 'unsafe-inline') allows, where a <style> element would be blocked.
export function shadow(host) {
  const root = host.attachShadow({ mode: 'open' });
  if (!('adoptedStyleSheets' in Document.prototype)) {
    root.append(h('style', { text: STYLES })); // older browsers: needs style-src 'unsafe-inline'
    return root;
  }
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
  }
  root.adoptedStyleSheets = [sheet];
  return root;
}

export function widgetRoot() {
  if (!widget) {
    const host = document.createElement('cmp-widget');
    widget = shadow(host);
    widget.append(h('div', { class: 'live', role: 'status' }));
    document.body.append(host);
  }
  return widget;
}

// Screen readers hear that the choices were saved, since the dialog that had focus is gone.
export function say(text) {
  const live = widgetRoot().querySelector('.live');
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 50);
}

export function button(label, onclick, extra) {
  return h('button', { type: 'button', class: 'b', text: label, onclick, ...extra });
}

/**
 * An on/off switch named by the element `labelId`; `onChange(on)` after each flip. A locked one
 * says "Toujours actif" and looks unlike one that is merely on (widget.css).
 */
export function toggle(labelId, on, locked, onChange) {
  const sw = button(locked ? t('always') : '', () => {
    const next = sw.getAttribute('aria-checked') !== 'true';
    sw.setAttribute('aria-checked', next);
    onChange(next);
  }, { role: 'switch', class: 'sw', 'aria-checked': String(on), 'aria-labelledby': labelId, disabled: locked });
  return sw;
}

/** A button that shows or hides `content` (aria-expanded), returned with it. */
export function disclosure(label, content) {
  content.id = 'x' + ++uid;
  content.hidden = true;
  const control = button(label, () => {
    content.hidden = !content.hidden;
    control.setAttribute('aria-expanded', !content.hidden);
  }, { class: 'more', 'aria-expanded': 'false', 'aria-controls': content.id });
  return [control, content];
}

// The element that really has focus, looking inside shadow roots (ours and the page's).
export function deepActive() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

// Tab and Shift+Tab cycle inside `container`; the page behind a modal is out of reach. Only the
// first and last controls matter: never a disabled switch, and every link has an href.
export function trapFocus(event, container) {
  if (event.key !== 'Tab') return;
  const items = [...container.querySelectorAll('button,a')].filter((el) => el.getClientRects().length);
  const first = items[0];
  const last = items[items.length - 1];
  const active = deepActive();
  if (event.shiftKey && (active === first || active === container)) {
    last.focus();
    event.preventDefault();
  } else if (!event.shiftKey && active === last) {
    first.focus();
    event.preventDefault();
  }
}
