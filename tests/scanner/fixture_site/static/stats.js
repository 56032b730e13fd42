// First-party audience measurement (exempt): runs unless the visitor refused. Also a promotion
// marker written before any decision and never removed (a marketing cookie left behind).
(function () {
  var choice = (document.cookie.match(/(?:^|; )fx_choice=([^;]*)/) || [])[1];
  if (choice !== "refused") {
    document.cookie = "_pk_id.1.a1b2=7f3e9c; Max-Age=34128000; Path=/; SameSite=Lax";
  }
  if (!choice) document.cookie = "promo_seen=1; Max-Age=2592000; Path=/";
})();
