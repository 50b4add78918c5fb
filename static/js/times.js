// Times in the reader's zone: "now", "5m", "3h", "Dec 3" kept current without a reload, and the
// full date on hover and for screen readers. The server writes the same short form for the first
// paint (accounts/templatetags/chirp.py short_time) in the zone the `tz` cookie set here names.
(function () {
  "use strict";

  var browserZone = "UTC";
  try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) { /* old browser */ }

  // The server reads the browser's zone from this cookie on later requests (config/kernel/timezones.py).
  // Zone names are cookie-safe as they are ("America/New_York"); the server reads them unquoted.
  if (/^[A-Za-z0-9_+\-\/]{1,64}$/.test(browserZone) && document.cookie.split("; ").indexOf("tz=" + browserZone) === -1) {
    document.cookie = "tz=" + browserZone + "; path=/; max-age=31536000; SameSite=Lax";
  }

  function zone() { return document.body.dataset.timeZone || browserZone; }

  function formats() {
    var lang = document.documentElement.lang || "en";
    var timeZone = zone();
    return {
      day: new Intl.DateTimeFormat(lang, { month: "short", day: "numeric", timeZone: timeZone }),
      dayYear: new Intl.DateTimeFormat(lang, { month: "short", day: "numeric", year: "numeric", timeZone: timeZone }),
      year: new Intl.DateTimeFormat(lang, { year: "numeric", timeZone: timeZone }),
      full: new Intl.DateTimeFormat(lang, {
        year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit",
        timeZoneName: "short", timeZone: timeZone,
      }),
    };
  }

  function short(when, now, f) {
    var seconds = (now - when) / 1000;
    // The page's language (document.documentElement.lang, from the JS catalogue): "now", "5m", "3h" in English.
    // Translators: a post's age, "now", then minutes ("5m") and hours ("3h"); keep them short.
    if (seconds < 60) return gettext("now");
    // Translators: minutes ago, short: "5m".
    if (seconds < 3600) return interpolate(gettext("%(n)sm"), { n: Math.floor(seconds / 60) }, true);
    // Translators: hours ago, short: "3h".
    if (seconds < 86400) return interpolate(gettext("%(n)sh"), { n: Math.floor(seconds / 3600) }, true);
    return f.year.format(when) === f.year.format(now) ? f.day.format(when) : f.dayYear.format(when);
  }

  function refresh(root) {
    var times = (root || document).querySelectorAll("time[data-relative]");
    if (!times.length) return;
    var f = formats();
    var now = new Date();
    times.forEach(function (time) {
      var when = new Date(time.getAttribute("datetime"));
      if (isNaN(when)) return;
      var shown = time.querySelector("[data-short]");
      if (!shown) {
        // What the eye reads, and what a screen reader reads instead.
        time.textContent = "";
        shown = document.createElement("span");
        shown.setAttribute("aria-hidden", "true");
        shown.dataset.short = "";
        var full = document.createElement("span");
        full.className = "visually-hidden";
        full.dataset.full = "";
        time.append(shown, full);
      }
      // Only what changed: writing text adds nodes, which the observer below would take as new content.
      var label = f.full.format(when);
      var text = short(when, now, f);
      var full = time.querySelector("[data-full]");
      if (shown.textContent !== text) shown.textContent = text;
      if (full.textContent !== label) full.textContent = label;
      if (time.title !== label) time.title = label;
    });
  }

  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; refresh(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    refresh();
    // Posts, notifications and messages that arrive later (htmx, the live socket) get the same.
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        if (changes[i].addedNodes.length) { soon(); return; }
      }
    }).observe(document.body, { childList: true, subtree: true });
    setInterval(refresh, 30000);
  });

  window.chirpTimes = { refresh: refresh, short: short };
})();
