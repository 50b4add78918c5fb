// A post's "Copy link" and "Share" menu items (templates/jinja2/tweets/actions.jinja).
// Without this script "Copy link" is a plain link to the post; "Share" stays hidden.
(function () {
  "use strict";

  function absolute(path) { return new URL(path, location.href).href; }

  function closeMenu(item) {
    var menu = item.closest("details");
    if (menu) menu.open = false;
  }

  function showShareButtons(root) {
    if (typeof navigator.share !== "function") return;
    root.querySelectorAll("[data-share][hidden]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy-link]");
    if (copy && navigator.clipboard) {
      event.preventDefault();
      var label = copy.querySelector("[data-copy-label]");
      navigator.clipboard.writeText(absolute(copy.dataset.copyLink)).then(function () {
        label.textContent = gettext("Copied");
        copy.classList.add("is-copied");
        setTimeout(function () {
          label.textContent = gettext("Copy link");
          copy.classList.remove("is-copied");
          closeMenu(copy);
        }, 1500);
      }, function () {
        location.href = copy.href; // no clipboard permission: the post's page, whose address is the link
      });
      return;
    }
    var share = event.target.closest("[data-share]");
    if (share && typeof navigator.share === "function") {
      event.preventDefault();
      navigator.share({ title: share.dataset.shareText, url: absolute(share.dataset.share) }).catch(function () {});
      closeMenu(share);
    }
  });

  // A confirmation toast (templates/tweets/_note_toast.html) goes away by itself; errors stay.
  function expireToasts() {
    document.querySelectorAll("[data-toast]:not([data-expiring])").forEach(function (toast) {
      toast.dataset.expiring = "1";
      setTimeout(function () { toast.remove(); }, 4000);
    });
  }
  document.addEventListener("htmx:oobAfterSwap", expireToasts);

  document.addEventListener("DOMContentLoaded", function () { showShareButtons(document); });
  // Cards that arrive later (infinite scroll, a swapped action bar) get theirs too.
  document.addEventListener("htmx:afterSettle", function (event) { showShareButtons(event.target); });
})();
