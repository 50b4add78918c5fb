"""What tweets announces to the apps above it (connected in config/wiring.py).

Each hook runs inside the transaction that made the change, after the rows are written.
"""

from config.kernel.hooks import Hook

posted = Hook("tweets.posted", arguments=("tweet", "parent", "quoted", "mentioned", "tags"))
edited = Hook("tweets.edited", arguments=("tweet", "mentioned", "tags_added", "tags_removed"))
deleted = Hook("tweets.deleted", arguments=("author", "entry_ids", "tags", "created_at"))
liked = Hook("tweets.liked", arguments=("user", "tweet"))
unliked = Hook("tweets.unliked", arguments=("user", "tweet"))
retweeted = Hook("tweets.retweeted", arguments=("user", "tweet", "retweet"))
unretweeted = Hook("tweets.unretweeted", arguments=("user", "tweet", "entry_ids"))

# Read time, not a change: apps above add a per-viewer flag to every card (e.g. "conversation muted")
# in the same round trip as the viewer's likes. Receivers take the viewer's id (None when signed
# out) and the posts a page shows, and return a `CardFlag` (tweets/card_flags.py).
card_flags = Hook("tweets.card_flags", arguments=("viewer_id", "tweets"))
poll_ended = Hook("tweets.poll_ended", arguments=("tweet", "voter_ids"))  # once per poll
