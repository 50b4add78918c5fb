"""What the social graph announces to the apps above it (connected in config/wiring.py).

Each hook runs inside the transaction that changed the graph.
"""

from config.kernel.hooks import Hook

# (reader id, author id) pairs whose home timelines must follow a change in the graph.
timelines_stale = Hook("graph.timelines_stale", arguments=("pairs",))
followed = Hook("graph.followed", arguments=("follower", "followee", "requested"))
unfollowed = Hook("graph.unfollowed", arguments=("follower", "followee"))
request_accepted = Hook("graph.request_accepted", arguments=("requester", "target"))
request_denied = Hook("graph.request_denied", arguments=("requester", "target"))
blocked = Hook("graph.blocked", arguments=("blocker", "blocked"))
# `user` added, changed or deleted a muted word (not when an expired one is swept: it had stopped matching).
muted_words_changed = Hook("graph.muted_words_changed", arguments=("user",))
