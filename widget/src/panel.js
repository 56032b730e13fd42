// The second layer, "Gestion des services": each category with its description and switch
// (required locked on, exempt marked), disclosing its services with their own switches, and
// each service its trackers as the inventory declares them. A modal dialog: focus is trapped
// inside, Escape closes it and focus returns to what opened it (or, when that is gone, as after
// deciding from a panel opened from the banner, to the footer link).

import { decide } from './decision.js';
import { t } from './i18n.js';
import { copy, everything, serviceOf, state } from './state.js';
import { button, deepActive, disclosure, h, toggle, trapFocus, widgetRoot } from './ui.js';

let panel = null;
let opener = null;

export function showPreferences() {
  if (panel) return;
  opener = deepActive();
  const config = state.config;
  // The draft starts from the consent in force and only becomes a decision on a button.
  const draft = config && copy(state.consent);
  const switches = {};
  // Header and buttons stay in view; only the body between them scrolls.
  const dialog = h('div', {
    class: 'dlg',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'pt',
    tabindex: '-1',
    lang: state.lang,
    onkeydown: (event) => (event.key === 'Escape' ? closePanel() : trapFocus(event, dialog)),
  }, [
    h('div', { class: 'hd' }, [
      h('h2', { id: 'pt', text: t('panel') }),
      button('×', closePanel, { class: 'x', 'aria-label': t('close') }),
    ]),
    ...(config
      ? [
          h('div', { class: 'bd' }, [
            h('p', {}, [h('a', { href: config.policy_url, text: t('policy') })]),
            // The decision in force is the refusal that the browser's GPC signal asked for.
            state.record && state.record.o === 'gpc' && h('p', { class: 'tag', text: t('gpc') }),
            h('ul', {}, config.categories.map((category) => categoryRow(category, draft, switches))),
          ]),
          h('div', { class: 'acts' }, [
            button(t('accept'), () => decide(everything(true), {}, 'panel')),
            button(t('refuse'), () => decide(everything(false), {}, 'panel')),
            button(t('save'), () => decide(draft.choices, draft.services, 'panel')),
          ]),
        ]
      : // The configuration cannot be loaded (main.js tries again): say so, and offer to try
        // now; the message stays until the panel can replace it.
        [
          h('p', { text: t('down') }),
          h('div', { class: 'acts' }, [
            button(t('retry'), () => {
              state.tryNow();
              window.CMP.ready.then(() => {
                closePanel();
                showPreferences();
              });
            }),
          ]),
        ]),
  ]);
  panel = h('div', { class: 'ov', onclick: (event) => event.target === panel && closePanel() }, [dialog]);
  widgetRoot().append(panel);
  dialog.focus();
}

export function closePanel() {
  if (!panel) return;
  panel.remove();
  panel = null;
  // Focus back on what opened it when still in the page, else on the footer link that opens the
  // panel (the dialog that had focus is gone: focus must not fall back to <body>).
  const back = opener && opener.isConnected ? opener : document.querySelector('[data-cmp-open]');
  if (back) back.focus({ preventScroll: true });
}

function categoryRow(category, draft, switches) {
  const services = category.services.map(serviceOf).filter(Boolean);
  const locked = category.required;
  // A category switch carries all its services with it.
  switches['c:' + category.id] = toggle('c-' + category.id, draft.choices[category.id], locked, (on) => {
    draft.choices[category.id] = on;
    for (const service of services) {
      draft.services[service.id] = on;
      switches['s:' + service.id].setAttribute('aria-checked', on);
    }
  });
  const list = services.length && h('ul', {}, services.map((service) => serviceRow(service, category, services, draft, switches)));
  return h('li', { class: 'cat' }, [
    h('div', { class: 'row' }, [h('h3', { id: 'c-' + category.id, text: category.label }), switches['c:' + category.id]]),
    category.exempt && h('p', { class: 'tag', text: t('exempt') }),
    h('p', { text: category.description }),
    ...(list ? disclosure(t('services', { n: services.length }), list) : []),
  ]);
}

function serviceRow(service, category, siblings, draft, switches) {
  // Allowing one service allows its category for it alone; refusing the last one refuses it.
  const sw = toggle('s-' + service.id, draft.services[service.id], category.required, (on) => {
    draft.services[service.id] = on;
    const any = siblings.some((sibling) => draft.services[sibling.id]);
    if (draft.choices[category.id] !== any) {
      draft.choices[category.id] = any;
      switches['c:' + category.id].setAttribute('aria-checked', any);
    }
  });
  switches['s:' + service.id] = sw;
  const items = h('ul', { class: 'items' }, service.items.map((item) => itemRow(item, service)));
  return h('li', { class: 'svc' }, [
    h('div', { class: 'row' }, [h('h4', { id: 's-' + service.id, text: service.name }), sw]),
    ...disclosure(t('items', { name: service.name, n: service.items.length }), items),
  ]);
}

function itemRow(item, service) {
  const facts = [[t('purpose'), item.purpose], [t('retention'), item.retention], [t('provider'), service.provider]];
  return h('li', {}, [
    h('code', { text: item.name }),
    item.kind !== 'cookie' && ' (' + t(item.kind) + ')',
    h('dl', {}, facts.flatMap(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })])),
  ]);
}
