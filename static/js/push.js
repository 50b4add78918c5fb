/* Web Push in the page: registers the service worker (/sw.js) on every page, and runs the
   "Push notifications" part of Settings → Notifications (templates/notifications/_push_settings.html).
   Permission is asked only when the person clicks "Turn on push notifications for this browser". */
(function () {
  "use strict";

  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  function register() {
    return navigator.serviceWorker.register("/sw.js", { scope: "/" });
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function csrfToken(box) {
    var input = box.querySelector('[name="csrfmiddlewaretoken"]');
    if (input) return input.value;
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // POST a PushSubscription (or anything with its toJSON shape) to the API; resolves to the stored one.
  function sendSubscription(box, subscription) {
    var body = typeof subscription.toJSON === "function" ? subscription.toJSON() : subscription;
    return fetch(box.dataset.subscribeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(box) },
      body: JSON.stringify({ endpoint: body.endpoint, keys: body.keys }),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) throw new Error(answer.error || interpolate(gettext("Push couldn't be turned on (%(status)s)."), { status: response.status }, true));
        return answer.pushSubscription;
      });
    });
  }

  function say(box, text) {
    var status = box.querySelector("[data-push-status]");
    if (status) status.textContent = text;
  }

  function turnOn(box, button) {
    button.disabled = true;
    say(box, gettext("Asking your browser…"));
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error(gettext("Your browser didn't allow notifications for this site."));
      return register().then(function () { return navigator.serviceWorker.ready; });
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) });
    }).then(function (subscription) {
      return sendSubscription(box, subscription);
    }).then(function () {
      say(box, gettext("Push notifications are on for this browser."));
      window.location.reload();
    }).catch(function (error) {
      button.disabled = false;
      say(box, error.message || String(error));
    });
  }

  function setUp(box) {
    var button = box.querySelector("[data-push-enable]");
    if (!supported) {
      var note = box.querySelector("[data-push-unsupported]");
      if (note) note.hidden = false;
      return;
    }
    if (!button) return;  // push not set up on the site
    if (Notification.permission === "denied") box.querySelector("[data-push-denied]").hidden = false;
    button.hidden = false;
    button.addEventListener("click", function () { turnOn(box, button); });
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return;
      var row = box.querySelector('[data-endpoint="' + CSS.escape(subscription.endpoint) + '"]');
      if (row) {
        row.querySelector("[data-push-this]").hidden = false;
        button.hidden = true;
        // Removing this browser also ends its subscription with the push service.
        row.querySelector("form").addEventListener("submit", function () { subscription.unsubscribe(); });
      }
    }).catch(function () {});
  }

  if (supported) register().catch(function () {});
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-push-settings]");
    if (box) setUp(box);
  });
  window.chirpPush = { sendSubscription: sendSubscription, supported: supported };
})();
