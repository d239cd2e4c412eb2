"""``python -P -m mission_early_warning.core.mission_package check|to-gpkg ...`` (see :mod:`.cli`)."""

from .cli import main

raise SystemExit(main())
