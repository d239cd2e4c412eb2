"""The Processing provider ``mew`` and one module per algorithm.

This package shadows QGIS's own ``processing`` if the plugin folder itself is
ever put on ``sys.path``: import it relatively and get QGIS's with
``from qgis import processing``.
"""
