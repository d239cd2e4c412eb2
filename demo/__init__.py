"""The demo mission: a synthetic exercise package with planted truth, and the workflow run on it.

Not part of the plugin zip; used by ``make demo`` and by the tests.
"""
