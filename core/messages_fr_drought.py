"""The engine's messages in French: the drought analyses and the rasters they read.

English template → French template with the same ``{names}`` (see :mod:`.messages`).
"""

from __future__ import annotations

FRENCH_DROUGHT_MESSAGES: dict[str, str] = {
    # --- drought/baseline.py
    (
        "The baseline is empty: {start} is after {end}. Set BASELINE_START and BASELINE_END so "
        "that the first year is not after the last."
    ): (
        "La référence est vide : {start} est après {end}. Définissez BASELINE_START et "
        "BASELINE_END de sorte que la première année ne soit pas après la dernière."
    ),
    (
        "Only {chosen_count} baseline year(s) ({years}) between {first_year} and {last_year} have "
        "a band within {period_days} days of the target's calendar period ({date:%d %B}); at least "
        "{min_baseline_years} are needed. Widen BASELINE_START/BASELINE_END or add those years to "
        "the stack."
    ): (
        "Seules {chosen_count} année(s) de référence ({years}) entre {first_year} et {last_year} "
        "ont une bande à moins de {period_days} jours de la période du calendrier de la cible "
        "({date:%d %B}) ; il en faut au moins {min_baseline_years}. Élargissez "
        "BASELINE_START/BASELINE_END ou ajoutez ces années à la pile."
    ),
    (
        "The stack has one band ({label}): a drought index compares the target with the same "
        "period of at least {min_baseline_years} other years. Give a stack with those years (one "
        "multiband raster, or one raster per date)."
    ): (
        "La pile n'a qu'une bande ({label}) : un indice de sécheresse compare la cible à la même "
        "période d'au moins {min_baseline_years} autres années. Donnez une pile avec ces années "
        "(un raster multibande, ou un raster par date)."
    ),
    (
        "The stack starts in {first_year}, the target's year: there is no earlier year to compare "
        "it with. Add at least {min_baseline_years} earlier years of the same period to the stack, "
        "choose a later TARGET, or set BASELINE_START and BASELINE_END."
    ): (
        "La pile commence en {first_year}, l'année de la cible : il n'y a pas d'année antérieure à "
        "laquelle la comparer. Ajoutez à la pile au moins {min_baseline_years} années antérieures "
        "de la même période, choisissez une TARGET plus tardive, ou définissez BASELINE_START et "
        "BASELINE_END."
    ),
    # --- drought/change.py
    "The BEFORE date ({date}) must be earlier than the AFTER date ({date2}).": (
        "La date BEFORE ({date}) doit être antérieure à la date AFTER ({date2})."
    ),
    "The {what} raster '{path}' does not exist.": "Le raster {what} '{path}' n'existe pas.",
    (
        "'{before}' and '{after}' have no valid pixel in common over the area: check that they "
        "cover the same place and that their nodata is set right."
    ): (
        "'{before}' et '{after}' n'ont aucun pixel valide en commun sur la zone : vérifiez "
        "qu'ils couvrent le même lieu et que leur nodata est correctement défini."
    ),
    # --- drought/classes.py
    "INDEX '{index}' is not known: use one of {indices}.": (
        "INDEX '{index}' est inconnu : utilisez l'un de {indices}."
    ),
    "CLASSES '{text}' is not a class table: {problem}. {classes_form}": (
        "CLASSES '{text}' n'est pas une table de classes : {problem}. {classes_form}"
    ),
    # --- drought/dates.py
    ("The {what} '{wanted}' matches {candidates_count} dates; give the full date. Dates: {listing}."): (
        "Le {what} '{wanted}' correspond à {candidates_count} dates ; donnez la date complète. Dates : {listing}."
    ),
    "The NDVI stack is empty: give one multiband raster or a list of rasters.": (
        "La pile NDVI est vide : donnez un raster multibande ou une liste de rasters."
    ),
    (
        "SCALE is {scale:g}: every NDVI value would become {value}. Give the factor that turns the "
        "stored values into NDVI (0.0001 for MODIS), or leave SCALE empty to use the file's own "
        "scale."
    ): (
        "SCALE vaut {scale:g} : chaque valeur de NDVI deviendrait {value}. Donnez le facteur qui "
        "transforme les valeurs stockées en NDVI (0,0001 pour MODIS), ou laissez SCALE vide pour "
        "utiliser l'échelle propre au fichier."
    ),
    "OFFSET is {offset:g}: give a finite number (0 for MODIS), or leave it empty.": (
        "OFFSET vaut {offset:g} : donnez un nombre fini (0 pour MODIS), ou laissez-le vide."
    ),
    "No band of the stack has the {what} date '{wanted}'. The stack's dates are: {listing}.": (
        "Aucune bande de la pile n'a la date {what} '{wanted}'. Les dates de la pile sont : {listing}."
    ),
    "The stack raster '{path}' does not exist.": "Le raster de la pile '{path}' n'existe pas.",
    ("DATES lists {dates_count} dates but the stack has {refs_count} bands: give one date per band, in order."): (
        "DATES liste {dates_count} dates mais la pile a {refs_count} bandes : donnez une date par bande, dans l'ordre."
    ),
    (
        "The {label} has no date in its description, its metadata or its file name: set DATES (one "
        "YYYY-MM-DD per band, in order) or name the files like ndvi_2015-09-14.tif."
    ): (
        "La {label} n'a de date ni dans sa description, ni dans ses métadonnées, ni dans son nom "
        "de fichier : définissez DATES (une AAAA-MM-JJ par bande, dans l'ordre) ou nommez les "
        "fichiers comme ndvi_2015-09-14.tif."
    ),
    "Two bands carry the date {date}: {label} and {label2}.": (
        "Deux bandes portent la date {date} : {label} et {label2}."
    ),
    "DATES entry '{text}' is not a date: write it as YYYY-MM-DD.": (
        "L'entrée de DATES '{text}' n'est pas une date : écrivez-la sous la forme AAAA-MM-JJ."
    ),
    # --- drought/index.py
    (
        "The target {label} has no valid pixel over the area (all nodata, masked or outside the "
        "valid range): check SCALE/OFFSET, VALID_MIN/VALID_MAX, the mask values, or choose another "
        "TARGET."
    ): (
        "La cible {label} n'a aucun pixel valide sur la zone (tout en nodata, masqué ou hors de la "
        "plage valide) : vérifiez SCALE/OFFSET, VALID_MIN/VALID_MAX, les valeurs du masque, ou "
        "choisissez une autre TARGET."
    ),
    (
        "No pixel has {min_baseline_observations} valid baseline observations with a defined "
        "index: the stack is all nodata over the area in the baseline bands ({names}, …). Check "
        "nodata, the valid range and the mask."
    ): (
        "Aucun pixel n'a {min_baseline_observations} observations de référence valides avec un "
        "indice défini : la pile est entièrement en nodata sur la zone dans les bandes de "
        "référence ({names}, …). Vérifiez le nodata, la plage valide et le masque."
    ),
    # --- drought/masks.py
    (
        "The mask '{path}' has {count} bands and none is dated {missing}: give a one-band mask, a "
        "mask with one band per stack band in order, band descriptions with the dates, or "
        "MASK_BAND."
    ): (
        "Le masque '{path}' a {count} bandes et aucune n'est datée du {missing} : donnez un masque "
        "d'une bande, un masque avec une bande par bande de la pile dans l'ordre, des descriptions "
        "de bande avec les dates, ou MASK_BAND."
    ),
    "The mask '{path}' has {count} band(s); band {band} does not exist.": (
        "Le masque '{path}' a {count} bande(s) ; la bande {band} n'existe pas."
    ),
    "Mask value '{part}' is not a number: list the bad values like 1,2,3 or 1-3.": (
        "La valeur de masque '{part}' n'est pas un nombre : listez les mauvaises valeurs comme 1,2,3 ou 1-3."
    ),
    # --- drought/polygons.py
    "Polygons of new drought need scipy: {value}": ("Les polygones de nouvelle sécheresse demandent scipy : {value}"),
    # --- fractional.py
    "Rotated rasters are not supported: warp the raster to a north-up grid first.": (
        "Les rasters tournés ne sont pas pris en charge : reprojetez d'abord le raster sur une grille orientée au nord."
    ),
    # --- raster_blocks.py
    (
        "The {what} '{path}' has no CRS, so its pixels cannot be placed on the ground (and the "
        "outputs would have no CRS either). Assign its CRS (in QGIS: Raster > Projections > Assign "
        "Projection, or gdal_edit.py -a_srs EPSG:<code> '{path}') and run again."
    ): (
        "Le {what} '{path}' n'a pas de SCR : ses pixels ne peuvent pas être placés au sol (et les "
        "sorties n'auraient pas de SCR non plus). Attribuez-lui son SCR (dans QGIS : Raster > "
        "Projections > Assigner une projection, ou gdal_edit.py -a_srs EPSG:<code> '{path}') et "
        "relancez."
    ),
    (
        "The {what} '{path}' does not overlap the area of the analysis ({g_left:.0f}, "
        "{g_bottom:.0f}, {g_right:.0f}, {g_top:.0f} in {crs}): choose a raster that covers the "
        "same place."
    ): (
        "Le {what} '{path}' ne recouvre pas la zone de l'analyse ({g_left:.0f}, {g_bottom:.0f}, "
        "{g_right:.0f}, {g_top:.0f} dans {crs}) : choisissez un raster qui couvre le même lieu."
    ),
    "Unknown resampling '{name}': use one of {resampling_names}.": (
        "Rééchantillonnage '{name}' inconnu : utilisez l'un de {resampling_names}."
    ),
    # --- words put into the messages above
    "raster": "raster",
    "stack raster": "raster de la pile",
    "REFERENCE raster": "raster REFERENCE",
    "BEFORE raster": "raster BEFORE",
    "AFTER raster": "raster AFTER",
    "mask": "masque",
    "band {band} of '{path}'": "bande {band} de '{path}'",
}
