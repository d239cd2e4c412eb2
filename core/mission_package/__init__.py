"""Mission packages: read a manifest, keep it inside its package, and validate every layer it lists.

A mission package is either a **folder** holding ``manifest.json`` and the data files it lists, or a
**GeoPackage** holding the manifest in its ``mew_manifest`` table (:mod:`.package` describes both).
The manifest is data, never code: nothing read from it is evaluated; paths must stay inside the
package; unknown keys are reported as warnings and otherwise ignored.

Each concept has its module, and callers import from it:

* :mod:`.schema`: the keys, roles and themes a manifest may use;
* :mod:`.manifest`: reading the manifest, bounded, and checking its values' types;
* :mod:`.package`: the opened package and its layers (:func:`~.package.open_package`);
* :mod:`.containment`: manifest paths stay plain local files inside the package;
* :mod:`.vetting`: a file is handed to GDAL or QGIS only once vetted (:func:`~.vetting.vetted_source`);
* :mod:`.datasets`: opening package files with the allowed GDAL drivers only;
* :mod:`.validation`: every problem of a package (:func:`~.validation.validate`), through the checks of
  :mod:`.vector_check`, :mod:`.raster_check` and :mod:`.table_check`, which share :mod:`.layer_checks`
  and :mod:`.declared_crs`;
* :mod:`.problems`: what validation finds; :mod:`.report`: the text and HTML reports;
* :mod:`.conversion`: a folder package into a GeoPackage package;
* :mod:`.cli`: ``python -P -m mission_early_warning.core.mission_package check|to-gpkg ...``.
"""
