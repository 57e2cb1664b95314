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

  document.querySelectorAll(".therapy-timer").forEach(function (box) {
    var speed = parseFloat(box.getAttribute("data-speed")) || 1;
    var max = parseInt(box.getAttribute("data-max"), 10);
    var kind = box.getAttribute("data-kind");
    var input = box.querySelector("input[type=number]"), barrier = box.querySelector(".barrier");
    var out = box.querySelector(".timer"), say = box.querySelector(".status"), start = box.querySelector(".start");
    start.addEventListener("click", function () {
      var minutes = parseInt(input.value, 10);
      if (!(minutes >= 1 && minutes <= max)) { say.textContent = "Choose 1 to " + max + " minutes: longer is not safe."; return; }
      if (!barrier.checked) { say.textContent = "Put a cloth between the pack and your skin, then tick the box."; return; }
      start.disabled = true; keepAwake();
      var left = minutes * 60;
      var t = setInterval(function () {
        left -= 0.25 * speed; out.textContent = fmt(left);
        if (left <= 0) {
          clearInterval(t); release(); beep(880);
          post("/api/v1/therapy", { kind: kind, minutes: minutes, barrier: true }).then(function (r) {
            say.textContent = r.ok ? "Time is up: take the pack off. Recorded in your journal." : "Time is up. Not recorded: " + (r.body.detail || "error");
            start.disabled = false;
          });
        }
      }, 250);
    });
  });
})();
