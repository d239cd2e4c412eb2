"""The engine's messages in French: the early-warning grid, the forecast and patrol checks, the register.

English template → French template with the same ``{names}`` (see :mod:`.messages`).
"""

from __future__ import annotations

FRENCH_WARNING_MESSAGES: dict[str, str] = {
    # --- early_warning.py, early_warning_cells.py, processing/earlywarninggrid.py
    (
        "Nothing to score: give at least one of the emerging hot spots, the VCI, the VCI change, the "
        "population raster or the patrol tracks."
    ): (
        "Rien à noter : donnez au moins l'un des éléments suivants : les points chauds émergents, le VCI, "
        "la variation du VCI, le raster de population ou les traces de patrouille."
    ),
    "The weight of {factors} must be 0 or more.": "Le poids de {factors} doit être 0 ou plus.",
    "The weights of the factors given ({factors}) are all 0: give one a weight.": (
        "Les poids des facteurs donnés ({factors}) sont tous nuls : donnez un poids à l'un d'eux."
    ),
    "The {what} at which a factor is full must be positive (got {value}).": (
        "Le seuil ({what}) auquel un facteur est plein doit être positif (reçu {value})."
    ),
    "VCI fall": "baisse du VCI",
    "people": "population",
    "patrol days": "jours sans patrouille",
    "The study area has no polygon: choose a polygon layer for STUDY_AREA.": (
        "La zone d'étude n'a aucun polygone : choisissez une couche de polygones pour STUDY_AREA."
    ),
    "CELL_SIZE must be a positive number of map units for a fishnet.": (
        "CELL_SIZE doit être un nombre positif d'unités de carte pour une grille régulière."
    ),
    "CELL_SIZE {cell:g} makes more than {max_cells:,} cells over the study area: give a larger cell size.": (
        "CELL_SIZE {cell:g} donne plus de {max_cells:,} cellules sur la zone d'étude : donnez une taille "
        "de cellule plus grande."
    ),
    (
        "The grid has no cell: the emerging hot spots layer is empty, or no fishnet cell has its centre in "
        "the study area. Choose another layer, or a smaller CELL_SIZE."
    ): (
        "La grille n'a aucune cellule : la couche des points chauds émergents est vide, ou aucune cellule "
        "de la grille n'a son centre dans la zone d'étude. Choisissez une autre couche, ou une CELL_SIZE "
        "plus petite."
    ),
    "Give the emerging hot spots (HOTSPOTS), or choose the fishnet grid and a STUDY_AREA.": (
        "Donnez les points chauds émergents (HOTSPOTS), ou choisissez la grille régulière et une STUDY_AREA."
    ),
    "A fishnet needs a STUDY_AREA (or the emerging hot spots, whose cells it then covers).": (
        "Une grille régulière demande une STUDY_AREA (ou les points chauds émergents, dont elle couvre "
        "alors les cellules)."
    ),
    "The layer {layer} has no {field} field: choose the output of Emerging hot spots.": (
        "La couche {layer} n'a pas de champ {field} : choisissez la sortie de Points chauds émergents."
    ),
    (
        "The patrol tracks {layer} need their dates: choose the PATROL_DATE_FIELD, or leave PATROLS "
        "empty to score without patrols."
    ): (
        "Les traces de patrouille {layer} ont besoin de leurs dates : choisissez le PATROL_DATE_FIELD, ou "
        "laissez PATROLS vide pour noter sans les patrouilles."
    ),
    (
        "The fishnet's CELL_SIZE is in map units, and the grid's layer is in degrees: reproject the study "
        "area (or the hot spots) to a projected CRS in metres, e.g. its UTM zone."
    ): (
        "La CELL_SIZE de la grille régulière est en unités de carte, et la couche de la grille est en "
        "degrés : reprojetez la zone d'étude (ou les points chauds) dans un SCR projeté en mètres, par "
        "exemple sa zone UTM."
    ),
    # --- evaluation_window.py, forecast_accuracy.py, processing/forecastaccuracy.py
    "END ({end}) is before START ({start}): give an evaluation window.": (
        "END ({end}) est avant START ({start}) : donnez une fenêtre d'évaluation."
    ),
    "Give START and END: the window the forecast is judged on.": (
        "Donnez START et END : la fenêtre sur laquelle la prévision est jugée."
    ),
    "The FORECAST layer could not be opened.": "La couche FORECAST n'a pas pu être ouverte.",
    "The forecast layer is empty: give the predicted areas (e.g. hot spot cells).": (
        "La couche de prévision est vide : donnez les zones prévues (par exemple les cellules de points chauds)."
    ),
    "The forecast layer has no polygon: give the predicted areas (e.g. hot spot cells).": (
        "La couche de prévision n'a aucun polygone : donnez les zones prévues (par exemple les cellules de "
        "points chauds)."
    ),
    "The study area layer has no polygon: give the area the forecast was made for.": (
        "La couche de la zone d'étude n'a aucun polygone : donnez la zone pour laquelle la prévision a été faite."
    ),
    "The study area has no area: give the polygon of the area the forecast was made for.": (
        "La zone d'étude n'a pas de superficie : donnez le polygone de la zone pour laquelle la prévision a été faite."
    ),
    "The forecast polygons lie outside the study area: give a study area that contains them.": (
        "Les polygones de la prévision sont hors de la zone d'étude : donnez une zone d'étude qui les contient."
    ),
    "The {what} layer has a {geometry_type} feature: {what} must be polygons.": (
        "La couche {what} a une entité {geometry_type} : {what} doit être fait de polygones."
    ),
    "study area": "zone d'étude",
    "forecast": "prévision",
    "baseline": "référence",
    (
        "The forecast's cells ({side:,.6g} map units across) are too small for the study area: {cells:,} "
        "cells would be laid on it. Give a study area around the forecast, or larger forecast cells."
    ): (
        "Les cellules de la prévision ({side:,.6g} unités de carte de côté) sont trop petites pour la zone "
        "d'étude : {cells:,} cellules y seraient posées. Donnez une zone d'étude autour de la prévision, ou "
        "des cellules de prévision plus grandes."
    ),
    "{count} incident(s) without a date were not counted.": "{count} incident(s) sans date non compté(s).",
    "{count} incident(s) without a location were not counted.": (
        "{count} incident(s) sans localisation non compté(s)."
    ),
    "{count} incident(s) of the window lie outside the study area and are not counted in N.": (
        "{count} incident(s) de la fenêtre se trouvent hors de la zone d'étude et ne sont pas compté(s) dans N."
    ),
    "Forecast polygons without a rank value were ranked last, as one group.": (
        "Les polygones de la prévision sans valeur de rang ont été classés derniers, en un seul groupe."
    ),
    "No incident in the previous window: there is no 'where it happened last time' baseline.": (
        "Aucun incident dans la fenêtre précédente : il n'y a pas de référence « là où c'est arrivé la dernière fois »."
    ),
    # --- patrol_validation.py, processing/patrolvalidation.py
    "Give START and END: the window the patrols are judged on.": (
        "Donnez START et END : la fenêtre sur laquelle les patrouilles sont jugées."
    ),
    "The AREAS layer could not be opened.": "La couche AREAS n'a pas pu être ouverte.",
    "Patrol reports need REPORT_DATE_FIELD and CONFIRMED_FIELD: choose both fields.": (
        "Les rapports de patrouille demandent REPORT_DATE_FIELD et CONFIRMED_FIELD : choisissez les deux champs."
    ),
    "The layer '{name}' has a {geometry_type} feature: predicted areas must be polygons.": (
        "La couche '{name}' a une entité {geometry_type} : les zones prévues doivent être des polygones."
    ),
    "The layer '{name}' has no polygon: give the predicted areas.": (
        "La couche '{name}' n'a aucun polygone : donnez les zones prévues."
    ),
    "PATROL_DISTANCE must be a distance in metres, 0 or more.": (
        "PATROL_DISTANCE doit être une distance en mètres, 0 ou plus."
    ),
    (
        "PATROL_DISTANCE {patrol_distance:,.0f} m is too far: patrol reaches are measured up to "
        "{max_reach:,.0f} m. Give the reach either side of a track in metres."
    ): (
        "PATROL_DISTANCE {patrol_distance:,.0f} m est trop loin : la portée des patrouilles se mesure "
        "jusqu'à {max_reach:,.0f} m. Donnez la portée de part et d'autre d'une trace, en mètres."
    ),
    "{layer}: {count} patrol(s) without a date do not count, ids {ids}": (
        "{layer} : {count} patrouille(s) sans date ne compte(nt) pas, identifiants {ids}"
    ),
    "{layer}: no patrol is dated between {start} and {end}.": (
        "{layer} : aucune patrouille n'est datée entre le {start} et le {end}."
    ),
    (
        "{count} confirming report(s) lie in areas no patrol of the window reached: they do not count as "
        "visits. Check the reports' dates and the patrol tracks."
    ): (
        "{count} rapport(s) de confirmation se trouvent dans des zones qu'aucune patrouille de la fenêtre "
        "n'a atteintes : ils ne comptent pas comme visites. Vérifiez les dates des rapports et les traces "
        "de patrouille."
    ),
    # --- gpkg.py
    "'{path}' cannot be read as a GeoPackage ({error}). Check the file.": (
        "'{path}' ne peut pas être lu comme un GeoPackage ({error}). Vérifiez le fichier."
    ),
    "Cannot create the GeoPackage '{path}': check that the folder is writable.": (
        "Impossible de créer le GeoPackage '{path}' : vérifiez que le dossier est accessible en écriture."
    ),
    "The mission CRS '{crs}' is not a CRS: correct \"crs\" in the manifest.": (
        "Le SCR de la mission '{crs}' n'est pas un SCR : corrigez \"crs\" dans le manifeste."
    ),
    # --- warnings_register.py, processing/warningsreport.py, layout/warnings_annex.py, ui/warnings_tab.py
    "Give the warning a threat type (what the warned area is at risk of).": (
        "Donnez à l'alerte un type de menace (ce qui menace la zone signalée)."
    ),
    "A warning's {fields} cannot be changed: only {updatable} can.": (
        "Les champs {fields} d'une alerte ne peuvent pas être modifiés : seuls {updatable} peuvent l'être."
    ),
    "'{path}' holds no early-warning register: issue a warning first.": (
        "'{path}' ne contient aucun registre d'alerte précoce : émettez d'abord une alerte."
    ),
    (
        "'{register}' holds no early-warning register (REGISTER): issue a warning from the mission dock's "
        "Warnings tab first, or choose the mission's GeoPackage that holds it."
    ): (
        "'{register}' ne contient aucun registre d'alerte précoce (REGISTER) : émettez d'abord une alerte "
        "depuis l'onglet Alertes du panneau de la mission, ou choisissez le GeoPackage de la mission qui le "
        "contient."
    ),
    "Choose the incidents' date field (DATE_FIELD): it tells which incidents followed a warning.": (
        "Choisissez le champ de date des incidents (DATE_FIELD) : il indique quels incidents ont suivi une alerte."
    ),
    "The early-warning register in '{register}' holds no warning yet: nothing to report.": (
        "Le registre d'alerte précoce de '{register}' ne contient encore aucune alerte : rien à rapporter."
    ),
    "The register holds no warning '{id}': check the warning's id.": (
        "Le registre ne contient pas d'alerte '{id}' : vérifiez l'identifiant de l'alerte."
    ),
    "Warning {id} is closed: it changes no more. Issue a new warning instead.": (
        "L'alerte {id} est close : elle ne change plus. Émettez plutôt une nouvelle alerte."
    ),
    "'{status}' is no status of a warning: use one of {statuses}.": (
        "'{status}' n'est pas un statut d'alerte : utilisez l'un de {statuses}."
    ),
    "Warning {id}: record the action taken and its date before marking it actioned.": (
        "Alerte {id} : enregistrez l'action menée et sa date avant de la marquer comme traitée."
    ),
    "Warning {id} is {status}: it cannot be opened again.": (
        "L'alerte {id} est au statut {status} : elle ne peut pas être rouverte."
    ),
    "Warning {id}: the action date {action_date} is before the warning was issued ({issued}). Check the date.": (
        "Alerte {id} : la date d'action {action_date} est antérieure à l'émission de l'alerte ({issued}). "
        "Vérifiez la date."
    ),
    "'{confidence}' is no confidence level: use one of {confidences}.": (
        "'{confidence}' n'est pas un niveau de confiance : utilisez l'un de {confidences}."
    ),
    "The warned area is empty or invalid: select features whose polygons enclose an area.": (
        "La zone signalée est vide ou invalide : sélectionnez des entités dont les polygones entourent une surface."
    ),
    (
        "The GeoPackage already has a table '{table}' that is not an early-warning register: rename that "
        "table (or keep the register in another GeoPackage)."
    ): (
        "Le GeoPackage a déjà une table '{table}' qui n'est pas un registre d'alerte précoce : renommez "
        "cette table (ou gardez le registre dans un autre GeoPackage)."
    ),
    "The warnings table of '{path}' is not registered as a layer: restore it from a copy.": (
        "La table des alertes de '{path}' n'est pas enregistrée comme couche : restaurez-la depuis une copie."
    ),
    "The area of warning {id} in '{path}' is damaged ({error}).": (
        "La zone de l'alerte {id} dans '{path}' est endommagée ({error})."
    ),
    "The action date must be a date and time, not {value!r}.": (
        "La date d'action doit être une date et une heure, pas {value!r}."
    ),
    "The source's provenance is not JSON text ({error}).": (
        "La provenance de la source n'est pas un texte JSON ({error})."
    ),
    "A warned area must be polygons, not {kind}: select area features.": (
        "Une zone signalée doit être faite de polygones, pas de {kind} : sélectionnez des entités surfaciques."
    ),
    "The {what} in '{path}' is not a date and time ('{text}'): correct it to ISO 8601.": (
        "Le champ {what} dans '{path}' n'est pas une date et une heure ('{text}') : corrigez-le au format ISO 8601."
    ),
    "the register": "le registre",
    "the update": "la mise à jour",
    "The warnings of '{register}' cannot be opened as a map layer: check the file.": (
        "Les alertes de '{register}' ne peuvent pas être ouvertes comme couche : vérifiez le fichier."
    ),
    "The features selected on '{layer}' have no geometry: select areas.": (
        "Les entités sélectionnées sur '{layer}' n'ont pas de géométrie : sélectionnez des zones."
    ),
    # --- warnings_review.py and layout/warnings_annex.py: the annex's words (statuses are codes in the register)
    "{title} — register": "{title} — registre",
    "Warning": "Alerte",
    "Issued": "Émise le",
    "Threat": "Menace",
    "Source": "Source",
    "Confidence": "Confiance",
    "Responsible unit": "Unité responsable",
    "Action taken": "Action menée",
    "Action date": "Date de l'action",
    "Response (days)": "Réponse (jours)",
    "Incidents after": "Incidents après",
    "Outcome": "Résultat",
    "open": "ouverte",
    "actioned": "traitée",
    "closed": "close",
    "{status} (overdue)": "{status} (en retard)",
    "low": "faible",
    "medium": "moyenne",
    "high": "élevée",
    (
        "{count} warning(s): {open} open, {actioned} actioned, {closed} closed; {overdue} overdue (open "
        "without action for more than {overdue_days:g} days)."
    ): (
        "{count} alerte(s) : {open} ouverte(s), {actioned} traitée(s), {closed} close(s) ; {overdue} en "
        "retard (ouverte(s) sans action depuis plus de {overdue_days:g} jours)."
    ),
    (
        "Response time, issue to action: median {median:.1f} days, longest {longest:.1f} days "
        "({count} warning(s) acted upon)."
    ): (
        "Délai de réponse, de l'émission à l'action : médiane {median:.1f} jours, le plus long {longest:.1f} "
        "jours ({count} alerte(s) suivie(s) d'une action)."
    ),
    "Response time: no action recorded yet.": "Délai de réponse : aucune action enregistrée pour l'instant.",
    (
        "Incidents in the warned area within {window_days} days after issue: with action, "
        "{with_action_followed} of {with_action} warning(s) followed by incidents; without action, "
        "{without_action_followed} of {without_action}."
    ): (
        "Incidents dans la zone signalée dans les {window_days} jours suivant l'émission : avec action, "
        "{with_action_followed} alerte(s) sur {with_action} suivie(s) d'incidents ; sans action, "
        "{without_action_followed} sur {without_action}."
    ),
}
