// Scheduling a post: the browser's time zone goes with the form (the server reads the
// datetime-local value in it), and the picker starts 5 minutes from now. Without this
// script the zone is UTC, and the page says which zone it used.
(function () {
  "use strict";

  function zone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (error) {
      return "UTC";
    }
  }

  function localValue(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) +
      "T" + two(date.getHours()) + ":" + two(date.getMinutes());
  }

  function fill(root) {
    var name = zone();
    root.querySelectorAll("input[data-local-zone]").forEach(function (input) { input.value = name; });
    root.querySelectorAll("[data-local-zone-name]").forEach(function (el) { el.textContent = name; });
    var soonest = localValue(new Date(Date.now() + 6 * 60 * 1000));
    var latest = localValue(new Date(Date.now() + 365 * 24 * 60 * 60 * 1000));
    root.querySelectorAll("input[data-schedule-at]").forEach(function (input) {
      input.min = soonest;
      input.max = latest;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { fill(document); });
  document.addEventListener("htmx:load", function (event) { if (event.target.querySelectorAll) fill(event.target); });
})();
