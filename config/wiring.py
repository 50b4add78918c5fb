"""Every place a lower app's hook runs a higher app's code, in the order it runs.

Read this file to see what else happens when something happens. The hooks are
declared next to the code that calls them (`<app>/hooks.py`); see
config/kernel/hooks.py for why they exist.
"""

from __future__ import annotations


def connect() -> None:
    pass
