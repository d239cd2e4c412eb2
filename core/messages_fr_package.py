"""The engine's messages in French: mission packages and the files outputs are written to, by English template.

Keys are the English templates of ``core/`` (the text of each ``MewError`` and of the pieces
built with :func:`.messages.message`), grouped by the module that says them; each value keeps
every ``{name}`` of its key. ``tests/test_french_messages.py`` finds any message missing here.
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
        "Empaquetez les données elles-mêmes en {wanted} (gdal_translate -of COG / ogr2ogr -f GPKG)."
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
        "Fichier illisible : '{path}' de la couche '{id}' n'est pas du {wanted} que GDAL reconnaît."
    ),
    "Re-export it as {wanted}.": "Exportez-le à nouveau en {wanted}.",
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
        "{refused} est un jeu de données GDAL {found}, pas du {wanted} : de tels "
        "fichiers peuvent faire lire à GDAL d'autres fichiers ou le réseau."
    ),
    "Package the data itself as {wanted}.": "Empaquetez les données elles-mêmes en {wanted}.",
    "{refused} makes GDAL read '{name}', outside the package.": (
        "{refused} fait lire à GDAL '{name}', hors du paquet."
    ),
}
