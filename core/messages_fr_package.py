"""The engine's messages in French: mission packages and the files outputs are written to.

English template → French template with the same ``{names}`` (see :mod:`.messages`).
"""

from __future__ import annotations

FRENCH_PACKAGE_MESSAGES: dict[str, str] = {
    # --- io.py
    (
        "The raster output '{output}' {found}: raster outputs are written as GeoTIFF. Name it with "
        ".tif, e.g. '{path}', and convert it afterwards if another format is needed."
    ): (
        "La sortie raster '{output}' {found} : les sorties raster sont écrites en GeoTIFF. "
        "Nommez-la en .tif, p. ex. '{path}', et convertissez-la ensuite si un autre format est "
        "nécessaire."
    ),
    (
        "{output} would overwrite {source}: it is the same file as the input, '{path}'. Inputs are "
        "never overwritten: choose another file for the output."
    ): (
        "{output} écraserait {source} : c'est le même fichier que l'entrée, '{path}'. Les "
        "entrées ne sont jamais écrasées : choisissez un autre fichier pour la sortie."
    ),
    "Nothing was written for '{final}'.": "Rien n'a été écrit pour '{final}'.",
    (
        "The output '{output}' is the same file as the input '{source}'. Inputs are never "
        "overwritten: choose another output path."
    ): (
        "La sortie '{output}' est le même fichier que l'entrée '{source}'. Les "
        "entrées ne sont jamais écrasées : choisissez un autre chemin de sortie."
    ),
    (
        "{output} would write the layer '{layer}' into '{path}', the file {source} (layer "
        "'{source_layer}') is read from. Inputs are never modified, and writing a file while "
        "reading it is not safe: choose another file for the output."
    ): (
        "{output} écrirait la couche '{layer}' dans '{path}', le fichier dont {source} (couche "
        "'{source_layer}') est lu. Les entrées ne sont jamais modifiées, et écrire un fichier "
        "pendant qu'on le lit n'est pas sûr : choisissez un autre fichier pour la sortie."
    ),
    (
        "{earlier} and {output} both go to '{path}': one would overwrite or damage the other. Give "
        "each output its own file."
    ): (
        "{earlier} et {output} vont tous deux dans '{path}' : l'un écraserait ou "
        "endommagerait l'autre. Donnez à chaque sortie son propre fichier."
    ),
    "ends in '{suffix}'": "se termine par '{suffix}'",
    "has no extension": "n'a pas d'extension",
    (
        "An earlier run writing '{final}' was stopped before it finished (killed, crashed or the "
        "power went off): the output it was replacing has been put back."
    ): (
        "Un traitement antérieur qui écrivait '{final}' a été arrêté avant la fin (tué, "
        "planté ou coupure de courant) : la sortie qu'il remplaçait a été remise en place."
    ),
    (
        "An earlier run writing '{final}' was stopped before it finished (killed, crashed or the "
        "power went off): the incomplete output it left has been removed."
    ): (
        "Un traitement antérieur qui écrivait '{final}' a été arrêté avant la fin (tué, planté "
        "ou coupure de courant) : la sortie incomplète qu'il a laissée a été supprimée."
    ),
    (
        "An earlier run writing '{final}' had finished but was stopped while tidying up: the copy "
        "of the older output it left in a hidden folder has been removed."
    ): (
        "Un traitement antérieur qui écrivait '{final}' avait fini mais a été arrêté pendant le "
        "rangement : la copie de l'ancienne sortie qu'il a laissée dans un dossier caché a été "
        "supprimée."
    ),
    # --- mission_package/containment.py
    "its path is empty.": "son chemin est vide.",
    (
        "the path {path_text!r} holds '|' or a control character, which QGIS would read as data "
        "source options; rename the file."
    ): (
        "le chemin {path_text!r} contient '|' ou un caractère de contrôle, que QGIS "
        "lirait comme des options de source de données ; renommez le fichier."
    ),
    (
        "the path '{path_text}' is a URL, a GDAL virtual path or a GDAL connection string; "
        "packages are plain local files."
    ): (
        "le chemin '{path_text}' est une URL, un chemin virtuel GDAL ou une chaîne "
        "de connexion GDAL ; les paquets sont de simples fichiers locaux."
    ),
    "the path '{path_text}' is an absolute Windows path outside the package.": (
        "le chemin '{path_text}' est un chemin Windows absolu hors du paquet."
    ),
    "the path '{path_text}' {how} outside the package folder '{root_real}'; it is refused.": (
        "le chemin '{path_text}' {how} hors du dossier du paquet '{root_real}' ; il est refusé."
    ),
    "{name!r} holds '|' or a control character, which QGIS would read as data source options": (
        "{name!r} contient '|' ou un caractère de contrôle, que QGIS lirait comme des options de source de données"
    ),
    ("Write the name of the table as the file lists it (check with ogrinfo); rename the table if needed."): (
        "Écrivez le nom de la table tel que le fichier le liste "
        "(vérifiez avec ogrinfo) ; renommez la table si nécessaire."
    ),
    "Cannot read '{path}': {strerror}. Check its permissions.": (
        "Impossible de lire '{path}' : {strerror}. Vérifiez ses droits d'accès."
    ),
    "is absolute and points": "est absolu et pointe",
    "leads": "mène",
    # --- mission_package/conversion.py
    "'{folder}' is already a GeoPackage package.": "'{folder}' est déjà un paquet GeoPackage.",
    "'{target}' exists already: choose a new file name.": (
        "'{target}' existe déjà : choisissez un nouveau nom de fichier."
    ),
    "Write the GeoPackage package into another folder than the source package.": (
        "Écrivez le paquet GeoPackage dans un autre dossier que le paquet source."
    ),
    "Converting would overwrite {taken}: write the GeoPackage package into an empty folder.": (
        "La conversion écraserait {taken} : écrivez le paquet GeoPackage dans un dossier vide."
    ),
    (
        "Layer '{id}': '{path}' cannot be opened as vector data. {not_written}: re-export the file "
        "(a complete GeoPackage, shapefile, GPX or GeoJSON) or remove the layer from the manifest, "
        "then convert again."
    ): (
        "Couche '{id}' : '{path}' ne peut pas être ouvert comme données vectorielles. "
        "{not_written} : exportez à nouveau le fichier (un GeoPackage, shapefile, GPX ou GeoJSON "
        "complet) ou retirez la couche du manifeste, puis convertissez à nouveau."
    ),
    (
        "Layer '{id}': '{path}' holds no layer '{value}'. {not_written}: correct \"layer\" in the "
        "manifest (check the package first), then convert again."
    ): (
        "Couche '{id}' : '{path}' ne contient pas de couche '{value}'. {not_written} : corrigez "
        '"layer" dans le manifeste (vérifiez d\'abord le paquet), puis convertissez à nouveau.'
    ),
    (
        "Layer '{id}': copying '{path}' into the GeoPackage failed ({reason}). {not_written}: "
        "check the file (re-export it) and the free disk space, then convert again."
    ): (
        "Couche '{id}' : la copie de '{path}' dans le GeoPackage a échoué ({reason}). "
        "{not_written} : vérifiez le fichier (exportez-le à nouveau) et l'espace disque libre, "
        "puis convertissez à nouveau."
    ),
    "{message} The GeoPackage package was not written: {action} Then convert again.": (
        "{message} Le paquet GeoPackage n'a pas été écrit : {action} Puis convertissez à nouveau."
    ),
    "Cannot create '{target}': check that its folder is writable and has space.": (
        "Impossible de créer '{target}' : vérifiez que son dossier est accessible en écriture et a de la place."
    ),
    "Cannot write the manifest into '{target}': check the disk space.": (
        "Impossible d'écrire le manifeste dans '{target}' : vérifiez l'espace disque."
    ),
    # --- mission_package/layer_checks.py
    "CRS mismatch: layer '{id}' is in {actual} but the manifest says {crs}.": (
        "SCR discordant : la couche '{id}' est en {actual} mais le manifeste indique {crs}."
    ),
    ('Reproject the file to the manifest\'s CRS, or correct "crs" in the manifest if the file is right.'): (
        'Reprojetez le fichier dans le SCR du manifeste, ou corrigez "crs" dans le manifeste si le fichier est juste.'
    ),
    "Layer '{id}' has no CRS defined (undefined CRS).": ("La couche '{id}' n'a pas de SCR défini (SCR non défini)."),
    (
        "Assign its CRS ({value}) in the data file, e.g. with gdal_edit.py -a_srs / ogr2ogr "
        "-a_srs, or in QGIS with 'Assign projection'."
    ): (
        "Attribuez-lui son SCR ({value}) dans le fichier de données, p. ex. avec "
        "gdal_edit.py -a_srs / ogr2ogr -a_srs, ou dans QGIS avec « Assigner une projection "
        "»."
    ),
    "Layer '{id}' ({role}) declares no {what}.": "La couche '{id}' ({role}) ne déclare pas {what}.",
    'Add "fields": {{"{logical}": "<column>"}} to the layer in the manifest.': (
        'Ajoutez "fields": {{"{logical}": "<colonne>"}} à la couche dans le manifeste.'
    ),
    "Missing field: layer '{id}' ({role}) has no field '{column}' ({what}).": (
        "Champ manquant : la couche '{id}' ({role}) n'a pas de champ '{column}' ({what})."
    ),
    (
        'Add the column \'{column}\' to the data, or point "fields"."{logical}" in the manifest to '
        "an existing one ({value})."
    ): (
        "Ajoutez la colonne '{column}' aux données, ou faites pointer "
        '"fields"."{logical}" du manifeste vers une colonne existante ({value}).'
    ),
    "a '{logical}' field": "un champ '{logical}'",
    # --- mission_package/manifest.py
    (
        "The manifest {origin} nests lists or objects more than {max_manifest_depth} levels deep: "
        "it is not a mission package manifest. Check that the right file was chosen."
    ): (
        "Le manifeste {origin} imbrique des listes ou des objets sur plus de {max_manifest_depth} "
        "niveaux : ce n'est pas un manifeste de paquet de mission. Vérifiez que le bon fichier a "
        "été choisi."
    ),
    (
        "'{path}' is larger than {limit:,} bytes, more than any manifest needs: it is not read. "
        "Check that it is the package's manifest (a short JSON description of its layers)."
    ): (
        "'{path}' fait plus de {limit:,} octets, plus qu'aucun manifeste n'en a besoin : il n'est "
        "pas lu. Vérifiez que c'est bien le manifeste du paquet (une courte description JSON de "
        "ses couches)."
    ),
    "The manifest {origin} must be a JSON object with 'mission', 'crs' and 'layers'.": (
        "Le manifeste {origin} doit être un objet JSON avec 'mission', 'crs' et 'layers'."
    ),
    (
        "The '{manifest_table}' table of '{gpkg}' must hold exactly one row with the manifest as "
        "JSON text in column '{manifest_column}' (found {count} rows)."
    ): (
        "La table '{manifest_table}' de '{gpkg}' doit contenir exactement une ligne avec le "
        "manifeste en texte JSON dans la colonne '{manifest_column}' ({count} lignes trouvées)."
    ),
    (
        "The manifest in the '{manifest_table}' table of '{gpkg}' is larger than "
        "{max_manifest_bytes:,} bytes, more than any manifest needs: it is not read. Check that "
        "the GeoPackage is a mission package."
    ): (
        "Le manifeste de la table '{manifest_table}' de '{gpkg}' fait plus de "
        "{max_manifest_bytes:,} octets, plus qu'aucun manifeste n'en a besoin : il n'est pas lu. "
        "Vérifiez que le GeoPackage est un paquet de mission."
    ),
    (
        "'{location}' holds no {manifest_name}: choose the mission package folder (the one with "
        "{manifest_name}) or a GeoPackage with a '{manifest_table}' table."
    ): (
        "'{location}' ne contient pas de {manifest_name} : choisissez le dossier du paquet de "
        "mission (celui qui contient {manifest_name}) ou un GeoPackage avec une table "
        "'{manifest_table}'."
    ),
    (
        "'{manifest_file}' is {manifest_kind}, not a file: a manifest is a JSON text file. Replace "
        "it with the package's own manifest.json."
    ): (
        "'{manifest_file}' est {manifest_kind}, pas un fichier : un manifeste est "
        "un fichier texte JSON. Remplacez-le par le manifest.json du paquet."
    ),
    "'{path}' is not a regular file: replace it with the package's own file.": (
        "'{path}' n'est pas un fichier ordinaire : remplacez-le par le fichier du paquet."
    ),
    (
        "The manifest {origin} is not valid JSON (line {lineno}, column {colno}: {msg}). Fix the file in a text editor."
    ): (
        "Le manifeste {origin} n'est pas du JSON valide (ligne {lineno}, colonne "
        "{colno} : {msg}). Corrigez le fichier dans un éditeur de texte."
    ),
    ("The manifest {origin} holds a number JSON cannot carry ({error}). Write plain finite numbers."): (
        "Le manifeste {origin} contient un nombre que JSON ne peut pas "
        "porter ({error}). Écrivez des nombres finis simples."
    ),
    (
        "The GeoPackage '{gpkg}' has no readable '{manifest_table}' table ({error}): it is not a "
        "mission package. Add the manifest with package_to_geopackage() or open the package folder "
        "instead."
    ): (
        "Le GeoPackage '{gpkg}' n'a pas de table '{manifest_table}' lisible ({error}) : ce n'est "
        "pas un paquet de mission. Ajoutez le manifeste avec package_to_geopackage() ou ouvrez "
        "plutôt le dossier du paquet."
    ),
    "Cannot read '{manifest_file}': {error}. Check the file is UTF-8 text.": (
        "Impossible de lire '{manifest_file}' : {error}. Vérifiez que le fichier est du texte UTF-8."
    ),
    (
        "'{location}' is {kind}: a mission package is a folder holding {manifest_name} or a "
        "GeoPackage (.gpkg) file. Choose the package itself."
    ): (
        "'{location}' est {kind} : un paquet de mission est un dossier contenant "
        "{manifest_name} ou un fichier GeoPackage (.gpkg). Choisissez le paquet lui-même."
    ),
    (
        "'{location}' is not a mission package: choose a folder holding {manifest_name} or a "
        "GeoPackage (.gpkg) holding the manifest."
    ): (
        "'{location}' n'est pas un paquet de mission : choisissez un dossier "
        "contenant {manifest_name} ou un GeoPackage (.gpkg) contenant le manifeste."
    ),
    "must map names to column names": "doit associer des noms à des noms de colonnes",
    'Write e.g. "fields": {{"date": "event_date"}}.': 'Écrivez p. ex. "fields": {{"date": "event_date"}}.',
    "must list one date as text per band": "doit lister une date en texte par bande",
    'Write e.g. "dates": ["2024-09-01", "2025-09-01"].': ('Écrivez p. ex. "dates": ["2024-09-01", "2025-09-01"].'),
    "must list numbers": "doit lister des nombres",
    "Write e.g. [1, 2] (numbers, without quotes).": "Écrivez p. ex. [1, 2] (des nombres, sans guillemets).",
    "must be two numbers, the lowest and highest valid value": (
        "doit être deux nombres, la valeur valide la plus basse et la plus haute"
    ),
    "Write e.g. [-2000, 10000].": "Écrivez p. ex. [-2000, 10000].",
    "{value!r} is not a delimiter: it must be one character other than a quote or line break": (
        "{value!r} n'est pas un délimiteur : ce doit être un seul caractère autre qu'un guillemet ou un saut de ligne"
    ),
    'Write e.g. "delimiter": ";" (or "\\t" for tabs), or leave it out to detect it.': (
        'Écrivez p. ex. "delimiter": ";" (ou "\\t" pour les tabulations), ou omettez-le pour le détecter.'
    ),
    "{value!r} is not a text encoding": "{value!r} n'est pas un encodage de texte",
    'Write the file\'s encoding as Python and QGIS name it, e.g. "utf-8", "latin-1" or "cp1252".': (
        'Écrivez l\'encodage du fichier tel que Python et QGIS le nomment, p. ex. "utf-8", "latin-1" ou "cp1252".'
    ),
    "Layer '{layer_id}': its": "Couche '{layer_id}' : son",
    "The manifest's": "Le manifeste : son",
    "Layer '{layer_id}': its \"{key}\" {problem}; it is ignored.": (
        "Couche '{layer_id}' : son \"{key}\" {problem} ; il est ignoré."
    ),
    '{where} "{prefix}{key}" must be {allowed}, not {found}; it is ignored.': (
        '{where} "{prefix}{key}" doit être {allowed}, pas {found} ; il est ignoré.'
    ),
    'Correct "{prefix}{key}" in the manifest (docs/mission.md shows each key\'s form).': (
        'Corrigez "{prefix}{key}" dans le manifeste (docs/mission.md montre la forme de chaque clé).'
    ),
    # --- mission_package/package.py
    "Unknown manifest key '{key}' is ignored.": "La clé de manifeste inconnue '{key}' est ignorée.",
    "Remove it or check its spelling.": "Supprimez-la ou vérifiez son orthographe.",
    "The manifest gives no classification.": "Le manifeste ne donne pas de classification.",
    'Add "classification" (e.g. "UN RESTRICTED") so maps and reports carry it.': (
        'Ajoutez "classification" (p. ex. "UN RESTRICTED") pour que les cartes et les rapports la portent.'
    ),
    "The manifest gives no mission CRS.": "Le manifeste ne donne pas de SCR de la mission.",
    'Add "crs", e.g. "EPSG:32630".': 'Ajoutez "crs", p. ex. "EPSG:32630".',
    "The manifest lists no layers.": "Le manifeste ne liste aucune couche.",
    'Add a "layers" list describing each file.': 'Ajoutez une liste "layers" décrivant chaque fichier.',
    "Layer #{index} of the manifest is not an object.": ("La couche n° {index} du manifeste n'est pas un objet."),
    'Describe it as {{"id": ...}}.': 'Décrivez-la sous la forme {{"id": ...}}.',
    "Layer #{index} has no id.": "La couche n° {index} n'a pas d'identifiant.",
    'Add a short unique "id".': 'Ajoutez un "id" court et unique.',
    "Unknown key '{key}' of layer '{layer_id}' is ignored.": (
        "La clé inconnue '{key}' de la couche '{layer_id}' est ignorée."
    ),
    "Remove it or fix it.": "Supprimez-la ou corrigez-la.",
    "Layer '{layer_id}' has {value}: it is loaded unstyled and offered to no analysis.": (
        "La couche '{layer_id}' a {value} : elle est chargée sans style et proposée à aucune analyse."
    ),
    'Set "role" to one of: {roles}.': 'Définissez "role" à l\'une des valeurs : {roles}.',
    "Layer '{layer_id}' has the unknown theme '{theme}'; it goes into '{other_theme}'.": (
        "La couche '{layer_id}' a le thème inconnu '{theme}' ; elle va dans '{other_theme}'."
    ),
    "Use one of: {themes}.": "Utilisez l'une des valeurs : {themes}.",
    "The mission CRS '{crs}' is not a CRS.": "Le SCR de la mission '{crs}' n'est pas un SCR.",
    'Write it as "EPSG:<code>" or WKT.': 'Écrivez-le sous la forme "EPSG:<code>" ou en WKT.',
    "Layer id '{id}' is used twice.": "L'identifiant de couche '{id}' est utilisé deux fois.",
    "Give every layer its own id.": "Donnez à chaque couche son propre identifiant.",
    "Layer '{layer_id}': {error}": "Couche '{layer_id}' : {error}",
    "Put the file inside the package folder and write its path relative to it.": (
        "Placez le fichier dans le dossier du paquet et écrivez son chemin relativement à celui-ci."
    ),
    "no role": "aucun rôle",
    "the unknown role {role!r}": "le rôle inconnu {role!r}",
    # --- mission_package/raster_check.py
    "Raster '{id}' has no nodata value: empty pixels would count as real values.": (
        "Le raster '{id}' n'a pas de valeur nodata : les pixels vides compteraient comme de vraies valeurs."
    ),
    'Set it in the file (gdal_edit.py -a_nodata <value>) or give "nodata" in the manifest.': (
        'Définissez-la dans le fichier (gdal_edit.py -a_nodata <valeur>) ou donnez "nodata" dans le manifeste.'
    ),
    "Unreadable file: '{path}' of layer '{id}' cannot be opened as a raster ({error}).": (
        "Fichier illisible : '{path}' de la couche '{id}' ne peut pas être ouvert comme raster ({error})."
    ),
    "Check the file is a complete GeoTIFF (re-export or copy it again).": (
        "Vérifiez que le fichier est un GeoTIFF complet (exportez-le ou copiez-le à nouveau)."
    ),
    (
        "Raster '{id}' says its values scale by {file_scale:g}, the manifest says "
        "{declared_scale:g}; QGIS and the analyses use the file's."
    ): (
        "Le raster '{id}' indique que ses valeurs sont mises à l'échelle par {file_scale:g}, le "
        "manifeste indique {declared_scale:g} ; QGIS et les analyses utilisent celle du fichier."
    ),
    'Correct "scale" in the manifest or the scale stored in the file (gdal_edit.py -scale).': (
        'Corrigez "scale" dans le manifeste ou l\'échelle stockée dans le fichier (gdal_edit.py -scale).'
    ),
    "Undated bands: band(s) {ids} of '{id}' carry no date.": (
        "Bandes non datées : la ou les bandes {ids} de '{id}' ne portent pas de date."
    ),
    ('Write ISO dates as band descriptions, or list them in "dates" for the layer in the manifest.'): (
        "Écrivez des dates ISO comme descriptions des bandes, ou "
        'listez-les dans "dates" pour la couche dans le manifeste.'
    ),
    (
        "Inconsistent grids: '{id}' ({grid}×{grid2} px) is not on the grid of '{id2}' "
        "({reference}×{reference2} px, same CRS, origin and pixel size needed)."
    ): (
        "Grilles incohérentes : '{id}' ({grid}×{grid2} px) n'est pas sur la grille de '{id2}' "
        "({reference}×{reference2} px ; même SCR, même origine et même taille de pixel "
        "nécessaires)."
    ),
    "Resample '{id}' onto the grid of '{id2}' (gdalwarp -te ... -tr ...).": (
        "Rééchantillonnez '{id}' sur la grille de '{id2}' (gdalwarp -te ... -tr ...)."
    ),
    "Band dates of '{id}' repeat a date.": "Les dates des bandes de '{id}' répètent une date.",
    'Give each band its own date (band descriptions or "dates").': (
        'Donnez à chaque bande sa propre date (descriptions des bandes ou "dates").'
    ),
    # --- mission_package/report.py
    "{errors} error(s), {warnings} warning(s)": "{errors} erreur(s), {warnings} avertissement(s)",
    "Mission package validation report — {name}": "Rapport de validation du paquet de mission — {name}",
    "Classification: {classification}": "Classification : {classification}",
    "Package: {location}": "Paquet : {location}",
    "Mission CRS: {crs}": "SCR de la mission : {crs}",
    "Checked: {moment}": "Vérifié le : {moment}",
    "Result: {result}": "Résultat : {result}",
    "Layers:": "Couches :",
    "Problems:": "Problèmes :",
    "No problems found.": "Aucun problème trouvé.",
    "What to do: {action}": "Que faire : {action}",
    "(none given)": "(aucune indiquée)",
    "(none)": "(aucun)",
    "package": "paquet",
    "Id": "Identifiant",
    "Role": "Rôle",
    "Theme": "Thème",
    "Path": "Chemin",
    "Status": "État",
    "Problems": "Problèmes",
    "Severity": "Gravité",
    "Layer": "Couche",
    "Problem": "Problème",
    "What to do": "Que faire",
    "Validation report — {name}": "Rapport de validation — {name}",
    "Layers": "Couches",
    # --- mission_package/table_check.py
    "Empty layer: '{path}' is empty (no header).": "Couche vide : '{path}' est vide (pas d'en-tête).",
    "Re-export it.": "Exportez-le à nouveau.",
    "Layer '{id}' has no CRS defined for its coordinates (undefined CRS).": (
        "La couche '{id}' n'a pas de SCR défini pour ses coordonnées (SCR non défini)."
    ),
    'Add "crs": "EPSG:4326" (longitude/latitude) to the layer in the manifest.': (
        'Ajoutez "crs": "EPSG:4326" (longitude/latitude) à la couche dans le manifeste.'
    ),
    "Empty layer: '{id}' has a header but no rows.": "Couche vide : '{id}' a un en-tête mais aucune ligne.",
    "Unreadable file: '{path}' of layer '{id}' cannot be read as {encoding} text ({error}).": (
        "Fichier illisible : '{path}' de la couche '{id}' ne peut pas être lu comme du texte {encoding} ({error})."
    ),
    'Save it as UTF-8 CSV, or give its "encoding" in the manifest.': (
        'Enregistrez-le en CSV UTF-8, ou donnez son "encoding" dans le manifeste.'
    ),
    ("{unplaced} of {rows} rows of '{id}' have no usable latitude/longitude and will not be drawn."): (
        "{unplaced} des {rows} lignes de '{id}' n'ont pas de latitude/longitude utilisable et ne seront pas dessinées."
    ),
    "Run 'Import incidents' (mew:importincidents): its REJECTED output lists each row and why.": (
        "Lancez « Importer des incidents » (mew:importincidents) : sa sortie REJECTED liste chaque ligne et pourquoi."
    ),
    # --- mission_package/validation.py
    "File missing: '{path}' of layer '{id}' is not in the package.": (
        "Fichier manquant : '{path}' de la couche '{id}' n'est pas dans le paquet."
    ),
    'Copy the file into the package or correct "path" in the manifest.': (
        'Copiez le fichier dans le paquet ou corrigez "path" dans le manifeste.'
    ),
    # --- mission_package/vector_check.py
    "Re-export the data.": "Exportez à nouveau les données.",
    "Unreadable file: '{path}' of layer '{id}' cannot be opened as vector data.": (
        "Fichier illisible : '{path}' de la couche '{id}' ne peut pas être ouvert comme données vectorielles."
    ),
    "Check the file is a complete GeoPackage, shapefile, GPX or GeoJSON (re-export it).": (
        "Vérifiez que le fichier est un GeoPackage, shapefile, GPX ou GeoJSON complet (exportez-le à nouveau)."
    ),
    "Layer '{layer}' is not in '{path}' (it holds: {value}).": (
        "La couche '{layer}' n'est pas dans '{path}' (il contient : {value})."
    ),
    'Correct "layer" in the manifest.': 'Corrigez "layer" dans le manifeste.',
    "'{path}' holds no layer.": "'{path}' ne contient aucune couche.",
    "Empty layer: '{id}' has no features.": "Couche vide : '{id}' n'a aucune entité.",
    "Check that the right layer was exported; analyses using it will have nothing to work on.": (
        "Vérifiez que la bonne couche a été exportée ; les analyses qui l'utilisent n'auront rien à traiter."
    ),
    "Layer '{id}' holds {family}s where the role '{role}' expects {geometry}s.": (
        "La couche '{id}' contient des entités de type {family} là où le rôle '{role}' attend le type {geometry}."
    ),
    "Check the role in the manifest or the exported geometry.": (
        "Vérifiez le rôle dans le manifeste ou la géométrie exportée."
    ),
    # --- mission_package/vetting.py
    "Refused file: '{path}' of layer '{layer}'": "Fichier refusé : '{path}' de la couche '{layer}'",
    "{refused} lies outside the package.": "{refused} est hors du paquet.",
    'Correct "path" in the manifest.': 'Corrigez "path" dans le manifeste.',
    "{refused} leads outside the package folder '{root}'.": ("{refused} mène hors du dossier du paquet '{root}'."),
    "Keep the file inside the package.": "Gardez le fichier dans le paquet.",
    "{refused} is not in the package.": "{refused} n'est pas dans le paquet.",
    "Copy the file into the package.": "Copiez le fichier dans le paquet.",
    "{refused} is {kind}, not a regular file.": "{refused} est {kind}, pas un fichier ordinaire.",
    "Replace it with the data file itself.": "Remplacez-le par le fichier de données lui-même.",
    "{refused} is a GDAL virtual dataset (.vrt), which can read any file or URL.": (
        "{refused} est un jeu de données virtuel GDAL (.vrt), qui peut lire n'importe quel fichier ou URL."
    ),
    "Package the data itself as {wanted} (gdal_translate -of COG / ogr2ogr -f GPKG).": (
        "Empaquetez les données elles-mêmes : {wanted} (gdal_translate -of COG / ogr2ogr -f GPKG)."
    ),
    '{refused} gives its CRS as a link or URL (a "crs" member GDAL would download).': (
        '{refused} donne son SCR sous forme de lien ou d\'URL (un membre "crs" que GDAL téléchargerait).'
    ),
    (
        'Remove the "crs" member (GeoJSON is longitude/latitude WGS 84) or name the CRS ("type": '
        '"name"), or package the layer as a GeoPackage.'
    ): (
        'Retirez le membre "crs" (le GeoJSON est en longitude/latitude WGS 84) ou '
        'nommez le SCR ("type": "name"), ou empaquetez la couche en GeoPackage.'
    ),
    "{refused}: the file '{name}' beside it leads outside the package.": (
        "{refused} : le fichier '{name}' à côté de lui mène hors du paquet."
    ),
    "Remove that link from the package.": "Retirez ce lien du paquet.",
    "{refused}: '{name}' beside it is {kind}, which GDAL may try to read with it.": (
        "{refused} : '{name}' à côté de lui est {kind}, que GDAL pourrait essayer de lire avec lui."
    ),
    "Remove '{name}' from the package.": "Retirez '{name}' du paquet.",
    (
        "{refused}: '{name}' beside it is a {driver} dataset, which GDAL reads along with the "
        "layer (as its overviews, mask or metadata) and which can make it read other files or the "
        "network."
    ): (
        "{refused} : '{name}' à côté de lui est un jeu de données {driver}, que GDAL lit avec la "
        "couche (comme ses aperçus, son masque ou ses métadonnées) et qui peut lui faire lire "
        "d'autres fichiers ou le réseau."
    ),
    '{refused}: its "layer" {problem}.': '{refused} : son "layer" {problem}.',
    "Unreadable file: '{path}' of layer '{id}' is not {wanted} GDAL recognises.": (
        "Fichier illisible : '{path}' de la couche '{id}' n'est pas {wanted} que GDAL reconnaisse."
    ),
    "Re-export it as {wanted}.": "Exportez-le à nouveau : {wanted}.",
    (
        "{refused} names '{overview}' as its overview file (OVERVIEW_FILE), which GDAL would read, "
        "whatever its format or place, when the map is zoomed out."
    ): (
        "{refused} désigne '{overview}' comme son fichier d'aperçus (OVERVIEW_FILE), que GDAL "
        "lirait, quels que soient son format ou son emplacement, quand la carte est dézoomée."
    ),
    ("Re-export the raster without it (gdal_translate -of COG), with a .aux.xml beside it removed."): (
        "Exportez à nouveau le raster sans lui (gdal_translate -of COG), en retirant le .aux.xml à côté de lui."
    ),
    ("{refused} is a GDAL {found} dataset, not {wanted}: such files can make GDAL read other files or the network."): (
        "{refused} est un jeu de données GDAL {found}, pas {wanted} : de tels "
        "fichiers peuvent faire lire à GDAL d'autres fichiers ou le réseau."
    ),
    "Package the data itself as {wanted}.": "Empaquetez les données elles-mêmes : {wanted}.",
    "{refused} makes GDAL read '{name}', outside the package.": (
        "{refused} fait lire à GDAL '{name}', hors du paquet."
    ),
    # --- words put into the messages above
    "a GeoTIFF": "un GeoTIFF",
    "a GeoPackage, shapefile, GeoJSON or GPX file": "un fichier GeoPackage, shapefile, GeoJSON ou GPX",
    "a delimited text (CSV) file": "un fichier de texte délimité (CSV)",
    "missing": "absent",
    "folder": "un dossier",
    "file": "un fichier",
    "a FIFO (named pipe)": "un FIFO (tube nommé)",
    "a socket": "un socket",
    "a device": "un périphérique",
    "a special file": "un fichier spécial",
    "a date field": "un champ de date",
    "a latitude field": "un champ de latitude",
    "a longitude field": "un champ de longitude",
    "an event-type field": "un champ de type d'événement",
    "an identifier field": "un champ d'identifiant",
    "a reach (radius in metres) field": "un champ de portée (rayon en mètres)",
    "a population field": "un champ de population",
    "point": "point",
    "line": "ligne",
    "polygon": "polygone",
    "text": "du texte",
    "a number": "un nombre",
    "true or false": "vrai ou faux",
    "a list": "une liste",
    "an object": "un objet",
    "null": "null",
}
