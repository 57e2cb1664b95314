// unknot: the visit summary's Print button (the page itself has no other script).
"use strict";
(function () {
  var b = document.getElementById("print");
  if (b) b.addEventListener("click", function () { window.print(); });
})();
