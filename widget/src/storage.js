// The consent cookie behind a three-method interface (read, write, clear): nothing else knows
// how a decision record is encoded or which cookie attributes it gets. It is the only storage
// the widget uses, first-party and declared by the inventory (service "cmp"), and it also
// carries a decision the API has not acknowledged yet, so no retry queue needs declaring.
//
// A record (built in decision.js): {v: visitor id, t: API token, c: category choices, s: service
// refinements, r: revision, d: decided at (ms), e: expires at (ms), o: source, l: lang,
// q: 1 while the API has not acknowledged it, k: the ids of the categories and services the site declared then}, kept as base64url JSON.

import { state } from './state.js';

export const consentStore = {
  read() {
    const name = state.config.cookie.name.replace(/[.]/g, '\\.');
    const match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]+)'));
    if (!match) return null;
    try {
      const record = JSON.parse(atob(match[1].replace(/-/g, '+').replace(/_/g, '/')));
      // Only what a record needs to be used; anything else in a tampered cookie is ignored.
      return record && record.c && record.e > 0 ? record : null;
    } catch (corrupt) {
      return null;
    }
  },

  write(record) {
    const value = btoa(JSON.stringify(record)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    setCookie(value, Math.max(0, Math.round((record.e - Date.now()) / 1000)));
  },

  clear() {
    setCookie('', 0);
  },
};

function setCookie(value, maxAgeS) {
  const cookie = state.config.cookie;
  let text = cookie.name + '=' + value + '; Max-Age=' + maxAgeS + '; Path=/; SameSite=Lax';
  if (location.protocol === 'https:') text += '; Secure';
  // A parent domain (".example.fr") shares the decision across the site's hosts; it is used
  // only where this page is under it, since the browser would silently drop the cookie.
  const domain = (cookie.domain || '').replace(/^\./, '');
  if (domain && (location.hostname === domain || location.hostname.endsWith('.' + domain))) text += '; Domain=' + domain;
  document.cookie = text;
}
