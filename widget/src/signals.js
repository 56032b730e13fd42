// What the page's other tags hear: Google Consent Mode v2 (a 'default' before any tag, an
// 'update' whenever consent is known or changes, mapped by the inventory's consent_mode), a
// cmp:consent DOM event and a dataLayer push on every decision. (Global Privacy Control: main.js.)

import { isGranted, snapshot, state } from './state.js';

const listeners = [];
const V2_SIGNALS = ['ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization'];

const dataLayer = () => (window.dataLayer = window.dataLayer || []);

function gtag() {
  // gtag.js reads Arguments objects from the dataLayer: push them as the page's gtag() would.
  if (typeof window.gtag === 'function') window.gtag.apply(window, arguments);
  else dataLayer().push(arguments);
}

// Runs synchronously when the script executes, so it precedes every tag the widget releases.
export function consentDefault() {
  const denied = { wait_for_update: 500 };
  for (const signal of V2_SIGNALS) denied[signal] = 'denied';
  gtag('consent', 'default', denied);
}

// A signal is granted when every category it lists is granted.
export function consentUpdate() {
  const mapping = state.config.consent_mode;
  const update = {};
  for (const signal in mapping) update[signal] = mapping[signal].every((category) => isGranted(category)) ? 'granted' : 'denied';
  if (Object.keys(update).length) gtag('consent', 'update', update);
}

export function announce() {
  const detail = snapshot();
  document.dispatchEvent(new CustomEvent('cmp:consent', { detail }));
  dataLayer().push({ event: 'cmp_consent', cmp: detail });
  for (const listener of listeners.slice()) {
    try {
      listener(snapshot());
    } catch (error) {
      console.error('CMP:', error);
    }
  }
}

/** Call `callback(consent)` after every decision; returns a function that unsubscribes it. */
export function onChange(callback) {
  listeners.push(callback);
  return () => listeners.splice(listeners.indexOf(callback) >>> 0, 1);
}

