"""``inami committee|member|meeting|decision``: composition, meetings, votes and decisions.

Thin: parse the options, call ``services.committees`` in one transaction, render.
"""

from __future__ import annotations

from inami_cli.cli.committee._committees import app, member_app
from inami_cli.cli.committee._decisions import decision_app
from inami_cli.cli.committee._meetings import meeting_app

__all__ = ["app", "decision_app", "meeting_app", "member_app"]
