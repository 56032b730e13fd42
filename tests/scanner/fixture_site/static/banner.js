// The fixture site's own consent banner (not the project's widget): three plain buttons inside
// an open shadow root. The choice is kept in fx_choice; refusing deletes the audience cookie.
(function () {
  var choice = (document.cookie.match(/(?:^|; )fx_choice=([^;]*)/) || [])[1];
  if (choice) return;
  var host = document.createElement("div");
  host.id = "fx-consent";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    '<style>.box{position:fixed;bottom:0;left:0;right:0;padding:16px;background:#223;color:#fff}' +
    "button{margin-right:8px;padding:8px 14px}</style>" +
    '<div class="box"><p>Ce site utilise des cookies.</p>' +
    '<button id="all">Tout accepter</button><button id="none">Tout refuser</button>' +
    '<button id="custom">Personnaliser</button></div>';
  function decide(value) {
    document.cookie = "fx_choice=" + value + "; Max-Age=15552000; Path=/; SameSite=Lax";
    if (value === "refused") document.cookie = "_pk_id.1.a1b2=; Max-Age=0; Path=/";
    host.remove();
  }
  root.getElementById("all").onclick = function () { decide("accepted"); };
  root.getElementById("none").onclick = function () { decide("refused"); };
})();
