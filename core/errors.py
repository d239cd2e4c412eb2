"""Errors the engine raises for the user to read."""

from __future__ import annotations


class MewError(Exception):
    """A problem with the user's input or settings.

    The message is shown to the GIS officer as it is, so it names the layer,
    field, file, band or CSV row at fault and says what to do about it.
    """


class OperationCancelled(Exception):
    """The user cancelled; the operation stopped and wrote nothing."""
