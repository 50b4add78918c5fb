// A lightbox for the images (and videos) of a post or a direct message.
// Progressive enhancement: without this script each image is a link that opens
// the full file. With it, a plain click (or Enter) on such a link opens a modal
// <dialog>: showModal() traps focus and gives Esc for free. ←/→, buttons and a
// swipe step through the post's items; a click on the image or the zoom button
// toggles fit-to-screen and the image's natural size.
//
// An item is `a.media-item[href]` (a post's image), `a.chat-image[href]` (a
// direct message's image) or any element with `data-lightbox-video="<url>"`
// (opened as <video controls>, never autoplaying). Items of one post are the
// ones in the same `.tweet-media` box.
(function () {
  "use strict";

  var ITEM = "a.media-item[href], a.chat-image[href], [data-lightbox-video]";
  var SWIPE = 50; // px of horizontal travel that counts as a swipe
  var ICONS = {
    close: '<path d="M6 6l12 12M18 6L6 18"/>',
    prev: '<path d="M15 5l-7 7 7 7"/>',
    next: '<path d="M9 5l7 7-7 7"/>',
    zoom: '<circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5M11 8v6M8 11h6"/>',
  };

  var dialog, stage, counter, caption, zoomButton, prevButton, nextButton;
  var items = [], index = 0, opener = null, swipe = null, swallowClick = false;

  function icon(name) {
    return '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" ' +
      'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' + ICONS[name] + "</svg>";
  }

  function button(name, label, extra) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "lightbox-button lightbox-" + name + (extra ? " " + extra : "");
    b.setAttribute("aria-label", label);
    b.innerHTML = icon(name);
    return b;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", gettext("Media viewer"));
    var bar = document.createElement("div");
    bar.className = "lightbox-bar";
    counter = document.createElement("p");
    counter.className = "lightbox-counter";
    counter.setAttribute("aria-live", "polite");
    zoomButton = button("zoom", gettext("Zoom to full size"));
    zoomButton.setAttribute("aria-pressed", "false");
    var close = button("close", gettext("Close"));
    close.autofocus = true;
    bar.append(counter, zoomButton, close);
    stage = document.createElement("div");
    stage.className = "lightbox-stage";
    prevButton = button("prev", gettext("Previous"), "lightbox-step");
    nextButton = button("next", gettext("Next"), "lightbox-step");
    caption = document.createElement("p");
    caption.className = "lightbox-caption";
    caption.dir = "auto";
    caption.setAttribute("aria-hidden", "true"); // the image's alt text already says it to screen readers
    dialog.append(bar, stage, prevButton, nextButton, caption);
    document.body.append(dialog);

    close.addEventListener("click", function () { dialog.close(); });
    prevButton.addEventListener("click", function () { step(-1); });
    nextButton.addEventListener("click", function () { step(1); });
    zoomButton.addEventListener("click", function () { setZoom(!dialog.classList.contains("is-zoomed")); });
    dialog.addEventListener("close", onClose);
    dialog.addEventListener("keydown", onKey);
    stage.addEventListener("click", onStageClick);
    stage.addEventListener("pointerdown", onPointerDown);
    stage.addEventListener("pointerup", onPointerUp);
    stage.addEventListener("pointercancel", function () { swipe = null; });
  }

  function describe(element) {
    var img = element.querySelector("img");
    // A video's expand button sits beside its inline player: the poster and label come from that player.
    var video = element.querySelector("video") || (element.parentElement && element.parentElement.querySelector("video"));
    var alt = element.dataset.lightboxAlt || (img && img.alt) || (video && video.getAttribute("aria-label")) || "";
    if (element.dataset.lightboxVideo) {
      return { video: element.dataset.lightboxVideo, poster: (video && video.poster) || (img && img.src) || "", alt: alt };
    }
    return { src: element.href, preview: img ? img.currentSrc || img.src : "", alt: alt };
  }

  function show(position) {
    index = (position + items.length) % items.length; // wraps, so a focused step button never disappears
    var item = describe(items[index]);
    setZoom(false);
    stage.replaceChildren();
    if (item.video) {
      var video = document.createElement("video");
      video.controls = true;
      video.playsInline = true;
      video.preload = "metadata";
      if (item.poster) video.poster = item.poster;
      video.src = item.video;
      if (item.alt) video.setAttribute("aria-label", item.alt);
      stage.append(video);
    } else {
      var img = document.createElement("img");
      img.className = "lightbox-image";
      img.alt = item.alt;
      img.src = item.preview || item.src;
      img.dataset.full = item.src;
      img.addEventListener("load", function () { if (img.src === item.src) offerZoom(img); });
      stage.append(img);
      if (item.preview && item.preview !== item.src) {
        // The thumbnail shows at once; the full file replaces it when it has arrived.
        var full = new Image();
        full.onload = function () { if (img.isConnected) img.src = item.src; };
        full.src = item.src;
      }
    }
    zoomButton.hidden = true; // until the full image is known to be larger than the screen
    dialog.classList.remove("is-zoomable");
    caption.textContent = item.alt;
    caption.hidden = !item.alt;
    counter.textContent = interpolate(gettext("%(n)s of %(total)s"), { n: index + 1, total: items.length }, true);
    counter.hidden = items.length < 2;
    prevButton.hidden = nextButton.hidden = items.length < 2;
  }

  // Zoom only means something for an image shown smaller than its natural size.
  function offerZoom(img) {
    if (dialog.classList.contains("is-zoomed")) return;
    var larger = img.naturalWidth > img.clientWidth + 1 || img.naturalHeight > img.clientHeight + 1;
    zoomButton.hidden = !larger;
    dialog.classList.toggle("is-zoomable", larger);
  }

  function step(delta) { if (items.length > 1) show(index + delta); }

  function setZoom(on, point) {
    var img = stage && stage.querySelector(".lightbox-image");
    if (!img) on = false;
    if (on && img.src !== img.dataset.full) img.src = img.dataset.full; // natural size means the full file
    var before = img && img.getBoundingClientRect();
    dialog.classList.toggle("is-zoomed", on);
    zoomButton.setAttribute("aria-pressed", on ? "true" : "false");
    zoomButton.setAttribute("aria-label", on ? gettext("Fit to screen") : gettext("Zoom to full size"));
    if (on && point && before.width) {
      // Keep the spot that was clicked under the pointer.
      var box = stage.getBoundingClientRect();
      stage.scrollLeft = (point.x - before.left) / before.width * img.naturalWidth - (point.x - box.left);
      stage.scrollTop = (point.y - before.top) / before.height * img.naturalHeight - (point.y - box.top);
    }
  }

  function open(element) {
    var box = element.closest(".tweet-media");
    items = box ? Array.prototype.slice.call(box.querySelectorAll(ITEM)) : [element];
    opener = element;
    if (!dialog) build();
    show(Math.max(0, items.indexOf(element)));
    dialog.showModal();
  }

  function onClose() {
    stage.replaceChildren(); // stops a playing video
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest && event.target.closest("video")) return; // the player's own keys (seek)
    if (event.key === "ArrowRight") { step(1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { step(-1); event.preventDefault(); }
  }

  function onStageClick(event) {
    if (swallowClick) { swallowClick = false; return; }
    if (event.target === stage && !dialog.classList.contains("is-zoomed")) { dialog.close(); return; } // the dark area
    if (event.target.classList.contains("lightbox-image") && dialog.classList.contains("is-zoomable")) {
      setZoom(!dialog.classList.contains("is-zoomed"), { x: event.clientX, y: event.clientY });
    }
  }

  function onPointerDown(event) {
    // A zoomed image scrolls instead; a mouse drag is not a swipe; a video's own bar seeks.
    if (event.pointerType === "mouse" || !event.isPrimary || dialog.classList.contains("is-zoomed")) return;
    if (event.target.closest("video")) return;
    swipe = { x: event.clientX, y: event.clientY };
  }

  function onPointerUp(event) {
    if (!swipe) return;
    var dx = event.clientX - swipe.x, dy = event.clientY - swipe.y;
    swipe = null;
    if (Math.abs(dx) < SWIPE || Math.abs(dx) < Math.abs(dy) * 1.5) return;
    swallowClick = true; // the tap that ends a swipe is not a zoom
    setTimeout(function () { swallowClick = false; }, 400);
    step(dx < 0 ? 1 : -1);
  }

  document.addEventListener("click", function (event) {
    // Modified and middle clicks keep the link's own meaning (a new tab).
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (typeof HTMLDialogElement !== "function") return; // an old browser: the plain link
    var inline = event.target.closest("video");
    if (inline && inline.controls) return; // an inline player keeps its clicks; a bare preview opens the viewer
    var element = event.target.closest(ITEM);
    if (!element) return;
    var hidden = element.closest("details:not([open])");
    if (hidden) return; // sensitive media open only once the reader revealed them
    event.preventDefault();
    open(element);
  });
})();
