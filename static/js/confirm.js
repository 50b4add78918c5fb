// Confirmation dialogs: a link with data-confirm-dialog="<id>" opens that <dialog> instead of its
// confirmation page (which is where the link goes without JavaScript). Esc, Cancel or a click on the
// backdrop close it; focus then goes back to the control that opened it (the menu's button when the
// link sat in a menu, which closes with the dialog).
(function () {
  "use strict";

  function open(opener, dialog) {
    var menu = opener.closest("details[open]");
    dialog.addEventListener("close", function () {
      if (menu) {
        menu.open = false;
        menu.querySelector("summary").focus();
      } else {
        opener.focus();
      }
    }, { once: true });
    dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-confirm-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.dataset.confirmDialog);
      if (!dialog || typeof dialog.showModal !== "function") return; // the page it links to asks instead
      event.preventDefault();
      open(opener, dialog);
      return;
    }
    var closer = event.target.closest && event.target.closest("[data-dialog-close]");
    if (closer) {
      closer.closest("dialog").close();
      return;
    }
    var shown = event.target.matches && event.target.matches("dialog.confirm-dialog[open]") ? event.target : null;
    if (shown) { // a click on the dialog itself is on its padding, or outside it: on the backdrop
      var box = shown.getBoundingClientRect();
      var outside = event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom;
      if (outside) shown.close();
    }
  });
})();
