// The commune's form, improved: focus moves to the error summary (or the "còn thiếu" list) when the page shows one,
// and a link to a field (#fragment) puts the cursor in that field. Everything works without it.
(function () {
  "use strict";
  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return false;
    var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    (field || target).focus({ preventScroll: false });
    return true;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus]");
    if (summary) summary.focus();
    else focusTarget();
  });
  window.addEventListener("hashchange", focusTarget);
})();
