// Where the widget's settings come from: the embedding tag's attributes, then the site's
// banner configuration from the API merged over the widget's defaults.

const DEFAULTS = { consent_max_age_days: 180, gpc: false, consent_mode: {}, cookie: { name: 'cmp_consent' } };

// The tag that loaded us: document.currentScript while the script first runs (also with
// defer), else the first tag that names a site. The API lives next to the script:
// https://cmp.example/widget.js -> https://cmp.example/ (data-api overrides it).
function tagSettings() {
  const tag = document.currentScript || document.querySelector('script[data-site]');
  if (!tag || !tag.dataset.site) throw new Error('the script tag needs data-site="<site id>"');
  return { site: tag.dataset.site, api: new URL(tag.dataset.api || '.', tag.src || location.href), lang: tag.dataset.lang };
}

// One request in the usual case: the banner in the first language the visitor wants. Only
// when the API answered in another language while a later wish is supported (a page in
// German, a browser in English) is it asked again, once.
async function loadConfig() {
  const wanted = wantedLanguages(settings.lang);
  let config = await fetchBanner(wanted[0] || '');
  const best = pickLanguage(wanted, config.languages);
  if (best !== config.lang) config = await fetchBanner(best);
  config = Object.assign({}, DEFAULTS, config);
  config.cookie = Object.assign({}, DEFAULTS.cookie, config.cookie);
  return config;
}
