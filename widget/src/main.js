// Start-up and the public API on window.CMP: load the site's configuration, apply the kept
// decision (or the defaults, or a GPC refusal), release what may run, ask when needed.

/** Make a decision: apply it on the page, keep it in the cookie, send it to the API. */
function decide(choices, services, source) {
  const now = Date.now();
  state.consent = resolve(choices, services);
  const kept = compact(state.consent);
  // The visitor keeps its id (and proof history) while its token lives, even across a
  // revision change; after expiry the API would refuse the token, so it starts afresh.
  const previous = consentStore.read();
  const identity = previous && previous.e > now ? previous : {};
  state.record = {
    v: identity.v || null,
    t: identity.t || null,
    c: kept.choices,
    s: kept.services,
    r: state.config.revision,
    d: now,
    e: now + state.config.consent_max_age_days * DAY_MS,
    o: source,
    l: state.lang,
    q: 1,
  };
  consentStore.write(state.record);
  hideBanner();
  closePanel();
  apply();
  announce();
  if (source === 'banner' || source === 'panel') say(t('saved'));
  return flush().then(snapshot);
}

// Consent Mode hears the new state before any released tag runs.
function apply() {
  consentUpdate();
  release();
  cleanup();
}

async function boot() {
  settings = tagSettings();
  // With an inline configuration nothing is awaited: the banner goes in during this very
  // execution of the script, in time for the page's first paint.
  state.config = withDefaults(inlineConfig() || (await loadConfig()));
  state.lang = state.config.lang;
  const kept = consentStore.read();
  if (stillValid(kept)) {
    state.record = kept;
    state.consent = resolve(kept.c, kept.s);
  } else {
    state.consent = resolve(everything(false, true), {});
  }
  if (!state.record && gpcRequested()) {
    await decide(everything(false), {}, 'gpc');
  } else {
    // The banner goes in first: it should make the page's first paint, or the next frame.
    if (!state.record) showBanner();
    apply();
    if (state.record && state.record.q) flush();
  }
  watch();
}

// Any element with data-cmp-open (the footer's "Gestion des services") opens the panel.
document.addEventListener('click', (event) => {
  const target = event.target.closest && event.target.closest('[data-cmp-open]');
  if (!target) return;
  event.preventDefault();
  window.CMP.showPreferences().catch(() => {}); // a failed start-up was reported already
});

/**
 * The widget's JavaScript API.
 * @namespace CMP
 */
window.CMP = {
  /** @type {Promise<void>} Settles once the site's configuration is loaded and applied (set below). */
  ready: null,
  /**
   * The consent in force, or null before the configuration has loaded.
   * @returns {?{decided: boolean, choices: Object<string, boolean>, services: Object<string, boolean>,
   *   revision: string, source: ?string, decidedAt: ?string, expiresAt: ?string, visitorId: ?string,
   *   pending: boolean, lang: string}}
   */
  getConsent: () => (state.consent ? snapshot() : null),
  /**
   * Call `callback(consent)` after every decision.
   * @param {function(Object): void} callback
   * @returns {function(): void} a function that unsubscribes it
   */
  onChange(callback) {
    listeners.push(callback);
    return () => listeners.splice(listeners.indexOf(callback) >>> 0, 1);
  },
  /** Show the first layer again. @returns {Promise<void>} */
  showBanner: () => ready.then(showBanner),
  /** Open "Gestion des services". @returns {Promise<void>} */
  showPreferences: () => ready.then(showPreferences),
  /**
   * Grant every category (source "api"). Resolves with the consent once the API has answered
   * (or the decision is queued for a retry).
   * @returns {Promise<Object>}
   */
  acceptAll: () => ready.then(() => decide(everything(true), {}, 'api')),
  /** Refuse every refusable category, exempt ones included (source "api"). @returns {Promise<Object>} */
  refuseAll: () => ready.then(() => decide(everything(false), {}, 'api')),
};

// Start-up comes after window.CMP exists: with an inline configuration it runs to its end right
// here, and what it announces (a GPC refusal's cmp:consent event) may already call the API.
consentDefault();
const ready = (window.CMP.ready = boot().catch((error) => {
  console.error('CMP:', error.message);
  throw error;
}));
ready.catch(() => {}); // reported above; callers of the API still see the rejection
