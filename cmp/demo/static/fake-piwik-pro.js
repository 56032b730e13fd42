// A stand-in for Piwik PRO's tracking code on the demo portals. It writes what the real one
// writes, under the same names (_pk_id.<app>.<hash>, _pk_ses.…, the stg_* cookies of its
// Tag Manager, ppms_webstorage) with the product's own default lifetimes, except where the
// integrator's settings say otherwise: data-allowed (built from the site's inventory) lists
// the names the site declares with their longest lifetime (0: session cookie), and whatever
// is not listed is switched off.
(function () {
  var tag = document.currentScript;
  var allowed = JSON.parse(tag.getAttribute('data-allowed'));
  var app = tag.getAttribute('data-app-id');
  var domain = tag.getAttribute('data-cookie-domain');
  var suffix = app + '.' + (location.hostname.length * 2654435761 >>> 0).toString(16).slice(0, 4);
  var DAY = 86400;

  function random() {
    return Math.random().toString(16).slice(2, 10) + Math.random().toString(16).slice(2, 10);
  }

  // declared: the inventory name it falls under; seconds: the product default (0: session).
  function set(declared, name, value, seconds) {
    if (!(declared in allowed)) return;
    var limit = allowed[declared];
    var lifetime = seconds && limit ? Math.min(seconds, limit) : 0;
    document.cookie = name + '=' + encodeURIComponent(value) + '; Path=/; SameSite=Lax' +
      (lifetime ? '; Max-Age=' + lifetime : '') + (domain ? '; Domain=' + domain : '');
  }

  var now = Math.floor(Date.now() / 1000);
  set('_pk_id.*', '_pk_id.' + suffix, random() + '.' + now + '.', 393 * DAY);
  set('_pk_ses.*', '_pk_ses.' + suffix, '1', 30 * 60);
  set('stg_last_interaction', 'stg_last_interaction', new Date().toUTCString(), 365 * DAY);
  set('stg_returning_visitor', 'stg_returning_visitor', new Date().toUTCString(), 365 * DAY);
  set('stg_traffic_source_priority', 'stg_traffic_source_priority', '1', 30 * 60);
  set('stg_externalReferrer', 'stg_externalReferrer', document.referrer, 0);
  if ('ppms_webstorage' in allowed) {
    localStorage.setItem('ppms_webstorage', JSON.stringify({ cache: { app: app, at: now } }));
  }
  (window.demoTrackers = window.demoTrackers || []).push('piwik-pro');
  document.dispatchEvent(new CustomEvent('demo:tracker', { detail: 'piwik-pro' }));
})();
