// unknot: small enhancements for pages that already work without JavaScript.
// - the body map ticks the matching checkbox (and the checkbox lights the shape); tapping an
//   area records it and zooms in, where the knot spots are large enough to tap;
// - moving a slider records its row (a row not ticked has no slider to move);
// - the journal form says what it will save;
// - the More menu closes on Escape or a tap elsewhere;
// - forms with data-confirm ask before submitting (deleting an entry).
"use strict";
document.documentElement.classList.add("js");
(function () {
  function $(id) { return document.getElementById(id); }
  function rowOf(el) { return el.closest(".rated"); }
  function boxOf(row) { return row && row.querySelector('input[type="checkbox"]'); }

  // Sliders: show the value, and moving one records its row.
  document.querySelectorAll("input[type=range][data-output]").forEach(function (range) {
    var out = $(range.getAttribute("data-output"));
    range.addEventListener("input", function () {
      if (out) out.textContent = range.value;
      var box = boxOf(rowOf(range));
      if (box && !box.checked) { box.checked = true; box.dispatchEvent(new Event("change", { bubbles: true })); }
      summarise();
    });
  });

  // The body map.
  var area = $("map-area"), caption = $("map-caption"), out = $("map-out"), remove = $("map-remove");
  var zoomed = null; // { svg, shape }
  function shapesFor(id) { return document.querySelectorAll('svg.picker [data-toggle="' + id + '"]'); }
  function syncShape(box) {
    shapesFor(box.id).forEach(function (s) { s.classList.toggle("on", box.checked); });
  }
  function say(text) { if (caption) caption.textContent = text; }
  function level(box) {
    var range = rowOf(box) && rowOf(box).querySelector("input[type=range]");
    return range ? range.value : "";
  }
  function setBox(box, on) {
    if (box.checked === on) return;
    box.checked = on;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function zoomOut() {
    if (!zoomed) return;
    zoomed.svg.setAttribute("viewBox", zoomed.svg.getAttribute("data-whole"));
    zoomed.svg.classList.remove("zoomed");
    zoomed.svg.querySelectorAll(".here").forEach(function (k) { k.classList.remove("here"); k.setAttribute("r", "3.5"); });
    zoomed = null;
    out.hidden = true; remove.hidden = true;
    say("Tap an area to add it.");
  }
  function zoomIn(svg, shape) {
    var box = shape.getAttribute("data-zoom").split(" ").map(Number);
    svg.setAttribute("viewBox", box.join(" "));
    svg.classList.add("zoomed");
    zoomed = { svg: svg, shape: shape };
    // Spots inside the area become targets of at least 44 px that never overlap: the radius
    // stays under half the distance between the closest two.
    var scale = svg.getBoundingClientRect().width / box[2];
    var x = +shape.getAttribute("x"), y = +shape.getAttribute("y"), w = +shape.getAttribute("width"), h = +shape.getAttribute("height");
    var here = Array.prototype.filter.call(svg.querySelectorAll("circle.knot"), function (k) {
      var cx = +k.getAttribute("cx"), cy = +k.getAttribute("cy");
      var inside = cx > x && cx < x + w && cy > y && cy < y + h;
      k.classList.toggle("here", inside);
      if (!inside) k.setAttribute("r", "3.5");
      return inside;
    });
    var gap = Infinity;
    here.forEach(function (a, i) {
      here.slice(i + 1).forEach(function (b) {
        gap = Math.min(gap, Math.hypot(a.getAttribute("cx") - b.getAttribute("cx"), a.getAttribute("cy") - b.getAttribute("cy")));
      });
    });
    var r = Math.min(gap / 2 - 0.2, 23 / scale);
    here.forEach(function (k) { k.setAttribute("r", r.toFixed(2)); });
    out.hidden = false;
  }
  function areaTapped(svg, shape) {
    var id = shape.getAttribute("data-toggle"), label = shape.getAttribute("data-label");
    var box = id ? $(id) : null, zooms = shape.hasAttribute("data-zoom"), text = label + ".";
    if (box && !box.checked) {
      setBox(box, true);
      text = label + ": added, pain " + level(box) + " (set it in the list).";
    } else if (box && !zooms) {
      setBox(box, false);
      say(label + ": removed.");
      remove.hidden = true;
      return;
    } else if (box) {
      text = label + ": recorded, pain " + level(box) + ".";
    }
    if (zooms) {
      zoomIn(svg, shape);
      text += " Tap a spot where you feel a knot.";
    }
    say(text);
    remove.hidden = !box;
    if (box) {
      remove.textContent = "Remove " + label.toLowerCase();
      remove.setAttribute("data-for", id);
      remove.setAttribute("data-label", label);
    }
  }
  function knotTapped(spot) {
    var box = $(spot.getAttribute("data-toggle")), label = spot.getAttribute("data-label");
    if (!box) return;
    setBox(box, !box.checked);
    var group = box.closest("details");
    if (group && box.checked) group.open = true;
    say(box.checked ? label + ": knot added, tenderness " + level(box) + "." : label + ": knot removed.");
  }
  if (area) {
    document.querySelectorAll("svg.picker").forEach(function (svg) {
      svg.addEventListener("click", function (ev) {
        var t = ev.target.closest("[data-toggle], .zoom-only");
        if (!t) return;
        if (t.classList.contains("knot")) knotTapped(t);
        else if (!svg.classList.contains("zoomed")) areaTapped(svg, t);
      });
    });
    document.querySelectorAll(".map-views button").forEach(function (b) {
      b.addEventListener("click", function () {
        zoomOut();
        var view = b.getAttribute("data-view");
        document.querySelectorAll(".map-views button").forEach(function (o) { o.setAttribute("aria-pressed", String(o === b)); });
        document.querySelectorAll("svg.picker").forEach(function (svg) { svg.toggleAttribute("hidden", svg.getAttribute("data-view") !== view); });
      });
    });
    var front = document.querySelector('svg.picker[data-view="front"]');
    if (front) front.setAttribute("hidden", "");
    out.addEventListener("click", zoomOut);
    remove.addEventListener("click", function () {
      var box = $(remove.getAttribute("data-for"));
      if (box) setBox(box, false);
      zoomOut();
      remove.hidden = true;
      say(remove.getAttribute("data-label") + ": removed.");
    });
    say("Tap an area to add it.");
  }
  document.querySelectorAll('input[type="checkbox"][id^="region-"], input[type="checkbox"][id^="knot-"]').forEach(function (box) {
    box.addEventListener("change", function () { syncShape(box); summarise(); });
  });

  // What the journal form will save, kept up to date, so nothing is dropped without a word.
  var form = document.querySelector("form.entry-form"), summary = $("entry-summary");
  function summarise() {
    if (!form || !summary) return;
    var parts = [], pain = form.querySelector('input[name="pain"]:checked');
    parts.push(pain && pain.value !== "" ? "pain " + pain.value : "no overall rating");
    var areas = form.querySelectorAll('input[name="region"]:checked').length;
    var knots = form.querySelectorAll('input[name="knot"]:checked').length;
    parts.push(areas === 1 ? "1 area" : areas + " areas");
    parts.push(knots === 1 ? "1 knot" : knots + " knots");
    summary.textContent = "Will save: " + parts.join(", ") + ".";
  }
  if (form) {
    form.addEventListener("change", summarise);
    summarise();
  }

  // The More menu.
  document.querySelectorAll("details.menu").forEach(function (menu) {
    document.addEventListener("click", function (ev) { if (menu.open && !menu.contains(ev.target)) menu.open = false; });
    menu.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (!window.confirm(f.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
})();
