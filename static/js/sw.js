/* Chirp's service worker (served as /sw.js, so its scope is the whole site).
   It shows Web Push notifications, even with no page of the site open, and
   opens the right page when one is clicked. It caches nothing. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data ? event.data.text() : "" }; }
  var options = {
    body: data.body || "",
    icon: data.icon || "/static/icons/icon-192.png",
    data: { url: data.url || "/notifications" },
  };
  if (data.tag) { options.tag = data.tag; options.renotify = true; }  // a later push of the same group replaces the earlier
  event.waitUntil(self.registration.showNotification(data.title || "Chirp", options));
});

// Only pages of this site are opened: a push can't send anyone elsewhere.
function targetOf(notification) {
  var url;
  try { url = new URL((notification.data && notification.data.url) || "/notifications", self.location.origin); }
  catch (e) { url = new URL("/notifications", self.location.origin); }
  return url.origin === self.location.origin ? url : new URL("/notifications", self.location.origin);
}

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = targetOf(event.notification);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {  // a tab already there: bring it forward
      if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
    }
    for (var j = 0; j < windows.length; j++) {  // else take over an open tab of the site
      if ("navigate" in windows[j] && new URL(windows[j].url).origin === self.location.origin) {
        var open = windows[j];
        return open.navigate(target.href).then(function (client) { return (client || open).focus(); })
          .catch(function () { return self.clients.openWindow(target.href); });
      }
    }
    return self.clients.openWindow(target.href);
  }));
});
