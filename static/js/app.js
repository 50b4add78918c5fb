// Chirp's page script: one live socket per signed-in page, and small helpers.
// Pages keep working without it; it only makes them update sooner.
(function () {
  "use strict";

  // ---- Live events over /ws/ ----------------------------------------------
  // Each server event is re-dispatched on document as "chirp:<type>" so page
  // features can listen without knowing about the socket.
  function connectLive() {
    if (!document.body.dataset.userId || !("WebSocket" in window)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var delay = 1000;
    var socket;

    function open() {
      socket = new WebSocket(scheme + location.host + "/ws/");
      socket.addEventListener("open", function () {
        delay = 1000;
        document.dispatchEvent(new CustomEvent("chirp:connected"));
      });
      socket.addEventListener("message", function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; }
        if (event && event.type) {
          document.dispatchEvent(new CustomEvent("chirp:" + event.type, { detail: event }));
        }
      });
      socket.addEventListener("close", function (closed) {
        if (closed.code === 4401) return; // signed out: don't hammer the server
        // Back off up to 30 s, with jitter so a restart isn't met by a stampede.
        var wait = delay + Math.random() * delay;
        delay = Math.min(delay * 2, 30000);
        setTimeout(open, wait);
      });
    }
    open();
    window.chirpSocket = function () { return socket; };
  }

  document.addEventListener("DOMContentLoaded", connectLive);
})();
