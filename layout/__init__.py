"""Briefing-map layouts on QGIS: the print layout filled from a template, and its export.

One module per part of the page: the layers drawn (:mod:`.layers`), the map's
CRS and extent (:mod:`.frame`), incident points drawn as counts per cell
(:mod:`.incident_grid`), the labels (:mod:`.labels`), the main map with its
north arrow and scale bar (:mod:`.main_map`), the labels drawn on the map
(:mod:`.map_labels`), the overview inset with the region's countries
(:mod:`.overview`), the legend (:mod:`.legend`), the atlas of zones
(:mod:`.atlas`), the provenance read from the layers (:mod:`.provenance`),
the template (:mod:`.template`) and the atomic PDF/PNG export
(:mod:`.export`). :func:`.briefing_map.export_briefing_map` puts them
together. What needs no QGIS (page plan, texts, aggregation arithmetic) lives
in ``core.briefing*``; the Processing algorithm ``mew:briefingmap`` only turns
its parameters into a :class:`.briefing_map.BriefingMapRequest`.
"""
