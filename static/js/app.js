// Chirp's page script: one live socket per signed-in page, and small helpers.
// Pages keep working without it; it only makes them update sooner.
(function () {
  "use strict";

  // ---- Live events over /ws/ ----------------------------------------------
  // Each server event is re-dispatched on document as "chirp:<type>" so page
  // features can listen without knowing about the socket.
  var STOP_CODES = { 4401: "signed out", 4403: "another site's page" }; // retrying can't help
  var SEEN_LIMIT = 500;

  // Events carry an id naming what they report; a repeat (a redelivered task) is dropped.
  function seenIds() {
    var order = [], seen = {};
    return function isRepeat(id) {
      if (!id) return false;
      if (seen[id]) return true;
      seen[id] = true;
      order.push(id);
      if (order.length > SEEN_LIMIT) delete seen[order.shift()];
      return false;
    };
  }

  function connectLive() {
    if (!document.body.dataset.userId || !("WebSocket" in window)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var delay = 1000;
    var opened = false;
    var isRepeat = seenIds();
    var socket;

    function open() {
      socket = new WebSocket(document.body.dataset.liveUrl || scheme + location.host + "/ws/");
      socket.addEventListener("open", function () {
        delay = 1000;
        // After a gap, page features fetch what they may have missed (the server sends the counts).
        document.dispatchEvent(new CustomEvent("chirp:connected", { detail: { reconnected: opened } }));
        opened = true;
      });
      // A ping now and then keeps proxies from closing an idle socket.
      var heartbeat = setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
      }, 30000);
      socket.addEventListener("close", function () { clearInterval(heartbeat); });
      socket.addEventListener("message", function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; }
        if (event && event.type && !isRepeat(event.id)) {
          document.dispatchEvent(new CustomEvent("chirp:" + event.type, { detail: event }));
        }
      });
      socket.addEventListener("close", function (closed) {
        if (STOP_CODES[closed.code]) return;
        // Back off up to 30 s, with jitter so a restart isn't met by a stampede.
        var wait = delay + Math.random() * delay;
        delay = Math.min(delay * 2, 30000);
        setTimeout(open, wait);
      });
    }
    open();
    window.chirpSocket = function () { return socket; };
  }

  // ---- Compose: a live character count (the server still judges) ----------
  var MAX_LENGTH = 280;
  var MAX_IMAGES = 4;

  function codePoints(text) {
    // The server counts code points after NFC normalisation; so do we.
    return Array.from(text.normalize("NFC").trim()).length;
  }

  function updateCompose(form) {
    var field = form.querySelector("[data-compose-text]");
    var counter = form.querySelector("[data-compose-count]");
    var images = form.querySelector("[data-compose-images]");
    var submit = form.querySelector("button[type=submit]");
    if (!field || !counter) return;
    var used = codePoints(field.value);
    var left = MAX_LENGTH - used;
    var imageCount = images && images.files ? images.files.length : 0;
    counter.textContent = left < 0 ? interpolate(gettext("%(n)s (too long)"), { n: left }, true) : left <= 20 ? String(left) : "";
    counter.classList.toggle("is-warning", left <= 20 && left >= 0);
    counter.classList.toggle("is-over", left < 0);
    var tooManyImages = imageCount > MAX_IMAGES;
    if (submit && submit.closest("form.compose")) {
      submit.disabled = left < 0 || tooManyImages || (used === 0 && imageCount === 0);
    }
  }

  function showPreviews(form) {
    var input = form.querySelector("[data-compose-images]");
    var box = form.querySelector("[data-compose-previews]");
    var alts = form.querySelector("[data-compose-alts]");
    if (!input || !box) return;
    box.textContent = "";
    var files = Array.from(input.files || []);
    if (files.length > MAX_IMAGES) {
      var warning = document.createElement("p");
      warning.className = "field-error";
      warning.setAttribute("role", "alert");
      warning.textContent = interpolate(gettext("Choose up to %(n)s images."), { n: MAX_IMAGES }, true);
      box.appendChild(warning);
    }
    files.slice(0, MAX_IMAGES).forEach(function (file) {
      var video = /^video\//.test(file.type);
      var preview = document.createElement(video ? "video" : "img");
      preview.src = URL.createObjectURL(file);
      if (video) { preview.muted = true; preview.setAttribute("aria-label", gettext("Video to post")); } else { preview.alt = ""; }
      box.appendChild(preview);
    });
    if (alts) {
      alts.hidden = files.length === 0;
      alts.open = files.length > 0;
    }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("[data-compose]");
    if (form) updateCompose(form);
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-compose]");
    if (form && event.target.matches("[data-compose-images]")) {
      showPreviews(form);
      updateCompose(form);
    }
  });

  function initCompose(root) {
    (root || document).querySelectorAll("[data-compose]").forEach(function (form) {
      updateCompose(form);
      // Without JavaScript every description field shows; with it, only once images are chosen.
      var alts = form.querySelector("[data-compose-alts]");
      var input = form.querySelector("[data-compose-images]");
      if (alts && input) alts.hidden = !(input.files && input.files.length);
    });
  }

  // ---- Small page behaviours ----------------------------------------------------
  document.addEventListener("click", function (event) {
    var back = event.target.closest("[data-back]");
    if (back && history.length > 1 && document.referrer.indexOf(location.host) !== -1) {
      event.preventDefault();
      history.back();
    }
  });

  // htmx:load names the new content (after an outerHTML swap, afterSwap's target is the old, detached box):
  // a box swapped in after a post starts empty, with Post disabled and no description fields showing.
  document.addEventListener("htmx:load", function (event) {
    if (event.target.querySelectorAll) initCompose(event.target.parentNode || event.target);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var feed = document.getElementById("feed");
    if (feed && feed.querySelector(".tweet")) {
      feed.querySelectorAll(":scope > .empty-state").forEach(function (el) { el.remove(); });
    }
  });

  // ---- Live updates on the page ------------------------------------------------
  function setBadge(name, count) {
    document.querySelectorAll('[data-badge="' + name + '"]').forEach(function (badge) {
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.setAttribute("aria-label", interpolate(ngettext("%(n)s unread", "%(n)s unread", count), { n: count }, true));
      badge.hidden = !count;
    });
  }

  document.addEventListener("chirp:unread", function (event) {
    if (typeof event.detail.notifications === "number") setBadge("notifications", event.detail.notifications);
    if (typeof event.detail.messages === "number") setBadge("messages", event.detail.messages);
  });

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // HTML that came over the socket was rendered off any request: its forms need this page's token.
  function addCsrfTokens(root) {
    if (!root) return;
    root.querySelectorAll('form[method="post"]').forEach(function (form) {
      if (form.querySelector('[name="csrfmiddlewaretoken"]')) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      input.value = csrfToken();
      form.prepend(input);
    });
  }

  document.addEventListener("chirp:notification", function (event) {
    var list = document.getElementById("notification-list");
    if (!list || !event.detail.html) return;
    var type = event.detail.notification && event.detail.notification.type;
    if (list.dataset.notifications === "mentions" && type !== "mention" && type !== "reply") return;
    list.insertAdjacentHTML("afterbegin", event.detail.html);
    addCsrfTokens(list.firstElementChild);
    var empty = document.getElementById("notifications-empty");
    if (empty) empty.remove();
    if (window.htmx) htmx.process(list.firstElementChild);
  });

  var seenEntries = {};
  function showNewPosts(entryIds) {
    var banner = document.querySelector("[data-new-posts]");
    if (!banner) return;
    entryIds.forEach(function (id) {
      if (!document.getElementById("tweet-" + id)) seenEntries[id] = true;
    });
    var count = Object.keys(seenEntries).length;
    if (!count) return;
    banner.dataset.newCount = String(count);  // static/js/keys.js reads it out
    // The whole sentence from the catalogue: languages plural differently.
    banner.querySelector("[data-new-text]").textContent =
      interpolate(ngettext("Show %(n)s new post", "Show %(n)s new posts", count), { n: count }, true);
    banner.hidden = false;
  }

  function newestOnPage() {
    var newest = document.querySelector("#feed article.tweet");
    return newest ? newest.id.replace("tweet-", "") : "1";
  }

  document.addEventListener("chirp:timeline.new", function (event) {
    // A list's page takes only its own list's events; home only those without a list.
    var banner = document.querySelector("[data-new-posts]");
    if (!banner || (banner.dataset.listId || "") !== (event.detail.listId || "")) return;
    showNewPosts([event.detail.entryId]);
  });

  // Back from a dropped connection: anything newer than the page's newest card joins the banner.
  document.addEventListener("chirp:connected", function (event) {
    var banner = document.querySelector("[data-new-posts]");
    if (!banner || !event.detail || !event.detail.reconnected) return;
    fetch(banner.dataset.url + "?since=" + newestOnPage(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var found = document.createElement("template");
        found.innerHTML = html;
        showNewPosts(Array.from(found.content.querySelectorAll("article.tweet")).map(function (card) {
          return card.id.replace("tweet-", "");
        }));
      })
      .catch(function () {}); // the banner can wait for the next event
  });

  document.addEventListener("click", function (event) {
    var banner = event.target.closest("[data-new-posts]");
    if (!banner || !window.htmx) return;
    htmx.ajax("GET", banner.dataset.url + "?since=" + newestOnPage(), { target: "#feed", swap: "afterbegin" });
    banner.hidden = true;
    seenEntries = {};
  });

  // ---- Direct messages: the open conversation and the inbox --------------------

  function openChat(conversationId) {
    var chat = document.getElementById("chat-messages");
    return chat && (!conversationId || chat.dataset.chat === conversationId) ? chat : null;
  }

  function lastMessageId(chat) {
    var items = chat.querySelectorAll("[data-message-id]");
    return items.length ? items[items.length - 1].dataset.messageId : "0";
  }

  // "Seen" (or "Seen by N" in a group) under my newest message the others have read.
  function markSeen(chat) {
    var markers = JSON.parse(chat.dataset.markers || "{}");
    var mine = chat.querySelectorAll('[data-message-id][data-sender="' + chat.dataset.me + '"]');
    var labelled = false;
    for (var i = mine.length - 1; i >= 0; i--) {
      var id = BigInt(mine[i].dataset.messageId);
      var seen = Object.keys(markers).filter(function (user) { return BigInt(markers[user]) >= id; }).length;
      var label = mine[i].querySelector("[data-seen]");
      if (!label) continue;
      label.textContent = !labelled && seen ? (chat.dataset.group === "1" ? interpolate(gettext("Seen by %(n)s"), { n: seen }, true) : gettext("Seen")) : "";
      if (seen) labelled = true;
    }
  }

  // A message can arrive twice (the send's answer and the live fetch): keep the first.
  function tidyChat(chat) {
    var kept = {};
    chat.querySelectorAll("[data-message-id]").forEach(function (item) {
      if (kept[item.dataset.messageId]) item.remove();
      else kept[item.dataset.messageId] = true;
    });
    var empty = document.getElementById("chat-empty");
    if (empty && chat.querySelector("[data-message-id]")) empty.remove();
    markSeen(chat);
  }

  function scrollChatToEnd() { window.scrollTo(0, document.documentElement.scrollHeight); }

  function markRead(chat) {
    if (document.visibilityState !== "visible" || lastMessageId(chat) === "0") return;
    var body = new FormData();
    body.append("up_to", lastMessageId(chat));
    fetch(chat.dataset.readUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
    });
  }

  document.addEventListener("chirp:message", function (event) {
    var chat = openChat(event.detail.conversationId);
    if (chat) {
      fetch(chat.dataset.newerUrl + "?after=" + lastMessageId(chat), { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (!html.trim()) return;
          chat.insertAdjacentHTML("beforeend", html);
          if (window.htmx) htmx.process(chat);
          tidyChat(chat);
          scrollChatToEnd();
          markRead(chat);
        });
      return;
    }
    var inbox = document.querySelector("[data-inbox]");
    if (inbox && window.htmx) {
      htmx.ajax("GET", location.pathname, { target: "#conversation-list", select: "#conversation-list", swap: "outerHTML" });
    }
  });

  document.addEventListener("chirp:message.read", function (event) {
    var chat = openChat(event.detail.conversationId);
    if (!chat || event.detail.userId === chat.dataset.me) return;
    var markers = JSON.parse(chat.dataset.markers || "{}");
    markers[event.detail.userId] = event.detail.messageId;
    chat.dataset.markers = JSON.stringify(markers);
    markSeen(chat);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var chat = openChat();
    if (chat && event.target === chat) {
      tidyChat(chat);
      if (event.detail.requestConfig && event.detail.requestConfig.verb === "post") scrollChatToEnd();
    }
  });

  document.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter starts a new line.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || !event.target.matches("[data-chat-text]")) return;
    event.preventDefault();
    event.target.form.requestSubmit();
  });

  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-chat-image]")) return;
    var form = event.target.form;
    var file = event.target.files[0];
    form.querySelector("[data-chat-extra]").hidden = !file;
    form.querySelector("[data-chat-file]").textContent = file ? file.name : "";
  });

  document.addEventListener("visibilitychange", function () {
    var chat = openChat();
    if (chat) markRead(chat);
  });

  // A row of tabs wider than a phone scrolls sideways: bring the current one into view.
  function showCurrentTabs() {
    document.querySelectorAll(".tabs").forEach(function (tabs) {
      var current = tabs.querySelector('[aria-current="page"]');
      if (current && tabs.scrollWidth > tabs.clientWidth) {
        var left = current.getBoundingClientRect().left - tabs.getBoundingClientRect().left;
        tabs.scrollLeft += left - (tabs.clientWidth - current.offsetWidth) / 2;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    connectLive();
    initCompose();
    showCurrentTabs();
    var chat = openChat();
    if (chat) {
      markSeen(chat);
      scrollChatToEnd();
    }
  });
})();
