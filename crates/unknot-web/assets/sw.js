// unknot's service worker: the app keeps working without a network.
// - The shell (styles, scripts, icons) is kept at install and served from the cache first.
// - A few pages a person needs on the go (Today, the session player and its steps, the
//   journal, the check-in) are fetched from the network first and kept, so they open offline
//   as last seen. Nothing else is kept, and the kept pages are dropped on sign-out or when the
//   server sends the person to sign in (a shared phone keeps no one's journal).
// - A form post to the journal or the check-in that cannot reach the server is put in the
//   write queue (IndexedDB, shared with offline.js), which sends it when the network returns.
//   Journal forms carry a client-made id, so a post that did arrive is not stored twice.
"use strict";
var VERSION = "2";
var SHELL = "unknot-shell-" + VERSION;
var PAGES = "unknot-pages-" + VERSION;
var SHELL_FILES = [
  "/assets/app.css", "/assets/app.js", "/assets/offline.js", "/assets/player.js",
  "/assets/icon.svg", "/assets/icon-192.png", "/manifest.webmanifest"
];
var KEPT = ["/", "/session", "/api/v1/session/steps", "/journal", "/checkin", "/messages"];
var QUEUED_FORMS = ["/journal", "/checkin"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(SHELL_FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== PAGES; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// The page asks for the kept pages to be fetched now ("warm"), or for them to be dropped.
self.addEventListener("message", function (e) {
  if (e.data === "warm") e.waitUntil(warm());
  if (e.data === "forget") e.waitUntil(caches.delete(PAGES));
});

function keep(path, res) {
  // Only a page really shown to a signed-in person: not a redirect to sign in, not an error.
  if (!res || !res.ok || res.redirected || res.type !== "basic") return Promise.resolve();
  return caches.open(PAGES).then(function (c) { return c.put(path, res); });
}

function warm() {
  return Promise.all(KEPT.map(function (path) {
    return fetch(path, { credentials: "same-origin" }).then(function (res) {
      if (res.redirected && new URL(res.url).pathname === "/sign-in") return caches.delete(PAGES);
      return keep(path, res);
    }).catch(function () { /* offline: keep what we have */ });
  }));
}

function offlinePage() {
  return caches.match("/").then(function (r) {
    return r || new Response(
      "<!doctype html><meta charset=utf-8><title>Offline</title><p>You are offline, and this page was not kept on this device. Your queued entries are safe and will be sent when the network returns.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && url.pathname === "/sign-out") {
    e.waitUntil(caches.delete(PAGES));
    return;
  }
  if (req.method === "POST" && QUEUED_FORMS.indexOf(url.pathname) >= 0 && req.mode === "navigate") {
    e.respondWith(postOrQueue(req, url.pathname));
    return;
  }
  if (req.method !== "GET") return;
  if (url.pathname.indexOf("/assets/") === 0 || url.pathname === "/manifest.webmanifest") {
    e.respondWith(caches.match(req).then(function (hit) {
      var fresh = fetch(req).then(function (res) {
        if (res.ok) { var copy = res.clone(); caches.open(SHELL).then(function (c) { c.put(req, copy); }); }
        return res;
      });
      return hit || fresh;
    }));
    return;
  }
  var kept = KEPT.indexOf(url.pathname) >= 0 && !url.search;
  if (!kept && req.mode !== "navigate") return;
  e.respondWith(fetch(req).then(function (res) {
    // A kept page that now redirects (a navigation's redirect cannot be read: it is opaque)
    // means the person must sign in again: drop every kept page.
    var signedOut = res.redirected ? new URL(res.url).pathname === "/sign-in"
      : kept && res.type === "opaqueredirect";
    if (signedOut) {
      caches.delete(PAGES);
    } else if (kept) {
      keep(url.pathname, res.clone());
    }
    return res;
  }).catch(function () {
    return caches.match(url.pathname, { cacheName: PAGES }).then(function (hit) {
      return hit || offlinePage();
    });
  }));
});

// A form post: sent when the network answers; otherwise queued, and the person is told so.
function postOrQueue(req, path) {
  var copy = req.clone();
  return fetch(req).catch(function () {
    return copy.formData().then(function (data) {
      var pairs = [];
      data.forEach(function (v, k) { if (typeof v === "string") pairs.push([k, v]); });
      return queueAdd({ kind: "form", url: path, pairs: pairs, made: Date.now() });
    }).then(function () {
      return Response.redirect((path === "/journal" ? "/journal" : "/") + "?done=queued", 303);
    });
  });
}

// The queue, as offline.js keeps it (same database, same store).
function queueAdd(item) {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open("unknot-queue", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("writes", { keyPath: "key", autoIncrement: true }); };
    open.onerror = function () { reject(open.error); };
    open.onsuccess = function () {
      var tx = open.result.transaction("writes", "readwrite");
      tx.objectStore("writes").add(item);
      tx.oncomplete = function () { open.result.close(); resolve(); };
      tx.onerror = function () { open.result.close(); reject(tx.error); };
    };
  }).then(function () {
    return self.clients.matchAll().then(function (all) {
      all.forEach(function (c) { c.postMessage("queued"); });
    });
  });
}
