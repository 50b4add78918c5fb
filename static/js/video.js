// Videos and GIFs (video.media-video): muted autoplay while in view, only if the reader allows it.
// Never with sound. Off when Settings > Display says so (<body data-autoplay-videos="off">) or the
// system asks for reduced motion; then nothing moves until the reader presses play. A video the
// reader has played, paused or unmuted is theirs: it is never started or stopped for them again.
(function () {
  "use strict";
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function allowed() {
    return document.body.dataset.autoplayVideos === "on" && !(reduced && reduced.matches);
  }

  function ours(video, action) {
    video.dataset.ours = "1";
    var done = function () { delete video.dataset.ours; };
    var result = action();
    if (result && result.then) { result.then(done, done); } else { window.setTimeout(done, 0); }
  }

  function claim(event) {
    var video = event.target;
    if (!video.dataset.ours) { video.dataset.touched = "1"; }
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var video = entry.target;
      if (video.dataset.touched) { return; }
      if (entry.isIntersecting && allowed() && video.paused) {
        video.muted = true; // before play(): browsers allow muted autoplay, and we never start sound
        ours(video, function () { return video.play().catch(function () {}); });
      } else if (!entry.isIntersecting && !video.paused) {
        ours(video, function () { video.pause(); });
      }
    });
  }, { threshold: 0.6 }) : null;

  function watch(root) {
    if (!observer || !root.querySelectorAll) { return; }
    root.querySelectorAll("video.media-video:not([data-watched])").forEach(function (video) {
      video.dataset.watched = "1";
      ["play", "pause", "volumechange"].forEach(function (name) { video.addEventListener(name, claim); });
      observer.observe(video);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { watch(document); });
  document.addEventListener("htmx:load", function (event) { watch(event.target); });
})();
