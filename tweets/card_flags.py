"""A per-viewer flag on cards that an app above tweets loads (see `hooks.card_flags`).

Tweets can't import those apps, so they hand `hydrate` a SQL fragment instead: its
rows, `(label, key)`, ride in the one query that loads the viewer's likes and
retweets, so a page costs no extra query. A card gets `attribute` True when its
`key(tweet)` came back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CardFlag:
    label: str  # a text literal the fragment selects first; unique among flags
    attribute: str  # set on each card
    key: Callable[[object], int]  # the value of a card the fragment's second column matches
    sql: str = ""  # SELECT '<label>', <bigint> ...; empty when there is nothing to ask
    params: list = field(default_factory=list)
