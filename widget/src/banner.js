// The first layer, shown while there is no valid decision: the site's short text, a link to
// its policy, and three buttons of equal size, colour and prominence. Closing it ("Continuer
// sans accepter") records nothing: the defaults stay in force (refused, exempt on).
//
// On a phone it stays compact: its text scrolls inside it, the buttons stay in view, and the
// page gets as much room below its end as the banner takes, so the page's foot (the footer
// link "Gestion des services" that the text points to) can be scrolled above it.

import { endpoint } from './api.js';
import { decide } from './decision.js';
import { t } from './i18n.js';
import { showPreferences } from './panel.js';
import { everything, state } from './state.js';
import { button, h, widgetRoot } from './ui.js';

let banner = null;
const pad = (px) => (document.documentElement.style.paddingBottom = px);

/** The first layer; `news`: what the site added since the visitor's last decision, if any. */
export function showBanner(news) {
  hideBanner();
  const config = state.config;
  banner = h('section', {
    class: 'bn',
    role: 'dialog',
    'aria-labelledby': 'bt',
    'aria-describedby': 'bd',
    tabindex: '-1',
    lang: state.lang,
  }, [
    h('div', { class: 'in' }, [
      h('div', { class: 'tx' }, [
        button(t('skip'), hideBanner, { class: 'skip' }),
        h('h2', { id: 'bt', text: config.banner.title }),
        news && h('p', { class: 'tag', text: t('changed', { x: news }) }),
        h('p', { id: 'bd' }, [config.banner.text, ' ', h('a', { href: config.policy_url, text: t('policy') })]),
      ]),
      h('div', { class: 'acts' }, [
        button(t('accept'), () => decide(everything(true), {}, 'banner')),
        button(t('refuse'), () => decide(everything(false), {}, 'banner')),
        button(t('customise'), showPreferences),
      ]),
    ]),
  ]);
  widgetRoot().append(banner);
  pad(banner.offsetHeight + 'px');
  // Lets a page (and bench/widget_paint.py) time when the banner entered the document.
  performance.mark('cmp:banner');
  // One anonymous count per display, for the consent analytics: no body, no identifier, no
  // storage; the service limits what one address can add.
  navigator.sendBeacon?.(endpoint('/shown'));
  banner.focus({ preventScroll: true });
}

export function hideBanner() {
  if (banner) banner.remove();
  banner = null;
  pad('');
}
