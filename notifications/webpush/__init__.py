"""Web Push: browsers that subscribed get a notification even when no page of the site is open.

- `subscriptions`: which browsers a person subscribed (validated, SSRF-checked), and a cheap
  "has any" answer for the request path;
- `schedule`: called for every new notification (notifications.channels); decides and enqueues;
- `delivery`: builds the payload, encrypts it (pywebpush, aes128gcm), signs VAPID, POSTs it to
  the push service through the fetcher's address checks, and says what to do with the answer;
- `api` and `views`: the JSON API and the settings partial's form posts.
See docs/DECISIONS.md, "Web Push".
"""
