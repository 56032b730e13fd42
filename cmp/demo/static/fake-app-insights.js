// A stand-in for Microsoft Application Insights' JavaScript SDK on the demo portals: the
// ai_user cookie (a random id, one year by default) and ai_session (30 minutes), each only if
// the site's inventory declares it (data-allowed) and for no longer than declared.
(function () {
  var tag = document.currentScript;
  var allowed = JSON.parse(tag.getAttribute('data-allowed'));
  var domain = tag.getAttribute('data-cookie-domain');

  function set(name, value, seconds) {
    if (!(name in allowed)) return;
    var lifetime = seconds && allowed[name] ? Math.min(seconds, allowed[name]) : 0;
    document.cookie = name + '=' + value + '; Path=/; SameSite=Lax' + (lifetime ? '; Max-Age=' + lifetime : '') +
      (domain ? '; Domain=' + domain : '');
  }

  var id = Math.random().toString(36).slice(2, 12);
  var now = Date.now();
  set('ai_user', id + '|' + new Date(now).toISOString(), 365 * 86400);
  set('ai_session', Math.random().toString(36).slice(2, 12) + '|' + now + '|' + now, 30 * 60);
  (window.demoTrackers = window.demoTrackers || []).push('application-insights');
  document.dispatchEvent(new CustomEvent('demo:tracker', { detail: 'application-insights' }));
})();
