"""Dock and dialogs; their layouts are ``.ui`` files loaded at run time."""
