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

  function chosen(name) {
    var r = document.querySelector('input[name="' + name + '"]:checked');
    return r ? parseInt(r.value, 10) : null;
  }
  function fill(list, lines) {
    list.textContent = "";
    (lines || []).forEach(function (s) { var li = document.createElement("li"); li.textContent = s; list.appendChild(li); });
  }

  var player = $("player");
  if (player) {
    var speed = parseFloat(player.getAttribute("data-speed")) || 1;
    var data = null, i = 0, left = 0, paused = false, timer = null, shownFigure = -1, quitEarly = false;
    var spent = [], status = [];
    var PHASE = { get_ready: "Get ready", hold: "Hold", reps: "Reps", switch_sides: "Switch sides", rest: "Rest" };
    fetch(player.getAttribute("data-steps-url"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        data = j; spent = j.items.map(function () { return 0; }); status = j.items.map(function () { return null; });
        $("start").disabled = !j.steps.length;
        $("loading").textContent = j.steps.length ? "" : "There is nothing to time in this routine.";
      })
      .catch(function () { $("loading").textContent = "The steps could not be loaded. Reload the page to try again."; });

    function show() {
      var step = data.steps[i], item = data.items[step.item];
      $("phase").textContent = PHASE[step.phase] + (step.side ? " · " + step.side + " side" : "") +
        " · set " + step.set + " of " + step.sets;
      $("exercise-name").textContent = item.name;
      $("count").textContent = "Exercise " + (step.item + 1) + " of " + data.items.length;
      if (step.item !== shownFigure) {
        // The figure is SVG drawn by the server from the exercise's poses (no script inside).
        var box = $("figure"), doc = new DOMParser().parseFromString(item.figure || "<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml");
        box.textContent = "";
        if (doc.documentElement && doc.documentElement.nodeName === "svg") box.appendChild(document.importNode(doc.documentElement, true));
        fill($("steps"), item.steps);
        fill($("avoid-if"), item.avoid_if);
        fill($("stop-if"), item.stop_if);
        $("avoid-box").hidden = !(item.avoid_if && item.avoid_if.length);
        $("stop-box").hidden = !(item.stop_if && item.stop_if.length);
        shownFigure = step.item;
      }
      var what = step.phase === "reps" ? step.reps + " slow reps" :
        step.rep ? "Hold " + step.rep[0] + " of " + step.rep[1] : item.dose;
      $("detail").textContent = what;
      var next = data.steps[i + 1];
      $("next-up").textContent = next ? "Next: " + PHASE[next.phase] + " · " + data.items[next.item].name : "Last step";
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
      if (i >= data.steps.length) return finish(false);
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
    // What was done, said plainly: a session stopped early is not called finished, and an
    // exercise stopped within seconds (core's MEANINGFUL_SECONDS) is not called done.
    var meaningful = parseFloat(player.getAttribute("data-meaningful")) || 30;
    function summarise() {
      var done = 0, cut = 0, left = 0, list = $("outcomes");
      list.textContent = "";
      data.items.forEach(function (it, k) {
        var how = "not done", real = status[k] === "cut_short" && spent[k] >= meaningful;
        if (status[k] === "done") { done++; how = "done"; }
        else if (real) { cut++; how = "cut short after " + fmt(spent[k]); }
        else { left++; if (status[k] === "cut_short") how = "stopped after " + fmt(spent[k]) + " s"; }
        var li = document.createElement("li"), name = document.createElement("span"), tag = document.createElement("span");
        name.textContent = it.name; tag.textContent = how; tag.className = "badge" + (status[k] === "done" ? " ok" : "");
        li.appendChild(name); li.appendChild(tag); list.appendChild(li);
      });
      var n = data.items.length, word = n === 1 ? " exercise" : " exercises";
      var heading = done === n ? "Well done" : quitEarly ? "Stopped early" : "Session finished";
      var said;
      if (done === n) said = n === 1 ? "You did the whole exercise." : "You did all " + n + " exercises.";
      else if (done === 0 && cut === 0) said = "Nothing was done this time. You can still save it, or leave without saving.";
      else said = "You did " + done + " of " + n + word + " in full" + (cut ? ", cut " + cut + " short" : "") +
        (left ? ", and left " + left + " out" : "") + ".";
      $("finish-title").textContent = heading;
      $("finish-summary").textContent = said;
    }
    function finish(quit) {
      clearInterval(timer); timer = null; release();
      quitEarly = quit;
      status = status.map(function (s, k) { return s || (spent[k] > 0 ? "cut_short" : "skipped"); });
      document.body.classList.remove("playing");
      $("stage").hidden = true; $("finish").hidden = false;
      player.querySelector(".before").hidden = true;
      summarise();
      $("finish").scrollIntoView();
      $("finish-title").focus();
    }
    $("start").addEventListener("click", function () {
      if (!data || !data.steps.length) return;
      document.body.classList.add("playing");
      $("stage").hidden = false;
      window.scrollTo(0, 0);
      keepAwake(); show(); beep(660);
      timer = setInterval(tick, 250);
      $("pause").focus();
    });
    $("pause").addEventListener("click", function () {
      paused = !paused;
      $("stage").classList.toggle("paused", paused);
      $("pause").querySelector("span").textContent = paused ? "Resume" : "Pause";
      $("pause").querySelector("use").setAttribute("href", paused ? "#i-play" : "#i-pause");
    });
    $("next").addEventListener("click", function () { advance(i + 1); });
    $("back").addEventListener("click", function () { if (i > 0) { i -= 1; show(); } });
    $("skip").addEventListener("click", function () {
      var item = data.steps[i].item; status[item] = spent[item] > 0 ? "cut_short" : "skipped";
      var to = i; while (to < data.steps.length && data.steps[to].item === item) to++;
      advance(to);
    });
    $("quit").addEventListener("click", function () { finish(true); });
    document.addEventListener("keydown", function (ev) {
      if (!timer || ev.target.tagName === "INPUT" || ev.target.tagName === "SUMMARY") return;
      var k = ev.key.toLowerCase();
      if (k === " ") { ev.preventDefault(); $("pause").click(); }
      else if (k === "n") $("next").click();
      else if (k === "b") $("back").click();
      else if (k === "s") $("skip").click();
      else if (k === "q") $("quit").click();
    });
    var COMPLETION = {
      full: "Saved in your journal: the whole session, done.",
      partial: "Saved in your journal as a partial session. It still counts as exercise today.",
      nothing: "Saved, but nothing was done, so it does not count as exercise today."
    };
    // The session's id is made once, here on the device: saving again after a lost answer, or
    // sending it later from the offline queue, stores it once.
    var queue = window.unknotQueue, sessionId = queue ? queue.uuid() : null;
    $("save").addEventListener("click", function () {
      $("save").disabled = true;
      var body = {
        items: data.items.map(function (it, k) { return { exercise: it.exercise, status: status[k] || "skipped", seconds: Math.round(spent[k]) }; }),
        pain_before: chosen("pain-before"),
        pain_after: chosen("pain-after"),
        warning_signs: Array.prototype.map.call(
          document.querySelectorAll('input[name="warning-sign"]:checked'), function (c) { return c.value; })
      };
      if (sessionId) body.id = sessionId;
      (queue ? queue.post : post)("/api/v1/sessions", body).then(function (r) {
        if (r.queued) {
          $("saved").textContent = "Saved on this device: no network now, so it will be sent to your journal when the network returns.";
          $("leave").textContent = "Back to Today";
          return;
        }
        if (!r.ok) {
          $("saved").textContent = "Not saved: " + (r.body.detail || "error") + " Nothing was stored; try again.";
          $("save").disabled = false;
          return;
        }
        $("saved").textContent = COMPLETION[r.body.completion] || "Saved.";
        if (r.body.safety && r.body.safety.urgency !== "self_care") {
          $("safety-advice").textContent = r.body.safety.advice;
          $("safety").hidden = false;
        }
        $("leave").textContent = "Back to Today";
      }).catch(function () {
        $("saved").textContent = "Not saved: the app did not answer. Nothing was stored; try again.";
        $("save").disabled = false;
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
      stop.hidden = true; start.hidden = false; box.classList.remove("running"); start.focus();
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
      var name = p[0] === "cold" ? "Cold" : "Heat";
      out.textContent = (phases.length > 1 ? name + " " + (at + 1) + " of " + phases.length + ": " : "") + fmt(left);
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
        start.hidden = true; stop.hidden = false; box.classList.add("running"); keepAwake();
        out.textContent = fmt(left); stop.focus();
        timer = setInterval(tick, 250);
      });
    });
    stop.addEventListener("click", function () { if (timer) finish(true); });
  });
})();
