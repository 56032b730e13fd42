// The consent API client: read the banner configuration, and send the visitor's decision until
// the API has acknowledged it. A decision is applied on the page and kept in the consent
// cookie first, so an unreachable API loses nothing: the cookie carries it, marked pending,
// to the next attempt, on this page or the next one.

import { revise } from './decision.js';
import { state } from './state.js';
import { consentStore } from './storage.js';

let queue = Promise.resolve(); // attempts run one after the other, never overlapping
let retryMs = 2000;
let retryTimer = null;

export function endpoint(path) {
  return new URL('v1/sites/' + encodeURIComponent(state.settings.site) + path, state.settings.api).href;
}

// `fresh`: past every cache, once the API has said the revision changed (the cached copy is stale).
export async function fetchBanner(lang, fresh) {
  const url = endpoint('/banner?lang=' + encodeURIComponent(lang));
  const response = await fetch(url, { credentials: 'omit', priority: 'high', cache: fresh ? 'no-store' : void 0 });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message);
  return body;
}

// A withdrawal (record.w, see decision.js) of a visitor the API knows is its DELETE, so that the
// proof says "withdraw"; anything else is a new decision.
async function post(record) {
  const headers = { 'Content-Type': 'application/json' };
  const known = record.v && record.t;
  if (known) headers.Authorization = 'Bearer ' + record.t;
  const withdraw = known && record.w;
  const response = await fetch(endpoint('/consents' + (withdraw ? '/' + record.v + '?source=' + record.o + '&lang=' + record.l : '')), {
    method: withdraw ? 'DELETE' : 'POST',
    headers,
    body: withdraw
      ? null
      : JSON.stringify({
          choices: record.c,
          services: record.s,
          revision: record.r,
          source: record.o,
          lang: record.l,
          placeholder: record.x,
          visitor_id: known ? record.v : void 0,
        }),
    credentials: 'omit',
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

/**
 * Send the pending decision kept in the cookie, if any. Resolves once this attempt is over:
 * acknowledged, refused for good, or left pending with a retry scheduled.
 */
export function flush() {
  queue = queue.then(sendPending);
  return queue;
}

async function sendPending() {
  for (;;) {
    const sent = consentStore.read();
    if (!sent || !sent.q) return;
    const answer = await post(sent).catch(() => null); // null: unreachable
    const status = answer ? answer.status : 0;
    // The cookie may hold a newer decision by now (another click, another tab): acknowledge
    // only the one that was sent, but let a newer one inherit the visitor's identity.
    const latest = consentStore.read() || sent;
    const same = latest.d === sent.d;
    if (status > 199 && status < 300) {
      latest.v = answer.body.visitor_id;
      latest.t = answer.body.token;
      if (same) latest.q = 0;
      retryMs = 2000;
      keep(latest);
      if (same) return;
    } else if (status === 401 && sent.v) {
      // The token expired or was replaced: record the decision for a new visitor id.
      latest.v = latest.t = null;
      keep(latest);
    } else if (status >= 400 && status < 500 && status !== 429) {
      // Refused for good: nothing was recorded, so nothing is kept and nothing it grants runs.
      // A 409 says the site changed what it asks consent for: ask again, with what it asks now.
      if (same || status === 409) {
        consentStore.clear();
        state.record = null;
      }
      if (status === 409) return revise(sent).catch(console.error);
      console.warn('CMP:', status); // the API's reason is in the response
      if (same) return;
    } else {
      // Unreachable, 5xx or rate-limited: the decision stays pending in the cookie, and is sent
      // again after 2 s, 4 s… up to every minute.
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, retryMs);
      retryMs = Math.min(retryMs * 2, 60000);
      return;
    }
  }
}

function keep(record) {
  consentStore.write(record);
  if (state.record && state.record.d === record.d) state.record = record;
}

addEventListener('online', () => flush());
