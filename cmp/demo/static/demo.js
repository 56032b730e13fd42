// The demo pages' "Trackers" box: which stand-in trackers run on this page, which wait for
// consent, and which were refused (their cookies deleted by the widget).
(function () {
  var list = document.getElementById('tracker-status');
  if (!list) return;
  var words = list.getAttribute('data-lang') === 'en'
    ? { running: 'running', waiting: 'waiting for consent', refused: 'refused: its trackers were deleted' }
    : { running: 'actif', waiting: 'en attente de consentement', refused: 'refusé : ses traceurs ont été supprimés' };

  function render() {
    var consent = window.CMP && window.CMP.getConsent();
    var running = window.demoTrackers || [];
    Array.prototype.forEach.call(list.querySelectorAll('li[data-service]'), function (item) {
      var service = item.getAttribute('data-service');
      var granted = consent && consent.services[service];
      var state = !granted ? (running.indexOf(service) >= 0 ? 'refused' : 'waiting') : (running.indexOf(service) >= 0 ? 'running' : 'waiting');
      item.textContent = service + ' : ' + words[state];
      item.className = state;
    });
  }

  document.addEventListener('cmp:consent', render);
  document.addEventListener('demo:tracker', render);
  if (window.CMP) window.CMP.ready.then(render, render);
  render();
})();
