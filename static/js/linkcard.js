// The link preview in the compose box: as soon as the text has an http(s) link, the card of its first
// link shows under it (a server-rendered fragment, tweets/link_card_views.py), asked again while the
// worker fetches the page. Its "×" removes it: the hidden `no_card` field posts without the card.
// Without JavaScript nothing shows here, and the card simply appears on the post.
(function () {
  "use strict";
  var URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/i; // as config/kernel/text.py finds links
  var TRAILING = ".,;:!?)]}'\"";
  var WAIT_MS = 600; // after the last keystroke
  var POLL_MS = 1500;
  var POLLS = 8;

  function firstLink(text) {
    var match = text.match(URL_PATTERN);
    if (!match) return null;
    var url = match[0];
    while (url && TRAILING.indexOf(url[url.length - 1]) !== -1) {
      var last = url[url.length - 1];
      if (last === ")" && url.split("(").length >= url.split(")").length) break;
      url = url.slice(0, -1);
    }
    return url.length > "https://".length ? url : null;
  }

  function parts(form) {
    return {
      box: form.querySelector("[data-link-card]"),
      off: form.querySelector("[data-link-card-off]"),
      field: form.querySelector("[data-compose-text]"),
    };
  }

  function clear(box) {
    box.textContent = "";
    delete box.dataset.shownUrl;
  }

  function ask(form, url, attempt) {
    var p = parts(form);
    if (!p.box) return;
    fetch(p.box.dataset.linkCardUrl + "?url=" + encodeURIComponent(url), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      if (firstLink(p.field.value) !== url || p.box.dataset.removedUrl === url) return; // typed on meanwhile
      if (response.status === 200 || response.status === 202) {
        return response.text().then(function (html) {
          p.box.innerHTML = html; // our own template: the page's text is escaped there
          p.box.dataset.shownUrl = url;
          if (response.status === 202 && attempt < POLLS) {
            setTimeout(function () { ask(form, url, attempt + 1); }, POLL_MS);
          } else if (response.status === 202) {
            clear(p.box); // still nothing: the card may appear on the post later
          }
        });
      }
      clear(p.box); // no preview for this link (refused, failed, not a link, rate-limited)
    }).catch(function () { clear(p.box); });
  }

  function update(form) {
    var p = parts(form);
    if (!p.box || !p.field) return;
    var url = firstLink(p.field.value);
    if (url !== p.box.dataset.removedUrl && p.off) {
      p.off.value = "False"; // a new link: its card is wanted again
      delete p.box.dataset.removedUrl;
    }
    if (!url) return clear(p.box);
    if (url === p.box.dataset.shownUrl || url === p.box.dataset.removedUrl) return;
    clear(p.box);
    ask(form, url, 0);
  }

  // A form drawn with text already (after an error, or a draft): its preview, or its removal, as it was.
  function scan(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-compose-text]"), function (field) {
      var form = field.closest("form"), p = form ? parts(form) : null;
      if (!p || !p.box || !field.value) return;
      if (p.off && p.off.value === "True") p.box.dataset.removedUrl = firstLink(field.value) || "";
      update(form);
    });
  }
  scan(document);
  document.addEventListener("htmx:afterSwap", function (event) { scan(event.target.parentNode || document); });

  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-compose-text]")) return;
    var form = event.target.closest("form");
    if (!form) return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { update(form); }, WAIT_MS));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-link-card-remove]");
    if (!button) return;
    var form = button.closest("form");
    var p = parts(form);
    p.box.dataset.removedUrl = p.box.dataset.shownUrl || "";
    clear(p.box);
    if (p.off) p.off.value = "True";
    p.field.focus();
  });
})();
