"""The OAuth 2 scopes, defined once.

The provider (consent page, token endpoint, metadata) and the API's scope
enforcement both read this module, so a scope exists exactly when it is a key
of SCOPES. The broad scopes keep Mastodon's meaning: `read` and `write` cover
every finer `read:*` / `write:*`, and the legacy `follow` covers the follow,
block and mute scopes.
"""

SCOPES: dict[str, str] = {
    # Broad scopes
    "read": "Read everything your account can see",
    "write": "Change anything on your account: post, delete, follow, change settings",
    "follow": "See and change whom you follow, block and mute",
    "push": "Receive push notifications for your account",
    # Finer read scopes
    "read:accounts": "See your profile and other people's profiles",
    "read:statuses": "Read posts, including those only your followers can see",
    "read:notifications": "Read your notifications",
    "read:messages": "Read your direct messages",
    "read:follows": "See whom you follow and who follows you",
    "read:blocks": "See whom you block",
    "read:mutes": "See whom you mute",
    "read:lists": "See your lists",
    "read:bookmarks": "See your bookmarks",
    "read:favourites": "See the posts you liked",
    "read:search": "Search on your behalf",
    "read:filters": "See your muted words",
    # Finer write scopes
    "write:accounts": "Change your profile and account settings",
    "write:statuses": "Post, reply, repost and delete posts as you",
    "write:media": "Upload pictures and videos as you",
    "write:notifications": "Mark your notifications read and clear them",
    "write:messages": "Send direct messages as you",
    "write:follows": "Follow and unfollow people as you",
    "write:blocks": "Block and unblock people as you",
    "write:mutes": "Mute and unmute people as you",
    "write:lists": "Create, change and delete your lists",
    "write:bookmarks": "Add and remove bookmarks",
    "write:favourites": "Like and unlike posts as you",
    "write:filters": "Add, change and remove your muted words",
    "write:reports": "Report posts and people as you",
}

# Mastodon's legacy `follow` scope.
FOLLOW_COVERS = frozenset({"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"})

# Asked for when an app names no scope at all (as Mastodon does).
DEFAULT_SCOPES = ("read",)


def covers(granted: set[str], needed: str) -> bool:
    """Whether a token granted `granted` may do what `needed` allows."""
    if needed in granted:
        return True
    family, _, detail = needed.partition(":")
    if detail and family in ("read", "write") and family in granted:
        return True
    return needed in FOLLOW_COVERS and "follow" in granted


def expand(scopes: set[str]) -> set[str]:
    """Every scope in SCOPES that `scopes` covers (for display and checks)."""
    return {name for name in SCOPES if covers(scopes, name)}
