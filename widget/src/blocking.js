// Tags that wait for consent, released without a reload once granted:
//   <script type="text/plain" data-cmp-category="audience" data-cmp-service="piwik-pro" src=…>
//   <iframe data-cmp-src=… data-cmp-service=…> (a placeholder offers to allow that service)
// and the clean-up after a refusal: the cookies and web storage the inventory declares for
// every refused service are deleted, on this host and its parent domains.

import { decide } from './decision.js';
import { t } from './i18n.js';
import { categoryOf, compact, isGranted, serviceOf, state } from './state.js';
import { button, h, shadow } from './ui.js';

const WAITING = 'script[type="text/plain"][data-cmp-category],script[type="text/plain"][data-cmp-service],iframe[data-cmp-src]';

function categoryFor(el) {
  const service = serviceOf(el.dataset.cmpService);
  return el.dataset.cmpCategory || (service && service.category);
}

export function release() {
  for (const el of document.querySelectorAll(WAITING)) {
    const allowed = isGranted(categoryFor(el), el.dataset.cmpService);
    if (el.tagName === 'IFRAME') {
      if (!allowed) placeholder(el);
      else {
        el.src = el.dataset.cmpSrc;
        delete el.dataset.cmpSrc;
        el.hidden = false;
        if (el.cmpPlaceholder) el.cmpPlaceholder.remove();
      }
    } else if (allowed) {
      const script = document.createElement('script');
      for (const attr of el.attributes) if (attr.name !== 'type') script.setAttribute(attr.name, attr.value);
      if (el.dataset.cmpType) script.type = el.dataset.cmpType;
      // A parsed nonce is hidden from getAttribute: copy the property, for a strict CSP.
      script.nonce = el.nonce;
      // Released scripts run in document order, like the tags they replace.
      script.async = false;
      if (!el.src) script.text = el.text;
      el.replaceWith(script);
    }
  }
}

function placeholder(frame) {
  const category = categoryOf(categoryFor(frame));
  if (frame.cmpPlaceholder || !category) return;
  const service = serviceOf(frame.dataset.cmpService);
  const name = service ? service.name : category.label;
  const box = frame.getBoundingClientRect();
  const host = document.createElement('cmp-placeholder');
  // The iframe's own box, so loading it later shifts nothing.
  host.style.width = (box.width || 300) + 'px';
  host.style.height = (box.height || 150) + 'px';
  shadow(host).append(h('div', { class: 'ph', lang: state.lang }, [
    h('p', { text: t('blocked', { name }) }),
    button(t('allow', { name }), () => allowOnly(category.id, service)),
  ]));
  frame.hidden = true;
  frame.before(host);
  frame.cmpPlaceholder = host;
}

// Grant one service (or a whole category), every other choice staying as it is in force; the
// proof says it came from this placeholder, and for which service.
function allowOnly(categoryId, service) {
  const consent = state.consent;
  const choices = compact(consent).choices;
  const services = { ...consent.services };
  if (!choices[categoryId]) {
    for (const other of state.config.services) if (other.category === categoryId) services[other.id] = !service;
  }
  choices[categoryId] = true;
  if (service) services[service.id] = true;
  return decide(choices, services, 'placeholder', service && service.id);
}

// Tags added later (single-page sites, tag managers) wait too: after any addition to the page,
// the same look for waiting tags as on load (one selector query per batch of changes).
export function watch() {
  new MutationObserver(release).observe(document.documentElement, { childList: true, subtree: true });
}

export function cleanup() {
  const granted = state.config.services.filter((service) => isGranted(0, service.id));
  // A name that a granted service declares too is left alone.
  const kept = granted.flatMap((service) => service.items.map((item) => item.name));
  for (const service of state.config.services) {
    for (const item of granted.includes(service) ? [] : service.items) {
      if (kept.includes(item.name)) continue;
      const re = new RegExp('^' + item.name.split('*').map((part) => part.replace(/\W/g, '\\$&')).join('.*') + '$');
      if (item.kind === 'cookie') {
        for (const pair of document.cookie.split('; ')) {
          const name = pair.split('=')[0];
          if (re.test(name)) expire(name, item.domain);
        }
      } else if (/^(local|session)Storage$/.test(item.kind)) {
        try {
          const storage = window[item.kind];
          for (const key of Object.keys(storage)) if (re.test(key)) storage.removeItem(key);
        } catch (disabled) {
          // the browser blocks storage for this page: nothing can be in it
        }
      }
    }
  }
}

// A cookie is deleted only with the domain and path it was set with, which the page cannot
// read back: try the host alone, each parent domain, the declared domain, and each path
// prefix of this page. (On an IP address the "parent domains" are no domains: the browser
// ignores those attempts.)
function expire(name, declaredDomain) {
  const host = location.hostname;
  const parts = host.split('.');
  const domains = [''];
  for (let i = 0; i < parts.length - 1; i++) domains.push(parts.slice(i).join('.'));
  if (declaredDomain) domains.push(declaredDomain);
  const paths = ['/'];
  let path = '';
  for (const part of location.pathname.split('/').slice(1, -1)) paths.push((path += '/' + part), path + '/');
  for (const domain of domains) {
    for (const p of paths) {
      document.cookie = name + '=; Max-Age=0; Path=' + p + (domain && '; Domain=' + domain) + (location.protocol === 'https:' ? '; Secure' : '');
    }
  }
}
