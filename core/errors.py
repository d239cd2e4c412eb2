"""Errors the engine raises for the user to read."""

from __future__ import annotations

from .messages import message


class MewError(Exception):
    """A problem with the user's input or settings.

    The message is shown to the GIS officer as it is, so it names the layer,
    field, file, band or CSV row at fault and says what to do about it. It is
    written as an English template with its values by name,
    ``MewError("The layer '{layer}' has no field '{field}'.", layer=name, field=field)``,
    and reads in the language the engine speaks (:mod:`.messages`); ``template`` and
    ``values`` keep what it was made from.
    """

    def __init__(self, template: str = "", /, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(message(template, **values))


class OperationCancelled(Exception):
    """The user cancelled; the operation stopped and wrote nothing."""
