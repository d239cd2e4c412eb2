"""Development tooling: setup, packaging, installation into a QGIS profile."""
