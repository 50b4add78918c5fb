"""What timelines announces to the apps above it (connected in config/wiring.py)."""

from config.kernel.hooks import Hook

# In the fan-out's worker, once a new post or retweet is first in its followers' timelines:
# it is out. Not inside a transaction; a receiver's error fails the fan-out, so receivers guard.
delivered = Hook("timelines.delivered", arguments=("entry_id",))
