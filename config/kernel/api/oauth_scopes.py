"""The OAuth 2 scopes, defined once.

The provider (consent page, token endpoint, metadata) and the API's scope
enforcement both read this module, so a scope exists exactly when it is a key
of SCOPES. The broad scopes keep Mastodon's meaning: `read` and `write` cover
every finer `read:*` / `write:*`, and the legacy `follow` covers the follow,
block and mute scopes.
"""

from django.utils.translation import gettext_noop

# The words are marked for the catalogue (gettext_noop keeps them English here: the OpenAPI schema and the
# provider's metadata say them in English); the consent page and Settings translate them as they show them.
SCOPES: dict[str, str] = {
    # Broad scopes
    "read": gettext_noop("Read everything your account can see"),
    "write": gettext_noop("Change anything on your account: post, delete, follow, change settings"),
    "follow": gettext_noop("See and change whom you follow, block and mute"),
    "push": gettext_noop("Receive push notifications for your account"),
    # Finer read scopes
    "read:accounts": gettext_noop("See your profile and other people's profiles"),
    "read:statuses": gettext_noop("Read posts, including those only your followers can see"),
    "read:notifications": gettext_noop("Read your notifications"),
    "read:messages": gettext_noop("Read your direct messages"),
    "read:follows": gettext_noop("See whom you follow and who follows you"),
    "read:blocks": gettext_noop("See whom you block"),
    "read:mutes": gettext_noop("See whom you mute"),
    "read:lists": gettext_noop("See your lists"),
    "read:bookmarks": gettext_noop("See your bookmarks"),
    "read:favourites": gettext_noop("See the posts you liked"),
    "read:search": gettext_noop("Search on your behalf"),
    "read:filters": gettext_noop("See your muted words"),
    # Finer write scopes
    "write:accounts": gettext_noop("Change your profile and account settings"),
    "write:statuses": gettext_noop("Post, reply, repost and delete posts as you"),
    "write:media": gettext_noop("Upload pictures and videos as you"),
    "write:notifications": gettext_noop("Mark your notifications read and clear them"),
    "write:messages": gettext_noop("Send direct messages as you"),
    "write:follows": gettext_noop("Follow and unfollow people as you"),
    "write:blocks": gettext_noop("Block and unblock people as you"),
    "write:mutes": gettext_noop("Mute and unmute people as you"),
    "write:lists": gettext_noop("Create, change and delete your lists"),
    "write:bookmarks": gettext_noop("Add and remove bookmarks"),
    "write:favourites": gettext_noop("Like and unlike posts as you"),
    "write:filters": gettext_noop("Add, change and remove your muted words"),
    "write:reports": gettext_noop("Report posts and people as you"),
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
