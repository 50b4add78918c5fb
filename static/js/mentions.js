// @mention and #hashtag suggestions in the compose box: type "@jo" or "#te", pick with the arrow keys
// and Enter or Tab (or a click), Escape closes. The list is server-rendered HTML fetched through htmx.
(function () {
  "use strict";
  // What the server finds (config/kernel/text.py): a name of up to 15 word characters, a tag of up to 100.
  var KINDS = [
    { pattern: /(?:^|[^\w@])@(\w{1,15})$/u, url: "mentionUrl" },
    { pattern: /(?:^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}_]{1,100})$/u, url: "hashtagUrl" },
  ];
  var timer = null;

  function listFor(field) { return document.getElementById(field.getAttribute("aria-controls")); }
  function options(list) { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]')); }

  function mentionBefore(field) {
    var typed = field.value.slice(0, field.selectionStart);
    for (var i = 0; i < KINDS.length; i++) {
      var match = typed.match(KINDS[i].pattern);
      if (match && field.dataset[KINDS[i].url]) {
        return { query: match[1], start: field.selectionStart - match[1].length - 1, url: field.dataset[KINDS[i].url] };
      }
    }
    return null;
  }

  function close(field) {
    var list = listFor(field);
    if (!list) return;
    list.hidden = true;
    list.innerHTML = "";
    // htmx copies a swapped element's attributes onto its namesake; a left-over style="" would then break the CSP.
    list.removeAttribute("style");
    field.setAttribute("aria-expanded", "false");
    field.removeAttribute("aria-activedescendant");
  }

  function select(field, option) {
    var list = listFor(field);
    options(list).forEach(function (item) { item.setAttribute("aria-selected", item === option ? "true" : "false"); });
    if (option) {
      field.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(field, option) {
    var found = mentionBefore(field);
    if (!found || !option) return close(field);
    var before = field.value.slice(0, found.start), after = field.value.slice(field.selectionStart);
    var inserted = option.dataset.insert + " ";
    field.value = before + inserted + after.replace(/^\s+/, "");
    var caret = before.length + inserted.length;
    field.setSelectionRange(caret, caret);
    close(field);
    field.dispatchEvent(new Event("input", { bubbles: true })); // the character counter
    field.focus();
  }

  function suggest(field) {
    var found = mentionBefore(field), list = listFor(field);
    if (!found || !list) return close(field);
    var url = found.url + "?q=" + encodeURIComponent(found.query);
    htmx.ajax("GET", url, { target: list, swap: "innerHTML" }).then(function () {
      var items = options(list);
      if (!items.length || !mentionBefore(field)) return close(field);
      list.style.top = field.offsetTop + field.offsetHeight + 4 + "px"; // just under the text box
      list.hidden = false;

      field.setAttribute("aria-expanded", "true");
      select(field, items[0]);
    });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-mention-url]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(field); }, 120);
  });

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-mention-url]") || field.getAttribute("aria-expanded") !== "true") return;
    var items = options(listFor(field));
    var current = items.indexOf(document.getElementById(field.getAttribute("aria-activedescendant")));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      select(field, items[(current + step + items.length) % items.length]);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(field, items[Math.max(current, 0)]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(field);
    }
  });

  // mousedown, not click: it comes before the field loses focus.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".mention-option");
    if (!option) return;
    event.preventDefault();
    var field = document.querySelector('[aria-controls="' + option.parentElement.id + '"]');
    if (field) choose(field, option);
  });

  document.addEventListener("focusout", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-mention-url]")) setTimeout(function () { close(field); }, 150);
  });
})();
