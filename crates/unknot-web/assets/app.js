// unknot: small enhancements for pages that already work without JavaScript.
// - the body map ticks the matching checkbox (and the checkbox lights the shape);
// - sliders show their value;
// - forms with data-confirm ask before submitting (deleting an entry).
"use strict";
(function () {
  function syncShape(box) {
    document.querySelectorAll('[data-toggle="' + box.id + '"]').forEach(function (shape) {
      shape.classList.toggle("on", box.checked);
    });
  }
  document.querySelectorAll("svg.picker [data-toggle]").forEach(function (shape) {
    shape.addEventListener("click", function () {
      var box = document.getElementById(shape.getAttribute("data-toggle"));
      if (!box) return;
      box.checked = !box.checked;
      syncShape(box);
      var group = box.closest("details");
      if (group && box.checked) group.open = true;
      if (box.checked) {
        // Rate the spot by default when picking it; pain ratings start at the slider's value.
        var rated = document.getElementById("pain_rated");
        if (rated && !rated.checked && shape.getAttribute("data-region")) rated.checked = true;
      }
    });
  });
  document.querySelectorAll('input[type="checkbox"][id^="region-"], input[type="checkbox"][id^="knot-"]').forEach(function (box) {
    box.addEventListener("change", function () { syncShape(box); });
  });
  document.querySelectorAll("input[type=range][data-output]").forEach(function (range) {
    var out = document.getElementById(range.getAttribute("data-output"));
    if (!out) return;
    range.addEventListener("input", function () { out.textContent = range.value; });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
})();
