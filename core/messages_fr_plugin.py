"""The engine's messages in French: the algorithms' own checks, briefing layouts and the dock.

English template → French template with the same ``{names}`` (see :mod:`.messages`).
"""

from __future__ import annotations

FRENCH_PLUGIN_MESSAGES: dict[str, str] = {
    # --- layout/atlas.py
    (
        "The zones layer '{given}' could not be loaded: check that it exists and is a polygon "
        "layer (a GeoPackage layer is written 'file.gpkg|layername=name')."
    ): (
        "La couche des zones '{given}' n'a pas pu être chargée : vérifiez qu'elle existe et que "
        "c'est une couche de polygones (une couche de GeoPackage s'écrit "
        "'fichier.gpkg|layername=nom')."
    ),
    "The zones layer '{zones}' must contain polygons (one per atlas page).": (
        "La couche des zones '{zones}' doit contenir des polygones (un par page de l'atlas)."
    ),
    "Choose the zone name field (ZONE_FIELD) of the zones layer '{zones}'.": (
        "Choisissez le champ du nom de zone (ZONE_FIELD) de la couche des zones '{zones}'."
    ),
    "The zones layer '{zones}' has no field '{zone_field}'.": (
        "La couche des zones '{zones}' n'a pas de champ '{zone_field}'."
    ),
    # --- layout/briefing_map.py
    "The map extent is ignored for an atlas: each page shows its zone.": (
        "L'emprise de la carte est ignorée pour un atlas : chaque page montre sa zone."
    ),
    # --- layout/export.py
    (
        "QGIS could not write the briefing map '{path}' (layout export result {result}). {error} "
        "Check that the folder exists and is writable and the file is not open elsewhere."
    ): (
        "QGIS n'a pas pu écrire la carte de briefing '{path}' (résultat de l'export de la mise en "
        "page : {result}). {error} Vérifiez que le dossier existe et est accessible en écriture et "
        "que le fichier n'est pas ouvert ailleurs."
    ),
    # --- layout/frame.py
    "None of the layers has a coordinate reference system: set one in the layer properties.": (
        "Aucune des couches n'a de système de coordonnées de référence "
        ": définissez-en un dans les propriétés de la couche."
    ),
    "The layers {names} have nothing to draw (no features or an empty extent).": (
        "Les couches {names} n'ont rien à dessiner (aucune entité ou une emprise vide)."
    ),
    (
        "The map extent '{written}' is empty (no width or height): give xmin,xmax,ymin,ymax with "
        "xmin < xmax and ymin < ymax, or leave it out to show all layers."
    ): (
        "L'emprise de carte '{written}' est vide (ni largeur ni hauteur) : donnez "
        "xmin,xmax,ymin,ymax avec xmin < xmax et ymin < ymax, ou omettez-la pour montrer toutes "
        "les couches."
    ),
    (
        "The map extent '{written}' contains none of the layers: check its coordinates and CRS, or "
        "leave it out to show all layers."
    ): (
        "L'emprise de carte '{written}' ne contient aucune des couches : vérifiez ses "
        "coordonnées et son SCR, ou omettez-la pour montrer toutes les couches."
    ),
    # --- layout/incident_grid.py
    "{count} record(s) of '{layer}' have no usable location and are not counted on the map.": (
        "{count} enregistrement(s) de '{layer}' n'ont pas de position utilisable et ne sont pas comptés sur la carte."
    ),
    # --- layout/layers.py
    "Give at least one layer to draw (LAYERS).": "Donnez au moins une couche à dessiner (LAYERS).",
    (
        "The layer '{where}' could not be loaded: check that the file or project layer exists (a "
        "GeoPackage layer is written 'file.gpkg|layername=name')."
    ): (
        "La couche '{where}' n'a pas pu être chargée : vérifiez que le fichier ou la couche du "
        "projet existe (une couche de GeoPackage s'écrit 'fichier.gpkg|layername=nom')."
    ),
    # --- layout/main_map.py
    "The layout template's 'main_map' item is not a map.": (
        "L'élément 'main_map' du modèle de mise en page n'est pas une carte."
    ),
    # --- layout/template.py
    "The layout template '{path}' does not exist.": "Le modèle de mise en page '{path}' n'existe pas.",
    "The layout template '{path}' is not a readable .qpt (XML) file.": (
        "Le modèle de mise en page '{path}' n'est pas un fichier .qpt (XML) lisible."
    ),
    "QGIS could not load the layout template '{path}'.": (
        "QGIS n'a pas pu charger le modèle de mise en page '{path}'."
    ),
    (
        "The layout template '{name}' lacks the items {missing}: give the map item and labels "
        "these ids (Item properties → Item ID)."
    ): (
        "Il manque au modèle de mise en page '{name}' les éléments {missing} : donnez ces "
        "identifiants à l'élément carte et aux étiquettes (Propriétés de l'élément → Identifiant)."
    ),
    # --- processing/base.py
    "The layer {layer} given as '{definition}' holds {holds}: choose a layer of {wanted}.": (
        "La couche {layer} donnée comme '{definition}' n'a pas le bon type "
        "de géométrie ({holds}) : choisissez une couche de {wanted}."
    ),
    " or ": " ou ",
    "the input '{input}' ({key})": "l'entrée '{input}' ({key})",
    "the input {layer} ('{input}', {key})": "l'entrée {layer} ('{input}', {key})",
    "the output '{output}' ({key})": "la sortie '{output}' ({key})",
    "'{definition}' ({key}) is {number}, not a number: give a finite number{example}.": (
        "'{definition}' ({key}) vaut {number}, ce n'est pas un nombre : donnez un nombre fini{example}."
    ),
    ", e.g. {default:g}": ", p. ex. {default:g}",
    "{where}: {reason}. {advice} Nothing was written; earlier outputs are as they were.": (
        "{where} : {reason}. {advice} Rien n'a été écrit ; les sorties antérieures sont restées telles quelles."
    ),
    "{output} could not be written to '{file}' (folder '{folder}')": (
        "{output} n'a pas pu être écrite dans '{file}' (dossier '{folder}')"
    ),
    "permission denied": "permission refusée",
    "the system does not allow it": "le système ne le permet pas",
    "the disk or share is read-only": "le disque ou le partage est en lecture seule",
    "the disk is full": "le disque est plein",
    "it does not exist": "il n'existe pas",
    "a part of the path is a file, not a folder": "une partie du chemin est un fichier, pas un dossier",
    "the disk quota is used up": "le quota de disque est épuisé",
    "Free some space or choose a folder on another disk.": (
        "Libérez de la place ou choisissez un dossier sur un autre disque."
    ),
    "'{path}' could not be used": "'{path}' n'a pas pu être utilisé",
    "a file could not be read or written": "un fichier n'a pas pu être lu ou écrit",
    ("Choose a folder you can write to (for instance in your home folder), or ask for write access."): (
        "Choisissez un dossier où vous pouvez écrire (par exemple dans "
        "votre dossier personnel), ou demandez l'accès en écriture."
    ),
    "Check that the file exists and that its name and folder are right.": (
        "Vérifiez que le fichier existe et que son nom et son dossier sont justes."
    ),
    # --- processing/briefingmap.py
    "Choose a PDF file for the briefing map (OUTPUT_PDF).": (
        "Choisissez un fichier PDF pour la carte de briefing (OUTPUT_PDF)."
    ),
    # --- processing/convert.py
    "The {what} has no coordinate reference system: set one in its properties.": (
        "Aucun système de coordonnées de référence n'est défini ({what}) : définissez-en un dans ses propriétés."
    ),
    "'{table}' in {file}": "'{table}' dans {file}",
    (
        "Feature {feature} of the layer {name} has an invalid geometry{geometry}. Repair the layer "
        "(Processing: 'Fix geometries'; 'Check validity' lists every problem), or set Processing's "
        "'Invalid features filtering' option to skip invalid features or not to filter them."
    ): (
        "L'entité {feature} de la couche {name} a une géométrie invalide{geometry}. Réparez la "
        "couche (Traitement : « Réparer les géométries » ; « Vérifier la validité » liste chaque "
        "problème), ou réglez l'option « Filtrage des entités invalides » de Traitement pour "
        "ignorer les entités invalides ou ne pas les filtrer."
    ),
    # --- processing/coveragegaps.py
    "Choose a villages layer (VILLAGES).": "Choisissez une couche de villages (VILLAGES).",
    # --- processing/drought_parameters.py
    "The stack layer '{layer}' is not a file: save it as GeoTIFF first.": (
        "La couche de la pile '{layer}' n'est pas un fichier : enregistrez-la d'abord en GeoTIFF."
    ),
    "The mask layer '{mask_layer}' is not a file: save it as GeoTIFF first.": (
        "La couche de masque '{mask_layer}' n'est pas un fichier : enregistrez-la d'abord en GeoTIFF."
    ),
    "MASK_VALUES is empty: list the mask values that mean a bad pixel, e.g. 1.": (
        "MASK_VALUES est vide : listez les valeurs de masque qui signifient un mauvais pixel, p. ex. 1."
    ),
    # --- processing/droughtchange.py
    "Give both BEFORE and AFTER index rasters, or a STACK with BEFORE_DATE and AFTER_DATE.": (
        "Donnez à la fois les rasters d'indice BEFORE et AFTER, ou une STACK avec BEFORE_DATE et AFTER_DATE."
    ),
    "Nothing to compare: give BEFORE and AFTER index rasters, or a STACK and two dates.": (
        "Rien à comparer : donnez les rasters d'indice BEFORE et AFTER, ou une STACK et deux dates."
    ),
    "The ZONES layer has no polygon with a geometry: choose a layer of zones.": (
        "La couche ZONES n'a aucun polygone avec une géométrie : choisissez une couche de zones."
    ),
    "BEFORE and AFTER must be raster files (GeoTIFF).": ("BEFORE et AFTER doivent être des fichiers raster (GeoTIFF)."),
    "With a STACK, set BEFORE_DATE (and AFTER_DATE, or the latest date is used).": (
        "Avec une STACK, définissez BEFORE_DATE (et AFTER_DATE, sinon la dernière date est utilisée)."
    ),
    "Could not write new drought area {area_number}: {sink}": (
        "Impossible d'écrire la nouvelle zone de sécheresse {area_number} : {sink}"
    ),
    "Could not write the summary of zone '{row}': {sink}": (
        "Impossible d'écrire le résumé de la zone '{row}' : {sink}"
    ),
    # --- processing/emerginghotspots.py
    "The INPUT layer '{source}' must hold incident points.": (
        "La couche INPUT '{source}' doit contenir des points d'incidents."
    ),
    # --- processing/feature_io.py
    "The layer '{name}' ({key}) has no features: choose a layer with data or leave it empty.": (
        "La couche '{name}' ({key}) n'a aucune entité : choisissez une couche avec des données ou laissez vide."
    ),
    "{count} {what} without a location were left out.": "{count} {what} sans position ont été écartés.",
    (
        "{count} {what} have impossible coordinates for {crs} (longitude beyond ±180° or latitude "
        "beyond ±90°) and were left out: feature ids {ids}. Correct them, or check the layer's CRS."
    ): (
        "{count} {what} ont des coordonnées impossibles pour {crs} (longitude au-delà de ±180° ou "
        "latitude au-delà de ±90°) et ont été écartés : identifiants d'entité {ids}. Corrigez-les, "
        "ou vérifiez le SCR de la couche."
    ),
    # --- processing/gi_shared.py
    "The STUDY_AREA layer has no polygons: choose a polygon layer or leave it empty.": (
        "La couche STUDY_AREA n'a aucun polygone : choisissez une couche de polygones ou laissez vide."
    ),
    # --- processing/hotspots.py
    "The INPUT layer could not be opened.": "La couche INPUT n'a pas pu être ouverte.",
    (
        "The INPUT layer '{source}' has polygons: grids aggregate incident points. Use GRID = none "
        "to analyse the polygons' VALUE_FIELD."
    ): (
        "La couche INPUT '{source}' contient des polygones : les grilles agrègent des points "
        "d'incidents. Utilisez GRID = none pour analyser la VALUE_FIELD des polygones."
    ),
    "GRID = none analyses each feature's value: choose the VALUE_FIELD (e.g. events).": (
        "GRID = none analyse la valeur de chaque entité : choisissez la VALUE_FIELD (p. ex. events)."
    ),
    "Feature {fid} of the layer {name} has no geometry: remove or fix it.": (
        "L'entité {fid} de la couche {name} n'a pas de géométrie : supprimez-la ou réparez-la."
    ),
    "Feature {fid} of the layer {name} has no '{value_field}': fill or filter it.": (
        "L'entité {fid} de la couche {name} n'a pas de '{value_field}' : complétez-la ou filtrez-la."
    ),
    # --- processing/importincidents.py
    "Choose the incident file to import (INPUT).": "Choisissez le fichier d'incidents à importer (INPUT).",
    "The output layers could not be created: check the output paths.": (
        "Les couches de sortie n'ont pas pu être créées : vérifiez les chemins de sortie."
    ),
    # --- processing/incidentdensity.py
    "The incident layer could not be opened: choose a point layer.": (
        "La couche d'incidents n'a pas pu être ouverte : choisissez une couche de points."
    ),
    "A period (START/END) needs DATE_FIELD: choose the field that holds the incident date.": (
        "Une période (START/END) demande DATE_FIELD : choisissez le champ qui porte la date de l'incident."
    ),
    # --- processing/parameters.py
    "{key} is not a date: give it as YYYY-MM-DD.": ("{key} n'est pas une date : donnez-la sous la forme AAAA-MM-JJ."),
    # --- processing/patrolcoverage.py
    "Give BASES, PATROLS, or both: there is nothing to measure coverage from.": (
        "Donnez BASES, PATROLS, ou les deux : il n'y a rien à partir de quoi mesurer la couverture."
    ),
    # --- ui/mission_loader.py
    (
        "The package '{name}' has {count} error(s): nothing was loaded. Fix them (see the problems "
        "list or the validation report), or choose 'Load as is' to load what can be opened."
    ): (
        "Le paquet '{name}' a {count} erreur(s) : rien n'a été chargé. Corrigez-les (voir la liste "
        "des problèmes ou le rapport de validation), ou choisissez « Charger tel quel » pour "
        "charger ce qui peut être ouvert."
    ),
    # --- words put into the messages above
    "points": "points",
    "lines": "lignes",
    "polygons": "polygones",
    "no geometries (it is a table)": "aucune géométrie (c'est une table)",
    "geometries of an unknown type": "des géométries d'un type inconnu",
    "layer": "couche",
    "input layer": "couche d'entrée",
    "villages layer": "couche des villages",
    "STUDY_AREA layer": "couche STUDY_AREA",
    "population raster": "raster de population",
}
