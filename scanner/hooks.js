// Installed by the scanner in every frame before any page script runs: reports each cookie
// write (document.cookie, cookieStore.set) and storage write with the script that made it.
(() => {
  if (window.__cmpScanHooked) return;
  Object.defineProperty(window, "__cmpScanHooked", { value: true });
  // Keep our own reference: a page that later overwrites the global cannot hide its writes.
  let binding = window.__cmpScanReport;

  // The innermost http(s) script in the stack wrote the value; our own hook has no URL.
  const caller = () => {
    const stack = new Error().stack || "";
    const found = stack.match(/https?:\/\/[^\s()]+?(?=:\d+:\d+)/);
    return found ? found[0] : null;
  };
  const report = (event) => {
    binding = binding || window.__cmpScanReport;
    if (typeof binding !== "function") return;
    try {
      // self.origin, unlike location.origin, is the origin an about:blank frame inherits.
      binding({ ...event, origin: self.origin, path: location.pathname, at: Date.now(), script: caller() });
    } catch (e) {
      /* never break the page */
    }
  };

  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true,
      enumerable: cookie.enumerable,
      get() {
        return cookie.get.call(this);
      },
      set(value) {
        report({ type: "cookie", line: String(value) });
        return cookie.set.call(this, value);
      },
    });
  }

  if (window.CookieStore && CookieStore.prototype.set) {
    const set = CookieStore.prototype.set;
    CookieStore.prototype.set = function (name, value) {
      const o = typeof name === "object" && name !== null ? name : { name, value };
      let line = `${o.name}=${o.value}`;
      if (o.expires) line += `; expires=${new Date(o.expires).toUTCString()}`;
      if (o.domain) line += `; domain=${o.domain}`;
      if (o.sameSite) line += `; samesite=${o.sameSite}`;
      report({ type: "cookie", line });
      return set.apply(this, arguments);
    };
  }

  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    let kind = "sessionStorage";
    try {
      if (this === window.localStorage) kind = "localStorage";
    } catch (e) {
      /* storage denied in this frame */
    }
    report({ type: "storage", kind, key: String(key) });
    return setItem.apply(this, arguments);
  };

  // IndexedDB databases, Cache Storage caches and service workers: reported when a script creates
  // them, so the report names the script; snapshots list them too.
  const wrap = (proto, method, kind, nameOf) => {
    if (!proto || typeof proto[method] !== "function") return;
    const original = proto[method];
    proto[method] = function () {
      try {
        report({ type: "storage", kind, key: nameOf.apply(null, arguments) });
      } catch (e) {
        /* never break the page */
      }
      return original.apply(this, arguments);
    };
  };
  wrap(window.IDBFactory && IDBFactory.prototype, "open", "indexedDB", (name) => String(name));
  wrap(window.CacheStorage && CacheStorage.prototype, "open", "cacheStorage", (name) => String(name));
  wrap(
    window.ServiceWorkerContainer && ServiceWorkerContainer.prototype,
    "register",
    "serviceWorker",
    (url) => new URL(String(url), location.href).pathname,
  );
})();
