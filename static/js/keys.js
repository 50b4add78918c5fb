// The keyboard: shortcuts as Twitter and Mastodon have them, focus kept where it was
// after an action, Esc for menus, and a live region that reads out what arrives.
(function () {
  "use strict";

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]");
  }

  // ---- Posts: j/k move, l/r/t act on the current one ------------------------
  function posts() {
    return Array.from(document.querySelectorAll("main article.tweet"));
  }

  function currentPost() {
    var active = document.activeElement;
    return (active && active.closest && active.closest("main article.tweet")) || document.querySelector("main article.tweet.is-current");
  }

  function moveTo(post) {
    if (!post) return;
    posts().forEach(function (each) { each.classList.toggle("is-current", each === post); });
    if (!post.hasAttribute("tabindex")) post.setAttribute("tabindex", "-1");
    post.focus({ preventScroll: true });
    post.scrollIntoView({ block: "nearest" });
  }

  function step(by) {
    var list = posts();
    if (!list.length) return;
    var at = list.indexOf(currentPost());
    moveTo(list[at === -1 ? (by > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + by))]);
  }

  function act(selector) {
    var post = currentPost();
    var control = post && post.querySelector(".tweet-actions " + selector);
    if (control && !control.disabled) control.click();
  }

  // ---- Going places ---------------------------------------------------------
  function help() { return document.getElementById("shortcuts"); }

  function go(name) {
    var url = help() && help().dataset[name];
    if (url) location.assign(url);
  }

  function newPost() {
    var field = document.querySelector("main [data-compose] [data-compose-text]");
    if (field) { field.focus(); return; }
    go("compose");
  }

  function search() {
    var box = document.querySelector("main input[type=search], .sidebar input[type=search]");
    if (box && box.offsetParent !== null) { box.focus(); box.select(); return; }
    go("search");
  }

  var KEYS = {
    j: function () { step(1); },
    k: function () { step(-1); },
    l: function () { act(".action-like"); },
    r: function () { act(".action-reply"); },
    t: function () { act(".action-retweet"); },
    n: newPost,
    "/": search,
    "?": function () { var dialog = help(); if (dialog && !dialog.open) dialog.showModal(); },
  };
  var AFTER_G = { h: "home", n: "notifications", e: "explore", m: "messages", p: "profile" };
  var pendingG = 0;

  document.addEventListener("keydown", function (event) {
    // Ctrl/Cmd+Enter posts from any compose box (and sends a reply).
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("[data-compose-text]")) {
      event.preventDefault();
      var submit = event.target.form && event.target.form.querySelector("button[type=submit]");
      if (submit && !submit.disabled) event.target.form.requestSubmit(submit);
      return;
    }
    if (event.key === "Escape") { closeMenus(event); return; }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      if (AFTER_G[event.key]) { event.preventDefault(); go(AFTER_G[event.key]); }
      return;
    }
    if (event.key === "g") { pendingG = Date.now(); return; }
    var run = KEYS[event.key];
    if (run) {
      event.preventDefault();
      run();
    }
  });

  // ---- Esc closes an open menu and gives focus back to what opened it -------
  function closeMenus(event) {
    var open = document.querySelectorAll("details[open].tweet-menu, details[open][data-menu]");
    if (!open.length) return;
    open.forEach(function (menu) {
      var summary = menu.querySelector("summary");
      var inside = menu.contains(document.activeElement);
      menu.open = false;
      if (inside && summary) summary.focus();
    });
    event.preventDefault();
  }

  // ---- Focus stays on the control used when htmx replaces it ----------------
  // Like, Retweet, Bookmark and Follow answer with their controls redrawn: the button that had
  // focus is gone, so focus would fall back to the page's start. Give it to its replacement.
  // Other swaps (the sidebar's panels load after the page) may come between a control's swap and
  // its settle: they leave what is remembered alone, and whichever settles first gives focus back.
  var lastFocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    if (!event.detail.shouldSwap || !active || !target || !target.contains(active)) return;
    // A compose box comes back empty after a post: the next post starts in its text field.
    if (target.matches("[data-compose]")) {
      lastFocus = { compose: Array.from(document.querySelectorAll("[data-compose]")).indexOf(target) };
      return;
    }
    if (!target.id) return;
    var form = active.closest("form");
    lastFocus = {
      id: target.id,
      classes: Array.from(active.classList).filter(function (name) { return name.indexOf("is-") !== 0; }),
      tag: active.tagName.toLowerCase(),
      inForm: !!form,
    };
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastFocus) return;
    var remembered = lastFocus;
    lastFocus = null;
    if (remembered.compose !== undefined) {
      var form = document.querySelectorAll("[data-compose]")[remembered.compose];
      var field = form && form.querySelector("[data-compose-text]");
      if (field) field.focus();
      return;
    }
    var root = document.getElementById(remembered.id);
    if (!root) return;
    var selector = remembered.tag + remembered.classes.map(function (name) { return "." + CSS.escape(name); }).join("");
    var found = root.matches(selector) ? root : root.querySelector(selector);
    if (!found && remembered.inForm) found = root.querySelector("form button[type=submit]");
    if (found) found.focus();
  });

  // ---- A live region: new posts and notifications, read out without moving focus ----
  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    // A change after a tick is what screen readers notice as new.
    setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("chirp:timeline.new", function () {
    var banner = document.querySelector("[data-new-posts]");
    if (!banner || banner.hidden) return;
    var count = banner.querySelector("[data-new-count]");
    var n = Number(banner.dataset.newCount || (count && count.textContent) || 1);
    announce(interpolate(ngettext("%(n)s new post", "%(n)s new posts", n), { n: n }, true));
  });

  // The notification's own words, as the page draws it: "Ada liked your post …".
  document.addEventListener("chirp:notification", function (event) {
    var drawn = document.createElement("template");
    drawn.innerHTML = (event.detail && event.detail.html) || "";
    var words = drawn.content.textContent.replace(/\s+/g, " ").trim();
    var text = words.length > 160 ? words.slice(0, 157) + "…" : words || gettext("open Notifications");
    announce(interpolate(gettext("New notification: %(text)s"), { text: text }, true));
  });

  window.chirpAnnounce = announce;
})();
