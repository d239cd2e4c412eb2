"""The engine's messages in French: every error an officer reads, by its English template."""

from __future__ import annotations

FRENCH_MESSAGES: dict[str, str] = {}
