// A decision, whoever makes it (banner, panel, placeholder, window.CMP, GPC): kept in the
// consent cookie, sent to the API, then put in force and announced. What it refuses takes
// effect at once; what it grants only once the API has recorded it, or once it is queued for a
// retry because the API could not be reached (never when the API refused it).
//
// The banner, the panel and the placeholders import decide() and this module closes them or
// re-runs them: each side calls the other only from inside functions, never while the modules
// are evaluated, so the order in which the bundle evaluates them does not matter.

import { flush } from './api.js';
import { hideBanner, showBanner } from './banner.js';
import { cleanup, release } from './blocking.js';
import { loadConfig } from './config.js';
import { t } from './i18n.js';
import { closePanel } from './panel.js';
import { announce, consentUpdate } from './signals.js';
import { compact, DAY_MS, everything, meet, resolve, snapshot, state } from './state.js';
import { consentStore } from './storage.js';
import { say } from './ui.js';

const grants = (choices) => Object.values(choices).includes(true);

/**
 * Make a decision; resolves with the consent once the API has answered (or a retry is queued).
 * `placeholder`: the service whose embed placeholder the visitor allowed.
 */
export async function decide(choices, services, source, placeholder) {
  const now = Date.now();
  const next = resolve(choices, services);
  const kept = compact(next);
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
    // What it was given for: after a revision change, the banner says what is new.
    k: listed().map((item) => item.id),
    x: placeholder,
    // Refusing everything after a consent withdraws it: the API's proof says "withdraw".
    w: identity.c && grants(identity.c) && !grants(kept.choices),
  };
  consentStore.write(state.record);
  hideBanner();
  closePanel();
  // What it refuses stops at once (Consent Mode hears it with the rest, once it is recorded).
  meet(state.consent, next);
  cleanup();
  await flush();
  // Still there (recorded, or queued for a retry) unless the API refused it.
  const stored = consentStore.read();
  if (stored && stored.d === now) {
    state.consent = next;
    apply();
    announce();
    // "Saved" only once the API has it; a queued decision is said to be sent later.
    if (source === 'banner' || source === 'panel') say(t(stored.q ? 'queued' : 'saved'));
  }
  return snapshot();
}

/** Put the consent in force to work. Consent Mode hears it before any released tag runs. */
export function apply() {
  consentUpdate();
  release();
  cleanup();
}

// Every category and service of the site: a decision keeps their ids, to tell later what is new.
const listed = () => [...state.config.categories, ...state.config.services];

// What the site asks consent for now that `record` (a decision for an earlier revision) did
// not know of: the names of the categories and services added since, or ''. A record kept before
// records listed them (no `k`) tells nothing.
export const news = (record) =>
  listed()
    .filter((item) => record.k && !record.k.includes(item.id))
    .map((item) => item.label || item.name)
    .join(', ');

// The API refused `record` because the site's revision changed since this page got its
// configuration (a cached script or banner): load the current one past every cache, and ask
// again, saying what is new. Until then nothing more runs than before, nor what was refused.
export async function revise(record) {
  state.config = await loadConfig(true);
  state.consent = meet(resolve(everything(false, true), {}), state.consent);
  apply();
  showBanner(news(record));
}
