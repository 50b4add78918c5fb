"""Named points where a lower app lets the apps above it act, without importing them.

Apps import each other in one direction (docs/DECISIONS.md, "Architecture"). When
something in a lower app must cause work in a higher one (a like makes a
notification; erasing an account erases its posts), the lower app declares a
`Hook` and calls it; `config/wiring.py`, the one module that imports every app,
connects the receivers in the order they run. Unlike Django signals, a hook has
a fixed set of keyword arguments, runs its receivers synchronously inside the
caller's transaction, lets their errors propagate, and every connection is in one
file a reader can follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, name: str, *, arguments: tuple[str, ...]) -> None:
        self.name = name
        self.arguments = frozenset(arguments)
        self._receivers: list[Callable[..., Any]] = []

    def connect(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        if receiver not in self._receivers:  # wiring twice (autoreload, tests) must not run a receiver twice
            self._receivers.append(receiver)
        return receiver

    @property
    def receivers(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._receivers)

    def __call__(self, **kwargs: Any) -> list[Any]:
        if set(kwargs) != self.arguments:
            raise TypeError(f"{self.name} takes {sorted(self.arguments)}, got {sorted(kwargs)}")
        return [receiver(**kwargs) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"
