"""The OAuth scopes an app may ask for, and which granted scopes cover a needed one.

`read` covers every `read:*`, `write` every `write:*`; `follow` covers reading and
changing follows, blocks and mutes (Mastodon's meaning, so its clients behave).
"""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "read": "Read everything in your account",
    "write": "Change everything in your account: post, follow, message, edit your profile",
    "follow": "See and change whom you follow, block and mute",
    "push": "Receive push notifications",
    "read:statuses": "Read posts and timelines, drafts and scheduled posts",
    "write:statuses": "Post, edit and delete posts; like, repost, pin and vote",
    "read:notifications": "Read your notifications and their settings",
    "write:notifications": "Mark notifications read and change their settings",
    "write:media": "Upload images and videos",
    "read:messages": "Read your direct messages",
    "write:messages": "Send and delete direct messages, start and leave conversations",
    "read:accounts": "See profiles and your privacy settings",
    "write:accounts": "Edit your profile and privacy settings",
    "read:follows": "See who follows whom and your follow requests",
    "write:follows": "Follow and unfollow people, answer follow requests",
    "read:blocks": "See whom you block",
    "write:blocks": "Block and unblock people",
    "read:mutes": "See whom you mute",
    "write:mutes": "Mute and unmute people and conversations",
    "read:lists": "Read your lists",
    "write:lists": "Create, change and delete lists",
    "read:bookmarks": "Read your bookmarks",
    "write:bookmarks": "Bookmark posts and remove bookmarks",
    "read:search": "Search and see trends",
    "write:reports": "Report posts and people",
    "read:filters": "Read your word filters",
    "write:filters": "Change your word filters",
}

_FOLLOW = {"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}


def covers(granted: set[str], needed: str) -> bool:
    """Whether a token granted `granted` may do what needs `needed`."""
    if needed in granted:
        return True
    family, _, _ = needed.partition(":")
    if family in ("read", "write") and needed != family and family in granted:
        return True
    return needed in _FOLLOW and "follow" in granted
