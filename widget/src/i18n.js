// The choice of language, and the widget's own words. Those arrive with the configuration, in
// its language only (`ui`, see cmp/banner.py), like the inventory's texts: the script carries
// no language of its own, which keeps it within its size budget. Only the message of the footer
// link while the configuration cannot be loaded is here, since then no configuration says it.

import { state } from './state.js';

const DOWN = {
  fr: {
    panel: 'Gestion des services',
    close: 'Fermer',
    down: 'Préférences indisponibles pour le moment.',
    retry: 'Réessayer',
  },
  en: {
    panel: 'Manage services',
    close: 'Close',
    down: 'Preferences unavailable right now.',
    retry: 'Retry',
  },
};

// Two-letter codes the visitor would like, best first: the tag's data-lang, the page's
// <html lang>, then the browser's languages. The site's default comes last, from the API.
export function wantedLanguages(tagLang) {
  return [tagLang, document.documentElement.lang, ...navigator.languages].filter(Boolean).map((code) => code.slice(0, 2).toLowerCase());
}

export function pickLanguage(wanted, supported) {
  return wanted.find((code) => supported.includes(code)) || supported[0];
}

/**
 * A UI string in the current language, with {placeholders} filled from `vars`. A French "de"
 * before a name that starts with a vowel is elided: "Traceurs d'Application Insights".
 */
export function t(key, vars) {
  const words = state.config ? state.config.ui : DOWN[state.lang] || DOWN.en;
  return words[key].replace(/\{(\w+)\}/g, (_, name) => vars[name]).replace(/ de (?=[aeiouyéè])/gi, " d'");
}
