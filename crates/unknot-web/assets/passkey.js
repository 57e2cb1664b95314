// Passkeys: the browser half of the ceremonies. The server sends WebAuthn options with binary
// fields as base64url text; the browser needs them as bytes, and its answer goes back as
// base64url text again. Nothing here is secret: the server keeps the challenge.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }
  function toText(buf) {
    var bytes = new Uint8Array(buf), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.detail || ("the server answered " + res.status));
        return data;
      });
    });
  }
  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    pk.user.id = toBytes(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: pk };
  }
  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: pk };
  }
  function created(c) {
    return {
      id: c.id, rawId: toText(c.rawId), type: c.type, extensions: {},
      response: {
        attestationObject: toText(c.response.attestationObject),
        clientDataJSON: toText(c.response.clientDataJSON)
      }
    };
  }
  function asserted(c) {
    var r = c.response;
    return {
      id: c.id, rawId: toText(c.rawId), type: c.type, extensions: {},
      response: {
        authenticatorData: toText(r.authenticatorData),
        clientDataJSON: toText(r.clientDataJSON),
        signature: toText(r.signature),
        userHandle: r.userHandle ? toText(r.userHandle) : null
      }
    };
  }
  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value : "";
  }

  var flows = {
    "sign-in": function (box) {
      return post("/api/v1/auth/passkey/sign-in/begin", { login: value("login") })
        .then(function (c) {
          return navigator.credentials.get(requestOptions(c.options)).then(function (cred) {
            return post("/api/v1/auth/passkey/sign-in/finish",
              { pending: c.pending, credential: asserted(cred), next: box.dataset.next || "/" });
          });
        });
    },
    "invite": function (box) {
      return post("/api/v1/auth/passkey/invite/begin", { token: box.dataset.token, login: value("login") })
        .then(function (c) { return register(c, value("passkey_name")); });
    },
    "add": function () {
      return post("/api/v1/auth/passkey/add/begin", {})
        .then(function (c) { return register(c, value("passkey_name")); });
    }
  };
  function register(c, name) {
    return navigator.credentials.create(creationOptions(c.options)).then(function (cred) {
      return post("/api/v1/auth/passkey/register/finish",
        { pending: c.pending, credential: created(cred), name: name || "" });
    });
  }

  document.querySelectorAll("[data-passkey]").forEach(function (box) {
    var flow = flows[box.dataset.passkey], go = box.querySelector("[data-passkey-go]");
    var err = box.querySelector("[data-passkey-error]");
    if (!flow || !go) return;
    box.hidden = false;
    go.addEventListener("click", function () {
      go.disabled = true;
      if (err) err.hidden = true;
      flow(box).then(function (done) {
        window.location.assign(done.next || "/");
      }).catch(function (e) {
        go.disabled = false;
        if (err) {
          err.textContent = e && e.name === "NotAllowedError"
            ? "The passkey was cancelled or timed out. Try again, or use a password."
            : String(e && e.message || e);
          err.hidden = false;
        }
      });
    });
  });
})();
