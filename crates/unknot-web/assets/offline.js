// unknot offline: installs the service worker, and keeps the write queue. What is written
// without a network (journal entries, finished sessions, check-ins) waits in IndexedDB on this
// device and is sent when the network returns. Entries, sessions and check-ins carry an id made
// here (crypto.randomUUID), and the server stores a record under an id once, so a write that
// is sent twice (a lost answer, two tabs) is still stored once. A line under the header says how
// many writes are waiting.
"use strict";
(function () {
  var DB = "unknot-queue", STORE = "writes";

  function db() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "key", autoIncrement: true }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function run(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(STORE, mode), result;
        var req = work(tx.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { d.close(); resolve(result); };
        tx.onerror = function () { d.close(); reject(tx.error); };
      });
    });
  }
  function all() { return run("readonly", function (s) { return s.getAll(); }).then(function (r) { return r || []; }); }
  function add(item) { return run("readwrite", function (s) { return s.add(item); }); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }

  function token() { return (document.querySelector('meta[name="csrf-token"]') || {}).content || ""; }

  // Sends one queued write; answers "sent", "refused" (the server will never take it) or
  // "wait" (no network, the server is busy, or the person must sign in again first).
  function send(item) {
    var options;
    if (item.kind === "json") {
      options = { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token(), "Accept": "application/json" },
        body: JSON.stringify(item.body) };
    } else {
      var body = new URLSearchParams();
      item.pairs.forEach(function (p) { if (p[0] !== "csrf") body.append(p[0], p[1]); });
      body.append("csrf", token());
      options = { method: "POST", credentials: "same-origin", body: body, redirect: "manual" };
    }
    return fetch(item.url, options).then(function (res) {
      if (res.type === "opaqueredirect") return "sent"; // a form's "saved" redirect
      if (res.ok) return "sent";
      if (res.status === 409 || res.status === 422 || res.status === 400) return "refused";
      return "wait";
    }, function () { return "wait"; });
  }

  var flushing = null, refused = 0;
  function flush() {
    if (flushing) return flushing;
    flushing = all().then(function (items) {
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) return false;
          return send(item).then(function (outcome) {
            if (outcome === "wait") return false;
            if (outcome === "refused") refused += 1;
            return remove(item.key).then(function () { return true; });
          });
        });
      });
      return chain;
    }).catch(function () { /* no IndexedDB: nothing was queued */ })
      .then(function () { flushing = null; return show(); });
    return flushing;
  }

  function show() {
    var line = document.getElementById("queue-status");
    if (!line) return Promise.resolve();
    return all().then(function (items) {
      var n = items.length;
      line.hidden = n === 0 && refused === 0;
      line.textContent = n > 0
        ? n + " waiting to send" + (navigator.onLine ? "" : " (offline)") + ": kept on this device until the network returns."
        : refused > 0 ? refused + " could not be sent: the server refused " + (refused === 1 ? "it" : "them") + "." : "";
    }).catch(function () { line.hidden = true; });
  }

  // What the session player calls: sends now, or keeps the write for later when that fails.
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token(), "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j, queued: false }; },
        function () { return { ok: r.ok, body: {}, queued: false }; });
    }, function () {
      return add({ kind: "json", url: url, body: body, made: Date.now() }).then(function () {
        show();
        return { ok: true, body: {}, queued: true };
      });
    });
  }

  window.unknotQueue = { post: post, flush: flush, count: function () { return all().then(function (i) { return i.length; }); } };

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Without randomUUID (an older browser, or a page not in a secure context): a v4 UUID
    // from the same random source.
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // A new journal entry or check-in gets its id here, so sending its form twice (the queue
  // replays every field, this one too) stores it once. A page opened from the device's copy
  // may be hours old: its "when" moves to now unless changed.
  document.querySelectorAll("form[data-client-id]").forEach(function (form) {
    var field = form.querySelector('input[name="client_id"]');
    if (field && !field.value) field.value = uuid();
    var at = form.querySelector('input[name="at"]');
    var rendered = parseInt((document.querySelector('meta[name="rendered"]') || {}).content || "0", 10);
    if (at && rendered && Date.now() - rendered > 120000 && at.value === at.defaultValue) {
      var d = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
      at.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
    }
  });
  window.unknotQueue.uuid = uuid;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* not offline-capable here */ });
    navigator.serviceWorker.addEventListener("message", function (e) { if (e.data === "queued") show(); });
    // Today asks for the pages to keep; at most every ten minutes, so it stays light.
    var last = 0;
    try { last = parseInt(sessionStorage.getItem("unknot-warmed") || "0", 10); } catch (e) { /* private mode */ }
    if (navigator.onLine && document.querySelector('meta[name="keep-offline"]') && Date.now() - last > 600000) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (!reg.active) return;
        reg.active.postMessage("warm");
        try { sessionStorage.setItem("unknot-warmed", String(Date.now())); } catch (e) { /* private mode */ }
      });
    }
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  // The network may return without an "online" event (a server that was down): try now and then.
  setInterval(function () { all().then(function (i) { if (i.length) flush(); }).catch(function () {}); }, 15000);
  flush();
})();
