// The entry point: start-up and the public API on window.CMP. Load the site's configuration,
// apply the kept decision (or the defaults, or a GPC refusal), release what may run, ask when
// needed. Everything the widget does on its own begins here, in this order.

import { flush } from './api.js';
import { showBanner } from './banner.js';
import { watch } from './blocking.js';
import { inlineConfig, loadConfig, tagSettings, takeInlineConfig } from './config.js';
import { apply, decide, news } from './decision.js';
import { showPreferences } from './panel.js';
import { consentDefault, onChange } from './signals.js';
import { everything, resolve, snapshot, state, stillValid } from './state.js';
import { consentStore } from './storage.js';

async function boot(inline) {
  state.settings = tagSettings(inline);
  // Until a configuration says which languages the site offers: the visitor's first wish.
  state.lang = state.settings.wanted[0];
  // With an inline configuration nothing is awaited: the banner goes in during this very
  // execution of the script, in time for the page's first paint. Else it is loaded from the
  // API, and while it cannot be, again after 2 s, 4 s… up to every minute (at once on the
  // footer link message's "Réessayer"); until then no tracker that waits for consent runs.
  let config = inlineConfig();
  for (let wait = 1e3; !config; ) {
    try {
      config = await loadConfig();
    } catch (error) {
      console.error('CMP:', error.message);
      state.unreachable = 1;
      await new Promise((retry) => setTimeout((state.tryNow = retry), (wait = Math.min(wait * 2, 6e4))));
    }
  }
  state.unreachable = 0;
  state.config = config;
  state.lang = state.config.lang;
  const kept = consentStore.read();
  if (stillValid(kept)) {
    state.record = kept;
    state.consent = resolve(kept.c, kept.s);
  } else {
    state.consent = resolve(everything(false, true), {});
  }
  // Global Privacy Control: the visitor's browser asks not to be tracked, and the site honours
  // it as a refusal.
  if (!state.record && state.config.gpc && navigator.globalPrivacyControl) {
    await decide(everything(false), {}, 'gpc');
  } else {
    // The banner goes in first: it should make the page's first paint, or the next frame. After
    // a revision change it says what the site added since the visitor's decision.
    if (!state.record) showBanner(kept && news(kept));
    apply();
    if (state.record && state.record.q) flush();
  }
  watch();
}

/**
 * The consent in force, as getConsent() returns it and cmp:consent events carry it.
 * @typedef {Object} Consent
 * @property {boolean} decided false until the visitor (or GPC) has decided; then the defaults apply
 * @property {Object<string, boolean>} choices every category of the site, required ones included
 * @property {Object<string, boolean>} services every service of the site
 * @property {string} revision the site's revision the consent was given for
 * @property {?string} source "banner", "panel", "placeholder", "api" or "gpc"; null before a decision
 * @property {?string} decidedAt ISO 8601, null before a decision
 * @property {?string} expiresAt ISO 8601, null before a decision
 * @property {?string} visitorId the id the API gave, null until it has acknowledged a decision
 * @property {boolean} pending true while the API has not acknowledged the decision
 * @property {string} lang the language the widget speaks
 */

// Settled by start-up, but made first: window.CMP must be whole before start-up runs, since
// with an inline configuration start-up may announce a decision (a GPC refusal) during this
// very execution, and the page's cmp:consent listeners may call any of the API from there.
let started;
const ready = new Promise((resolve, reject) => (started = { resolve, reject }));

/**
 * The widget's JavaScript API. Every method may be called at once, also from a cmp:consent
 * listener during start-up: those that need the configuration wait for `ready`.
 * @namespace CMP
 */
window.CMP = {
  /** @type {Promise<void>} Settles once the site's configuration is loaded and applied. */
  ready,
  /**
   * The consent in force, or null before the configuration has loaded.
   * @returns {?Consent}
   */
  getConsent: () => (state.consent ? snapshot() : null),
  /**
   * Call `callback(consent)` after every decision.
   * @param {function(Consent): void} callback
   * @returns {function(): void} a function that unsubscribes it
   */
  onChange,
  /** Show the first layer again. @returns {Promise<void>} */
  showBanner: () => ready.then(showBanner),
  /** Open "Gestion des services". @returns {Promise<void>} */
  showPreferences: () => ready.then(showPreferences),
  /**
   * Grant every category (source "api"). Resolves with the consent once the API has answered
   * (or the decision is queued for a retry: then `pending` is true).
   * @returns {Promise<Consent>}
   */
  acceptAll: () => ready.then(() => decide(everything(true), {}, 'api')),
  /** Refuse every refusable category, exempt ones included (source "api"). @returns {Promise<Consent>} */
  refuseAll: () => ready.then(() => decide(everything(false), {}, 'api')),
};

// Any element with data-cmp-open (the footer's "Gestion des services") opens the panel, or,
// while the configuration cannot be loaded, a message that offers to try again at once.
document.addEventListener('click', (event) => {
  const target = event.target.closest && event.target.closest('[data-cmp-open]');
  if (!target) return;
  event.preventDefault();
  if (state.unreachable) showPreferences();
  else window.CMP.showPreferences().catch(() => {}); // a failed start-up was reported already
});

// Start-up, in this order: the inline configuration taken before anything can call the page's
// code (a gtag of its own); Consent Mode's default before any tag is released; then the rest.
const inline = takeInlineConfig();
consentDefault();
boot(inline).then(started.resolve, (error) => {
  console.error('CMP:', error.message);
  started.reject(error);
});
ready.catch(() => {}); // reported above; callers of the API still see the rejection
