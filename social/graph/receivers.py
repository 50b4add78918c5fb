"""What the social graph does when accounts announces something (wired in config/wiring.py)."""

from __future__ import annotations

from social.graph import services


def privacy_changed(*, user, is_private) -> None:
    if not is_private:
        # Turning public lets everyone who asked in; turning private keeps current followers.
        services.follow_requests_accept_all(target=user)
