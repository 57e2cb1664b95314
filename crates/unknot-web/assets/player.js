// unknot: the session player and the heat and cold timers. The steps come from the server
// (core unrolls the routine: get ready, hold, reps, switch sides, rest); this script only keeps
// time, speaks through a short tone at each change, keeps the screen awake, and posts the
// outcome. data-speed (from `unknot serve --speed`) runs timers faster for tests and demos.
"use strict";
(function () {
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    });
  }
  var audio = null;
  function beep(freq) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = freq || 660;
      g.gain.setValueAtTime(0.12, audio.currentTime);
      g.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
      o.connect(g); g.connect(audio.destination);
      o.start(); o.stop(audio.currentTime + 0.36);
    } catch (e) { /* no sound available: the screen still changes */ }
  }
  var wake = null;
  function keepAwake() {
    if (navigator.wakeLock && navigator.wakeLock.request) {
      navigator.wakeLock.request("screen").then(function (l) { wake = l; }).catch(function () {});
    }
  }
  function release() { if (wake) { wake.release().catch(function () {}); wake = null; } }
  function fmt(s) {
    s = Math.max(0, Math.ceil(s));
    var m = Math.floor(s / 60), r = s % 60;
    return m > 0 ? m + ":" + (r < 10 ? "0" : "") + r : String(r);
  }
  function $(id) { return document.getElementById(id); }

  var player = $("player");
  if (player) {
    var speed = parseFloat(player.getAttribute("data-speed")) || 1;
    var data = null, i = 0, left = 0, paused = false, timer = null, started = null, shownFigure = -1;
    var spent = [], status = [];
    var PHASE = { get_ready: "Get ready", hold: "Hold", reps: "Reps", switch_sides: "Switch sides", rest: "Rest" };
    fetch(player.getAttribute("data-steps-url"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (j) { data = j; spent = j.items.map(function () { return 0; }); status = j.items.map(function () { return null; }); });

    function show() {
      var step = data.steps[i], item = data.items[step.item];
      $("phase").textContent = PHASE[step.phase] + (step.side ? " · " + step.side + " side" : "") +
        " · set " + step.set + " of " + step.sets;
      $("exercise-name").textContent = item.name;
      if (step.item !== shownFigure) {
        // The figure is SVG drawn by the server from the exercise's poses (no script inside).
        var box = $("figure"), doc = new DOMParser().parseFromString(item.figure || "<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml");
        box.textContent = "";
        if (doc.documentElement && doc.documentElement.nodeName === "svg") box.appendChild(document.importNode(doc.documentElement, true));
        shownFigure = step.item;
      }
      var what = step.phase === "reps" ? step.reps + " slow reps" :
        step.rep ? "Hold " + step.rep[0] + " of " + step.rep[1] : item.dose;
      $("detail").textContent = what;
      var list = $("steps"); list.textContent = "";
      item.steps.forEach(function (s) { var li = document.createElement("li"); li.textContent = s; list.appendChild(li); });
      var next = data.steps[i + 1];
      $("next-up").textContent = next ? "Next: " + (PHASE[next.phase] + " · " + data.items[next.item].name) : "Last step";
      left = step.seconds;
      $("timer").textContent = fmt(left);
      $("progress").value = Math.round(100 * i / data.steps.length);
    }
    function advance(to) {
      var step = data.steps[i];
      if (step && status[step.item] === null && to > i) {
        var last = !data.steps.slice(to).some(function (s) { return s.item === step.item; });
        if (last) status[step.item] = "done";
      }
      i = to;
      if (i >= data.steps.length) return finish();
      beep(data.steps[i].phase === "rest" ? 440 : 660);
      show();
    }
    function tick() {
      if (paused) return;
      var dt = 0.25 * speed;
      left -= dt;
      spent[data.steps[i].item] += dt;
      $("timer").textContent = fmt(left);
      if (left <= 0) advance(i + 1);
    }
    function finish(quit) {
      clearInterval(timer); timer = null; release();
      status = status.map(function (s, k) { return s || (spent[k] > 0 ? "cut_short" : "skipped"); });
      $("stage").hidden = true; $("finish").hidden = false;
      $("finish").querySelector("h2").textContent = quit ? "Stopped early" : "Well done";
      $("pain-after").focus();
    }
    $("start").addEventListener("click", function () {
      if (!data || !data.steps.length) return;
      started = new Date();
      $("start").hidden = true; $("stage").hidden = false;
      keepAwake(); show(); beep(660);
      timer = setInterval(tick, 250);
      $("pause").focus();
    });
    $("pause").addEventListener("click", function () { paused = !paused; $("pause").textContent = paused ? "Resume (Space)" : "Pause (Space)"; });
    $("next").addEventListener("click", function () { advance(i + 1); });
    $("back").addEventListener("click", function () { if (i > 0) { i -= 1; show(); } });
    $("skip").addEventListener("click", function () {
      var item = data.steps[i].item; status[item] = spent[item] > 0 ? "cut_short" : "skipped";
      var to = i; while (to < data.steps.length && data.steps[to].item === item) to++;
      advance(to);
    });
    $("quit").addEventListener("click", function () { finish(true); });
    document.addEventListener("keydown", function (ev) {
      if (!timer || ev.target.tagName === "INPUT") return;
      var k = ev.key.toLowerCase();
      if (k === " ") { ev.preventDefault(); $("pause").click(); }
      else if (k === "n") $("next").click();
      else if (k === "b") $("back").click();
      else if (k === "s") $("skip").click();
      else if (k === "q") $("quit").click();
    });
    $("save").addEventListener("click", function () {
      $("save").disabled = true;
      post("/api/v1/sessions", {
        items: data.items.map(function (it, k) { return { exercise: it.exercise, status: status[k] || "skipped", seconds: Math.round(spent[k]) }; }),
        pain_before: parseInt($("pain-before").value, 10),
        pain_after: parseInt($("pain-after").value, 10)
      }).then(function (r) {
        $("saved").textContent = r.ok ? "Saved in your journal." : "Not saved: " + (r.body.detail || "error");
        if (!r.ok) $("save").disabled = false;
      });
    });
  }

  // Heat, cold and contrast: the server checks the request and returns the phases within the
  // hard limits (and any warning), this timer runs them in order, and what was really applied
  // is recorded, also when stopped early.
  document.querySelectorAll(".therapy-timer").forEach(function (box) {
    var speed = parseFloat(box.getAttribute("data-speed")) || 1;
    var kind = box.getAttribute("data-kind");
    var input = box.querySelector("input[type=number]"), barrier = box.querySelector(".barrier");
    var where = box.querySelector(".where");
    var out = box.querySelector(".timer"), say = box.querySelector(".status");
    var start = box.querySelector(".start"), stop = box.querySelector(".stop");
    var timer = null, done = { heat: 0, cold: 0 }, phases = [], at = 0, left = 0;
    function finish(early) {
      clearInterval(timer); timer = null; release(); beep(880);
      stop.hidden = true; start.disabled = false;
      post("/api/v1/therapy", {
        kind: kind, barrier: true, stopped_early: early,
        heat_seconds: Math.round(done.heat), cold_seconds: Math.round(done.cold),
        region: where.value || null
      }).then(function (r) {
        var what = early ? "Stopped: take the pack off." : "Time is up: take the pack off.";
        if (!r.ok) say.textContent = what + " Not recorded: " + (r.body.detail || "error");
        else say.textContent = what + (r.body ? " Recorded in your journal." : " Under a minute, so nothing was recorded.");
      });
    }
    function tick() {
      var p = phases[at];
      left -= 0.25 * speed;
      done[p[0] === "cold" ? "cold" : "heat"] += 0.25 * speed;
      out.textContent = (phases.length > 1 ? p[0] + " " + (at + 1) + " of " + phases.length + ": " : "") + fmt(left);
      if (left <= 0) {
        at += 1;
        if (at >= phases.length) { finish(false); return; }
        beep(520); left = phases[at][1] * 60;
      }
    }
    start.addEventListener("click", function () {
      if (!barrier.checked) { say.textContent = "Put a cloth or towel between the pack and your skin, then tick the box."; return; }
      var url = "/api/v1/therapy/plan?kind=" + kind + (input ? "&minutes=" + encodeURIComponent(input.value) : "");
      fetch(url).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); }).then(function (r) {
        if (!r.ok) { say.textContent = r.body.detail || "Not started."; return; }
        phases = r.body.phases; at = 0; left = phases[0][1] * 60; done = { heat: 0, cold: 0 };
        say.textContent = r.body.warnings.map(function (w) { return w.says; }).join(" ");
        start.disabled = true; stop.hidden = false; keepAwake();
        timer = setInterval(tick, 250);
      });
    });
    stop.addEventListener("click", function () { if (timer) finish(true); });
  });
})();
