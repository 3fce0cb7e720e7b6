/* The commune form's service worker (served from /danh-gia/sw.js, scope /danh-gia/).

   Keeps the pages of the form that were opened online (one-page form, steps, contents, check) and the site's CSS
   and JS, and serves them when there is no connection. Pages are kept per signed-in person ("ntm-pages-<user>",
   the page tells us who); another person's pages are deleted as soon as someone else uses the form, and logout
   deletes everything. Never kept: evidence downloads, the admin, the API, the sync, anything but a 200 page.
   While the page says it is offline, pages come from the cache without asking the server at all. */
"use strict";

var STATIC = "ntm-static-1";
var META = "ntm-meta";
var STATE_KEY = "/danh-gia/__state";
var PAGE = /^\/danh-gia\/(ho-so\/\d+\/([a-z0-9-]+\/)*)?$/;
var NEVER = /\/(dong-bo|minh-chung|xoa)\//;
var MAX_PAGES = 80;
var state = null;
var generation = 0;

function loadState() {
  if (state) return Promise.resolve(state);
  return caches.open(META).then(function (cache) {
    return cache.match(STATE_KEY);
  }).then(function (hit) {
    return hit ? hit.json() : { user: "", offline: false };
  }).then(function (value) {
    state = state || value;
    return state;
  });
}

function saveState() {
  return caches.open(META).then(function (cache) {
    return cache.put(STATE_KEY, new Response(JSON.stringify(state), { headers: { "Content-Type": "application/json" } }));
  });
}

function pagesCache() {
  return "ntm-pages-" + (state && state.user ? state.user : "none");
}

function forgetOthers() {
  var keep = pagesCache();
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("ntm-pages-") === 0 && name !== keep;
    }).map(function (name) { return caches.delete(name); }));
  });
}

function isPage(url) {
  return url.origin === self.location.origin && PAGE.test(url.pathname) && !NEVER.test(url.pathname);
}

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

function fallback() {
  var body = "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
    "<title>Không có mạng</title><main><h1>Không có mạng</h1><p>Trang này chưa được lưu trên điện thoại. " +
    "Hãy mở lại khi có mạng; những trang của hồ sơ đã mở trước đó vẫn dùng được.</p><p><a href=\"/danh-gia/\">Các hồ sơ</a></p></main></html>";
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'self'" } });
}

function fromCache(request) {
  return caches.open(pagesCache()).then(function (cache) {
    return cache.match(request, { ignoreSearch: true, ignoreVary: true });
  });
}

function keep(request, response) {
  var type = response.headers.get("Content-Type") || "";
  if (response.status !== 200 || response.redirected || type.indexOf("text/html") !== 0) return Promise.resolve();
  var copy = response.clone();
  var url = new URL(request.url);
  return caches.open(pagesCache()).then(function (cache) {
    return cache.put(url.origin + url.pathname, copy);
  });
}

function page(event) {
  var request = event.request;
  return loadState().then(function (current) {
    // The page's word holds while a page of the form is open (a reload, a link); a browser opened later asks
    // the network first, so a stale "offline" never hides a connection that came back.
    return current.offline ? self.clients.matchAll({ type: "window" }) : [];
  }).then(function (open) {
    if (open.length) {
      return fromCache(request).then(function (hit) { return hit || fallback(); });
    }
    return fetch(request).then(function (response) {
      event.waitUntil(keep(request, response));
      return response;
    }, function () {
      return fromCache(request).then(function (hit) { return hit || fallback(); });
    });
  });
}

function asset(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.status === 200) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("ntm-static-") === 0 && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (isStatic(url)) event.respondWith(asset(request));
  else if (isPage(url)) event.respondWith(page(event));
});

/* Precache: the pages the form links to (one level of links found in them too) and the assets they use. */
function links(html, prefix) {
  var found = [];
  var re = /href="([^"#?]+)"/g;
  var match;
  while ((match = re.exec(html))) {
    if (match[1].indexOf(prefix) === 0) found.push(match[1]);
  }
  return found;
}

function precache(pages, assets, prefix) {
  var mine = ++generation;
  var seen = {};
  var queue = pages.slice();
  return caches.open(STATIC).then(function (cache) {
    return Promise.all(assets.map(function (href) {
      return cache.match(href, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(href).then(function (response) {
          if (response.status === 200) return cache.put(href, response);
        });
      });
    }));
  }).then(function () {
    return caches.open(pagesCache());
  }).then(function (cache) {
    function next() {
      var path = queue.shift();
      if (mine !== generation) return Promise.reject(new Error("paused"));
      if (!path || Object.keys(seen).length >= MAX_PAGES) return Promise.resolve();
      var url = new URL(path, self.location.origin);
      if (seen[url.pathname] || !isPage(url)) return next();
      seen[url.pathname] = true;
      return cache.match(url.origin + url.pathname).then(function (hit) {
        if (hit) return hit.text();
        return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
          return keep(new Request(url.href), response).then(function () { return response.text(); });
        });
      }).then(function (html) {
        queue = queue.concat(links(html, prefix));
      }, function () {}).then(next);
    }
    return next();
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "pause") generation++;  // a save or a new page: stop fetching pages for keeping
  if (data.type === "state") {
    event.waitUntil(loadState().then(function () {
      state.user = data.user;
      state.offline = !!data.offline;
      return saveState();
    }).then(forgetOthers).then(function () {
      if (data.precache && !state.offline) return precache(data.precache.pages, data.precache.assets, data.precache.prefix);
    }).then(function () {
      if (event.source) event.source.postMessage({ type: "ready", kept: !!data.precache });
    }, function () {}));
  }
});
