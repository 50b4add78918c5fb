// A Mastodon client journey driven by masto.js (the npm package `masto`) against a live Chirp,
// so a second, independent client library checks the Mastodon API (issue 22; tests/e2e/test_masto_js.py).
//
// Usage: MASTO_URL=http://127.0.0.1:8000 MASTO_TOKEN=... MASTO_FRIEND_ID=... node tests/e2e/masto_journey.mjs
// MASTO_FRIEND_ID is an account the token's owner follows (lists may hold followed accounts only)
// and that follows them (the notification the journey reads).
// stdout: `SUBSCRIBED` once the user stream is open (the caller then has the friend post),
// then one JSON line of results. On failure: a JSON line {"ok": false, "step": ..., "error": ...}, exit 1.
import { createRestAPIClient, createStreamingAPIClient } from "masto";
import WebSocket from "ws";

const { MASTO_URL: url, MASTO_TOKEN: accessToken, MASTO_FRIEND_ID: friendId } = process.env;
const STREAM_WAIT_MS = Number(process.env.MASTO_STREAM_WAIT_MS || 5000);
// A 1x1 PNG: small enough to inline, real enough for the server's image checks.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

const results = { ok: true };
let step = "setup";

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function collect(paginator, pages) {
  // The Link header's `next` drives masto's paginator: two pages prove paging works.
  const seen = [];
  for await (const page of paginator) {
    seen.push(page);
    if (seen.length >= pages) break;
  }
  return seen;
}

async function journey() {
  const rest = createRestAPIClient({ url, accessToken, timeout: 10000 });

  step = "verify_credentials";
  const me = await rest.v1.accounts.verifyCredentials();
  check(me.id && me.username && me.acct, "no id, username or acct");
  check(me.source && me.source.privacy, "no source.privacy (clients read the default visibility there)");
  results.me = { id: me.id, username: me.username };

  step = "instance_v2";
  const instance = await rest.v2.instance.fetch();
  check(instance.domain, "no domain");
  const streamingUrl = instance.configuration?.urls?.streaming;
  check(streamingUrl, "no configuration.urls.streaming");
  check(instance.configuration.statuses?.maxCharacters > 0, "no configuration.statuses.max_characters");
  check(instance.configuration.mediaAttachments?.supportedMimeTypes?.includes("image/png"), "PNG not supported");
  results.instance = { domain: instance.domain, streaming: streamingUrl };

  step = "status_post";
  const first = await rest.v1.statuses.create({ status: "Hello from masto.js", visibility: "public" });
  check(first.content.includes("Hello from masto.js"), `content ${first.content}`);
  check(first.account.id === me.id && first.visibility === "public", "wrong account or visibility");
  check(first.uri && first.url && !Number.isNaN(Date.parse(first.createdAt)), "no uri, url or created_at");
  results.posted = first.id;

  step = "media_upload_v2";
  const media = await rest.v2.media.create({
    file: new Blob([PNG], { type: "image/png" }),
    description: "One pixel",
  });
  check(media.id && media.url && media.type === "image", `media ${JSON.stringify(media)}`);
  step = "status_with_media";
  const withMedia = await rest.v1.statuses.create({ status: "A picture", mediaIds: [media.id] });
  check(withMedia.mediaAttachments.length === 1, "no attachment on the status");
  check(withMedia.mediaAttachments[0].description === "One pixel", "alt text lost");
  results.media = { id: media.id, status: withMedia.id };

  step = "reply";
  const reply = await rest.v1.statuses.create({ status: "A reply", inReplyToId: first.id });
  check(reply.inReplyToId === first.id, `in_reply_to_id ${reply.inReplyToId}`);
  step = "context";
  const context = await rest.v1.statuses.$select(first.id).context.fetch();
  check(context.descendants.some((s) => s.id === reply.id), "reply not among the descendants");

  step = "favourite";
  const faved = await rest.v1.statuses.$select(first.id).favourite();
  check(faved.favourited === true && faved.favouritesCount === 1, "not favourited");
  step = "reblog";
  const reblog = await rest.v1.statuses.$select(first.id).reblog();
  check(reblog.reblog?.id === first.id && reblog.reblog.reblogged === true, "not reblogged");
  step = "bookmark";
  const marked = await rest.v1.statuses.$select(first.id).bookmark();
  check(marked.bookmarked === true, "not bookmarked");
  step = "bookmarks_list";
  const bookmarks = await rest.v1.bookmarks.list();
  check(bookmarks.some((s) => s.id === first.id), "bookmark not listed");
  results.actions = { favourited: true, reblogged: true, bookmarked: true };

  step = "home_timeline_paging";
  const pages = await collect(rest.v1.timelines.home.list({ limit: 2 }), 2);
  check(pages.length === 2 && pages[0].length === 2 && pages[1].length >= 1, `pages ${pages.map((p) => p.length)}`);
  const ids = pages.flat().map((s) => s.id);
  check(new Set(ids).size === ids.length, "a status on two pages");
  results.home = { pages: pages.map((p) => p.length) };

  step = "notifications";
  const notifications = await rest.v1.notifications.list({ limit: 20 });
  check(notifications.some((n) => n.type === "follow" && n.account.id === friendId), "no follow notification");
  results.notifications = notifications.map((n) => n.type);

  step = "search_v2";
  const found = await rest.v2.search.list({ q: "masto.js", type: "statuses", resolve: false });
  check(found.statuses.some((s) => s.id === first.id), "post not found");
  step = "search_v2_accounts";
  const people = await rest.v2.search.list({ q: me.username, type: "accounts" });
  check(people.accounts.some((a) => a.id === me.id), "self not found");
  results.search = { statuses: found.statuses.length, accounts: people.accounts.length };

  step = "list_create";
  const list = await rest.v1.lists.create({ title: "Friends from masto.js" });
  check(list.id && list.title === "Friends from masto.js", "list not created");
  step = "list_add_account";
  await rest.v1.lists.$select(list.id).accounts.create({ accountIds: [friendId] });
  const members = await rest.v1.lists.$select(list.id).accounts.list();
  check(members.some((a) => a.id === friendId), "friend not in the list");
  step = "list_timeline";
  const listTimeline = await rest.v1.timelines.list.$select(list.id).list({ limit: 5 });
  check(Array.isArray(listTimeline), "list timeline not a list");
  results.list = { id: list.id, members: members.length, statuses: listTimeline.length };

  step = "filters_v2_create";
  const filter = await rest.v2.filters.create({
    title: "Spoilers",
    context: ["home", "public"],
    filterAction: "warn",
    keywordsAttributes: [{ keyword: "spoiler", wholeWord: true }],
  });
  check(filter.id && filter.keywords?.[0]?.keyword === "spoiler", `filter ${JSON.stringify(filter)}`);
  results.filter = filter.id;

  step = "edit";
  const edited = await rest.v1.statuses.$select(reply.id).update({ status: "A reply, edited" });
  check(edited.content.includes("edited") && edited.editedAt, "edit not applied");
  step = "history";
  const history = await rest.v1.statuses.$select(reply.id).history.list();
  check(history.length === 2, `history of ${history.length}`);
  results.history = history.length;

  step = "delete";
  const deleted = await rest.v1.statuses.$select(reply.id).remove();
  check(deleted.id === reply.id, "delete did not return the status");
  step = "deleted_is_gone";
  const gone = await rest.v1.statuses
    .$select(reply.id)
    .fetch()
    .then(
      () => false,
      (error) => error.statusCode === 404,
    );
  check(gone, "deleted status still answers");

  step = "stream_subscribe";
  results.stream = await streamOnePost(streamingUrl);
}

// Subscribes to the user stream over the WebSocket (token as the subprotocol, masto's default),
// says SUBSCRIBED once the subscribe frame is out, and waits for the friend's post.
async function streamOnePost(streamingApiUrl) {
  let subscribed;
  const sent = new Promise((resolve) => (subscribed = resolve));
  class Watched extends WebSocket {
    send(data, ...rest) {
      super.send(data, ...rest);
      if (String(data).includes('"subscribe"')) subscribed();
    }
  }
  const streaming = createStreamingAPIClient({
    streamingApiUrl,
    accessToken,
    implementation: Watched,
    retry: 3,
  });
  const events = streaming.user.subscribe()[Symbol.asyncIterator]();
  const nextUpdate = (async () => {
    for (;;) {
      const { value, done } = await events.next();
      if (done) throw new Error("stream ended");
      if (value.event === "update" && value.payload.account.id === friendId) return value.payload;
    }
  })();
  try {
    await withTimeout(sent, 5000, "subscribe frame never sent");
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server handles the frame
    step = "stream_update";
    const start = performance.now();
    console.log("SUBSCRIBED");
    const status = await withTimeout(nextUpdate, STREAM_WAIT_MS, "no update arrived");
    return { status: status.id, content: status.content, ms: Math.round(performance.now() - start) };
  } finally {
    streaming.close();
  }
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

try {
  check(url && accessToken && friendId, "MASTO_URL, MASTO_TOKEN and MASTO_FRIEND_ID are required");
  await journey();
  console.log(JSON.stringify(results));
  process.exit(0);
} catch (error) {
  const detail = error.statusCode ? ` (HTTP ${error.statusCode}: ${error.description ?? ""})` : "";
  console.log(JSON.stringify({ ok: false, step, error: `${error.message}${detail}`, results }));
  process.exit(1);
}
