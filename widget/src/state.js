// What the widget knows: the site's configuration, the visitor's decision (or the site's
// defaults before one), and the rules that turn choices into per-service consent.

// Its fields, each unset until start-up (main.js) gives it a value (unset is falsy, as it should be):
//   settings: {site, api, wanted, inline} from the embedding tag, see config.js
//   config: the banner configuration from the API, see config.js
//   lang: the language the widget speaks
//   record: the kept decision (storage.js format) while it is valid
//   consent: {choices: {category: bool}, services: {service: bool}} in force on the page
//   unreachable: 1 while the configuration cannot be loaded (main.js tries again)
//   tryNow: ends the wait before the next attempt at once (the message's "Réessayer")
export const state = {};

export const DAY_MS = 864e5;

export const categoryOf = (id) => state.config.categories.find((category) => category.id === id);
export const serviceOf = (id) => state.config.services.find((service) => service.id === id);

// Every refusable category set to `value`: Tout accepter / Tout refuser, and the site's
// defaults before a decision when `exempt` is given (exempt ones may run until refused).
export function everything(value, exempt) {
  const choices = {};
  for (const category of state.config.categories) {
    if (!category.required) choices[category.id] = value || !!(exempt && category.exempt);
  }
  return choices;
}

// Full consent from category choices and per-service refinements, with the API's rules:
// required always on, a service follows its category unless refined, and is never on while
// its category is off.
export function resolve(choices, services) {
  const full = {};
  const perService = {};
  for (const category of state.config.categories) full[category.id] = category.required || !!choices[category.id];
  for (const service of state.config.services) {
    perService[service.id] = full[service.category] && (categoryOf(service.category).required || services[service.id] !== false);
  }
  return { choices: full, services: perService };
}

// `consent`, keeping on only what `other` does not refuse (ids `other` does not know keep
// their value): refusals take effect at once, grants wait until they are recorded.
export function meet(consent, other) {
  for (const part in consent) for (const id in consent[part]) consent[part][id] &&= other[part][id] !== false;
  return consent;
}

// What a decision keeps: refusable categories, and only the services that differ from theirs.
export function compact(consent) {
  const services = {};
  for (const service of state.config.services) {
    const own = consent.services[service.id];
    if (own !== consent.choices[service.category]) services[service.id] = own;
  }
  const choices = everything(false);
  for (const id in choices) choices[id] = consent.choices[id];
  return { choices, services };
}

// A kept decision counts only for the current revision and until it expires (by the page's clock).
export const stillValid = (record) => !!record && record.r === state.config.revision && record.e > Date.now();

export function isGranted(categoryId, serviceId) {
  const consent = state.consent;
  return (serviceId ? consent.services[serviceId] : consent.choices[categoryId]) === true;
}

// A consent's copy, to change or hand out without touching the one in force.
export const copy = (consent) => ({ choices: { ...consent.choices }, services: { ...consent.services } });

/** The visitor's consent as plain data: what getConsent() returns and events carry. */
export function snapshot() {
  const record = state.record || {};
  const date = (ms) => (ms ? new Date(ms).toISOString() : null);
  return {
    decided: !!state.record,
    ...copy(state.consent),
    revision: state.config.revision,
    source: record.o || null,
    decidedAt: date(record.d),
    expiresAt: date(record.e),
    visitorId: record.v || null,
    pending: !!record.q,
    lang: state.lang,
  };
}
