// A decision, whoever makes it (banner, panel, placeholder, window.CMP, GPC): applied on the
// page at once, kept in the consent cookie, announced, then sent to the API.
//
// The banner, the panel and the placeholders import decide() and this module closes them or
// re-runs them: each side calls the other only from inside functions, never while the modules
// are evaluated, so the order in which the bundle evaluates them does not matter.

import { flush } from './api.js';
import { hideBanner } from './banner.js';
import { cleanup, release } from './blocking.js';
import { t } from './i18n.js';
import { closePanel } from './panel.js';
import { announce, consentUpdate } from './signals.js';
import { compact, DAY_MS, resolve, snapshot, state } from './state.js';
import { consentStore } from './storage.js';
import { say } from './ui.js';

/** Make a decision; resolves with the consent once the API has answered (or a retry is queued). */
export function decide(choices, services, source) {
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

/** Put the consent in force to work. Consent Mode hears it before any released tag runs. */
export function apply() {
  consentUpdate();
  release();
  cleanup();
}
