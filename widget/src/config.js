// Where the widget's settings come from: the embedding tag's attributes, then the site's
// banner configuration, inlined by the per-site script or from the API. Either is the service's
// /banner, whose every field the OpenAPI schema requires: no defaults to merge over it.

import { fetchBanner } from './api.js';
import { pickLanguage, wantedLanguages } from './i18n.js';
import { state } from './state.js';

// The per-site script (/v1/sites/<site>/widget.js) starts with `window.__cmpConfig = {…}`: the
// banner configuration, exactly as /v1/sites/<site>/banner gives it. Start-up takes it, and
// removes the global, before anything else, so no other script ever sees it (cmp/api/widget.py
// says why a global).
export function takeInlineConfig() {
  const inline = window.__cmpConfig;
  delete window.__cmpConfig;
  return inline;
}

// The tag that loaded us: document.currentScript while the script first runs (also with
// defer), else the first tag that names a site. The API lives where the script is served
// from: https://cmp.example/widget.js and https://cmp.example/v1/sites/<site>/widget.js both
// give https://cmp.example/ (data-api overrides it). The tag names a language with data-lang,
// or, on the generic tag, with ?lang= (the per-site script's ?lang= only says what it inlines);
// else the page's, then the browser's (wantedLanguages). An inline configuration counts only if
// it is this site's: a data-site naming another one wins.
export function tagSettings(inline) {
  const tag = document.currentScript || document.querySelector('script[data-site]');
  const site = tag && (tag.dataset.site || (inline && inline.site));
  if (!site) throw new Error('no data-site');
  const src = new URL(tag.src || location.href);
  const wanted = wantedLanguages(tag.dataset.lang || (!inline && src.searchParams.get('lang')));
  src.pathname = src.pathname.replace(/\/(v1\/.*|widget[^/]*)$/, '/');
  return { site, api: new URL(tag.dataset.api || '.', src), wanted, inline: inline && inline.site === site && inline };
}

// The inline configuration, if it is in the language the visitor would get anyway (the tag's,
// the page's, the browser's, else the site's default); else nothing.
export function inlineConfig() {
  const { inline, wanted } = state.settings;
  return inline && pickLanguage(wanted, inline.languages) === inline.lang && inline;
}

// One request in the usual case: the banner in the first language the visitor wants (or, when
// an inline configuration has told which languages the site offers, in the best of them). Only
// when the API answered in another language while a later wish is supported (a page in
// German, a browser in English) is it asked again, once.
// `fresh`: past the browser's cache (see api.js).
export async function loadConfig(fresh) {
  const { inline, wanted } = state.settings;
  let config = await fetchBanner(inline ? pickLanguage(wanted, inline.languages) : wanted[0] || '', fresh);
  const best = pickLanguage(wanted, config.languages);
  if (best !== config.lang) config = await fetchBanner(best, fresh);
  return config;
}
