"""What direct messages announce to the apps above them (connected in config/wiring.py).

Each hook runs inside the transaction that wrote the change.
"""

from config.kernel.hooks import Hook

# `members`: every member of the conversation, the sender included.
message_sent = Hook("messages.message_sent", arguments=("message", "members"))
# `reader` read `conversation_id` up to `marker`; `member_ids`: every member, the reader included.
conversation_read = Hook("messages.conversation_read", arguments=("reader", "conversation_id", "marker", "member_ids"))
