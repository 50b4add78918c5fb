// Settings -> Notifications (templates/notifications/settings.html): a type that is off in the app
// sends no push and no email, so its push and email cells show as disabled, with a note saying why.
// Without this script every cell stays editable and the form saves the same way.
(function () {
  "use strict";

  function sync(row) {
    var on = row.querySelector("[data-notify-app]").checked;
    row.classList.toggle("notify-row-off", !on);
    var note = row.querySelector(".notify-note");
    if (note) note.hidden = on;
    row.querySelectorAll("[data-notify-follows]").forEach(function (control) {
      control.disabled = !on;
      // The note explains the disabled cell to a screen reader; a hidden note would still be read out.
      if (on || !note) control.removeAttribute("aria-describedby");
      else control.setAttribute("aria-describedby", note.id);
    });
  }

  function setUp(form) {
    form.querySelectorAll("tr[data-notify-type]").forEach(sync);
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-notify-app]")) sync(event.target.closest("tr"));
    });
    // Disabled controls are not sent: enable them for the post, so their choices are kept for later.
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-notify-follows]").forEach(function (control) { control.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-notify-settings]").forEach(setUp);
  });
})();
