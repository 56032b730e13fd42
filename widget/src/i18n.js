// The widget's own UI strings in each language it speaks, and the choice of language.
// Texts that come from the inventory (banner, categories, services) arrive from the API
// already in the chosen language; only the buttons and labels around them live here.

import { state } from './state.js';

const STRINGS = {
  fr: {
    accept: 'Tout accepter',
    refuse: 'Tout refuser',
    customise: 'Personnaliser',
    save: 'Enregistrer mes choix',
    skip: 'Continuer sans accepter',
    close: 'Fermer',
    panel: 'Gestion des services',
    policy: 'Politique de confidentialité',
    required: 'Toujours actifs',
    exempt: 'Exemptés de consentement : actifs sauf opposition',
    services: 'Services ({n})',
    items: 'Traceurs de {name} ({n})',
    purpose: 'Finalité',
    retention: 'Conservation',
    provider: 'Prestataire',
    saved: 'Choix enregistrés.',
    blocked: 'Ce contenu de {name} peut déposer des traceurs.',
    allow: 'Autoriser {name}',
    localStorage: 'stockage local',
    sessionStorage: 'stockage de session',
  },
  en: {
    accept: 'Accept all',
    refuse: 'Refuse all',
    customise: 'Customise',
    save: 'Save my choices',
    skip: 'Continue without accepting',
    close: 'Close',
    panel: 'Manage services',
    policy: 'Privacy policy',
    required: 'Always on',
    exempt: 'Exempt from consent: on unless you object',
    services: 'Services ({n})',
    items: 'Trackers of {name} ({n})',
    purpose: 'Purpose',
    retention: 'Retention',
    provider: 'Provider',
    saved: 'Choices saved.',
    blocked: 'This content from {name} may set trackers.',
    allow: 'Allow {name}',
    localStorage: 'local storage',
    sessionStorage: 'session storage',
  },
};

// Two-letter codes the visitor would like, best first: the tag's data-lang, the page's
// <html lang>, then the browser's languages. The site's default comes last, from the API.
export function wantedLanguages(tagLang) {
  const raw = [tagLang, document.documentElement.lang].concat(navigator.languages || [navigator.language]);
  return raw.filter(Boolean).map((code) => String(code).slice(0, 2).toLowerCase());
}

export function pickLanguage(wanted, supported) {
  return wanted.find((code) => supported.includes(code)) || supported[0];
}

/** A UI string in the current language, with {placeholders} filled from `vars`. */
export function t(key, vars) {
  const table = STRINGS[state.lang] || STRINGS.en;
  return (table[key] || key).replace(/\{(\w+)\}/g, (_, name) => vars[name]);
}
