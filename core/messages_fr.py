"""The engine's messages in French: the analyses of incidents, hot spots, density and coverage.

English template → French template with the same ``{names}`` (see :mod:`.messages`).
"""

from __future__ import annotations

FRENCH_MESSAGES: dict[str, str] = {
    # --- briefing.py
    "Unknown orientation in template '{name}': use landscape or portrait.": (
        "Orientation inconnue dans le modèle '{name}' : utilisez landscape ou portrait."
    ),
    "The map frame of the layout has no size.": "Le cadre de carte de la mise en page n'a pas de taille.",
    "The map number is empty: give one such as 'MEW-0001' (the version is added as ' v1').": (
        "Le numéro de carte est vide : donnez-en un comme 'MEW-0001' (la version est ajoutée sous la forme ' v1')."
    ),
    "The map version must be 1 or more, not {chosen}.": ("La version de la carte doit être 1 ou plus, pas {chosen}."),
    "The production time needs a time zone.": "L'heure de production doit avoir un fuseau horaire.",
    "The zones layer '{layer_name}' has no features: an atlas needs at least one zone.": (
        "La couche des zones '{layer_name}' n'a aucune entité : un atlas demande au moins une zone."
    ),
    ("Field '{field_name}' of '{layer_name}' repeats {repeated}: each atlas page needs a unique zone name."): (
        "Le champ '{field_name}' de '{layer_name}' répète {repeated} : "
        "chaque page de l'atlas demande un nom de zone unique."
    ),
    "Unknown layout template '{name}': choose one of {template_names} or give a .qpt file.": (
        "Modèle de mise en page inconnu '{name}' : choisissez parmi {template_names} ou donnez un fichier .qpt."
    ),
    (
        "Zone number {index} of '{layer_name}' has no value in field '{field_name}': fill it in or "
        "choose another field."
    ): (
        "La zone numéro {index} de '{layer_name}' n'a pas de valeur dans le "
        "champ '{field_name}' : remplissez-la ou choisissez un autre champ."
    ),
    # --- briefing_incidents.py
    "The map extent is empty: it has no width or height.": (
        "L'emprise de la carte est vide : elle n'a ni largeur ni hauteur."
    ),
    "The aggregation cell size must be positive, not {cell_size}.": (
        "La taille des cellules d'agrégation doit être positive, pas {cell_size}."
    ),
    # --- coverage.py
    "The incidents layer '{name}' is empty.": "La couche d'incidents '{name}' est vide.",
    # --- coverage_gaps.py
    "The villages layer '{name}' is empty.": "La couche des villages '{name}' est vide.",
    "The coverage layer has no polygon: run Patrol coverage first or choose a polygon layer.": (
        "La couche de couverture n'a aucun polygone : lancez d'abord "
        "Couverture des patrouilles ou choisissez une couche de polygones."
    ),
    "Drought raster kind must be one of {drought_kinds}.": (
        "Le type de raster de sécheresse doit être l'un de {drought_kinds}."
    ),
    "The villages layer '{name}' has no point with a geometry.": (
        "La couche des villages '{name}' n'a aucun point avec une géométrie."
    ),
    "All weights of the available risk components are zero: give at least one a weight.": (
        "Tous les poids des composantes de risque disponibles sont nuls : donnez un poids à au moins l'une d'elles."
    ),
    "{name}: {undated} incident(s) without a date were not counted.": (
        "{name} : {undated} incident(s) sans date n'ont pas été compté(s)."
    ),
    "low on every component": "faible sur chaque composante",
    "incidents rising (+{rise:.0f} over the earlier rate)": (
        "incidents en hausse (+{rise:.0f} par rapport au rythme antérieur)"
    ),
    "drought (value {value:.0f})": "sécheresse (valeur {value:.0f})",
    "{people:,.0f} people": "{people:,.0f} personnes",
    "{km:.1f} km from coverage": "à {km:.1f} km de la couverture",
    "{count:.0f} recent incidents nearby": "{count:.0f} incidents récents à proximité",
    "hot-spot value {value:.3g}": "valeur de point chaud {value:.3g}",
    # --- coverage_model.py
    "Give bases, patrol tracks, or both: there is nothing to measure coverage from.": (
        "Donnez des bases, des traces de patrouille, ou les deux : "
        "il n'y a rien à partir de quoi mesurer la couverture."
    ),
    "The patrols layer '{name}' has no line with a geometry.": (
        "La couche des patrouilles '{name}' n'a aucune ligne avec une géométrie."
    ),
    "RINGS: {rings:,.0f} m is too far: {limit}. Give ring distances in metres up to that.": (
        "RINGS : {rings:,.0f} m est trop loin : {limit}. Donnez des distances d'anneau en mètres jusqu'à cette valeur."
    ),
    (
        "PATROL_DISTANCE {patrol_distance:,.0f} m is too far: {limit}. Give the reach either side "
        "of a track in metres up to that."
    ): (
        "PATROL_DISTANCE {patrol_distance:,.0f} m est trop loin : {limit}. Donnez la "
        "portée de part et d'autre d'une trace en mètres jusqu'à cette valeur."
    ),
    "Give a base reach: BASE_RADIUS (metres) or BASE_RADIUS_FIELD.": (
        "Donnez une portée des bases : BASE_RADIUS (mètres) ou BASE_RADIUS_FIELD."
    ),
    "Bases {bases} have no valid reach in metres: fill the radius field or set BASE_RADIUS.": (
        "Les bases {bases} n'ont pas de portée valide en mètres : "
        "remplissez le champ de rayon ou définissez BASE_RADIUS."
    ),
    (
        "The layer '{name}' has {others_count} {geom_type} feature(s) (ids {others}): {role} must "
        "be points. Choose a point layer, or make points of these first (e.g. Vector > Geometry "
        "Tools > Centroids) if their centres are what you mean."
    ): (
        "La couche '{name}' a {others_count} entité(s) de type {geom_type} (identifiants {others}) "
        ": {role} doivent être des points. Choisissez une couche de points, ou faites d'abord des "
        "points de ces entités (p. ex. Vecteur > Outils de géométrie > Centroïdes) si ce sont "
        "leurs centres que vous visez."
    ),
    "The bases layer '{name}' has no point with a geometry.": (
        "La couche des bases '{name}' n'a aucun point avec une géométrie."
    ),
    (
        "Bases {base_ids} of '{bases_name}' have a reach above {max_reach_m:,.0f} m in "
        "BASE_RADIUS_FIELD: {limit}. Correct the field (metres)."
    ): (
        "Les bases {base_ids} de '{bases_name}' ont une portée supérieure à "
        "{max_reach_m:,.0f} m dans BASE_RADIUS_FIELD : {limit}. Corrigez le champ "
        "(mètres)."
    ),
    "The zone of {reach:,.0f} km around base {base_ids} of '{bases_name}' {why}.": (
        "La zone de {reach:,.0f} km autour de la base {base_ids} de '{bases_name}' {why}."
    ),
    ("BASE_RADIUS {base_radius:,.0f} m is too far: {limit}. Give the reach of a base in metres up to that."): (
        "BASE_RADIUS {base_radius:,.0f} m est trop loin : {limit}. "
        "Donnez la portée d'une base en mètres jusqu'à cette valeur."
    ),
    "{name}: {skipped_count} feature(s) without a usable geometry were skipped, ids {skipped}": (
        "{name} : {skipped_count} entité(s) sans géométrie utilisable ont été ignorée(s), identifiants {skipped}"
    ),
    "{name}: {skipped_count} feature(s) without a usable line were skipped, ids {skipped}": (
        "{name} : {skipped_count} entité(s) sans ligne utilisable ont été ignorée(s), identifiants {skipped}"
    ),
    "{name}: {undated_count} patrol(s) without a date do not count, ids {ids}": (
        "{name} : {undated_count} patrouille(s) sans date ne comptent pas, identifiants {ids}"
    ),
    (
        "{name}: {later_count} patrol(s) dated after AS_OF ({as_of}) do not count for coverage or "
        "days since patrol, ids {later}; set AS_OF to a later date to count them."
    ): (
        "{name} : {later_count} patrouille(s) datée(s) après AS_OF ({as_of}) ne comptent ni pour "
        "la couverture ni pour les jours depuis la dernière patrouille, identifiants {later} ; "
        "fixez AS_OF à une date plus tardive pour les compter."
    ),
    # --- coverage_types.py
    "RINGS: {item} must be a positive distance in metres.": (
        "RINGS : {item} doit être une distance positive en mètres."
    ),
    "RINGS: '{item}' is not a distance in metres. Give a comma list like 5000,10000,20000.": (
        "RINGS : '{item}' n'est pas une distance en mètres. Donnez une "
        "liste séparée par des virgules comme 5000,10000,20000."
    ),
    "{villages} villages ({share:.1f} %)": "{villages} villages ({share:.1f} %)",
    "{people:,.0f} people (field)": "{people:,.0f} personnes (champ)",
    "{people:,.0f} people (raster)": "{people:,.0f} personnes (raster)",
    "{incidents} incidents ({share:.1f} %)": "{incidents} incidents ({share:.1f} %)",
    # --- coverage_zones.py
    "The zone of {patrol_distance:,.0f} km around patrol {patrol} of '{patrols_name}' {why}.": (
        "La zone de {patrol_distance:,.0f} km autour de la patrouille {patrol} de '{patrols_name}' {why}."
    ),
    # --- crs.py
    "Coordinate ({lon}, {lat}) is not a longitude/latitude.": (
        "La coordonnée ({lon}, {lat}) n'est pas une longitude/latitude."
    ),
    "No point has a usable location in {name}: check that the layer's CRS is set correctly.": (
        "Aucun point n'a une position utilisable dans {name} : "
        "vérifiez que le SCR de la couche est correctement défini."
    ),
    # --- density.py
    (
        "The density grid would be {cols:,} × {rows:,} pixels ({cells:,}); the limit is "
        "{max_density_pixels:,}. It covers the incidents' extent, {width:,.1f} km × {height:,.1f} "
        "km (x {x:,.0f} to {x2:,.0f}, y {y:,.0f} to {y2:,.0f} in metres), plus the radius "
        "({radius:g} m) on each side. Use a PIXEL_SIZE of at least {at_least:,} m, or leave out "
        "the incidents far from the others (check their coordinates)."
    ): (
        "La grille de densité ferait {cols:,} × {rows:,} pixels ({cells:,}) ; la limite est de "
        "{max_density_pixels:,}. Elle couvre l'emprise des incidents, {width:,.1f} km × "
        "{height:,.1f} km (x de {x:,.0f} à {x2:,.0f}, y de {y:,.0f} à {y2:,.0f} en mètres), plus "
        "le rayon ({radius:g} m) de chaque côté. Utilisez une PIXEL_SIZE d'au moins {at_least:,} "
        "m, ou écartez les incidents éloignés des autres (vérifiez leurs coordonnées)."
    ),
    ("There are no incident points to map (after filtering): check the input layer and the date range."): (
        "Il n'y a aucun point d'incident à cartographier (après filtrage) : vérifiez la couche d'entrée et la période."
    ),
    (
        "The exact method keeps the whole grid ({cols:,} × {rows:,} = {cells:,} pixels) in memory; "
        "its limit is {exact_max_pixels:,}. Use the fast method, or a PIXEL_SIZE of at least "
        "{at_least:,} m."
    ): (
        "La méthode exacte garde toute la grille ({cols:,} × {rows:,} = {cells:,} pixels) en "
        "mémoire ; sa limite est de {exact_max_pixels:,}. Utilisez la méthode rapide, ou une "
        "PIXEL_SIZE d'au moins {at_least:,} m."
    ),
    (
        "Every value of the weight field '{field_name}' is NULL: every incident counts as 0 and "
        "the result is zero everywhere. Choose another WEIGHT_FIELD, or leave it empty to count "
        "incidents."
    ): (
        "Toutes les valeurs du champ de poids '{field_name}' sont NULL : chaque incident compte "
        "pour 0 et le résultat est nul partout. Choisissez un autre WEIGHT_FIELD, ou laissez-le "
        "vide pour compter les incidents."
    ),
    (
        "{wrong_count:,} incidents have a '{field_name}' that is not a finite number (NaN, "
        "infinite or text) and count as 0: feature ids {ids}{value}. Correct or filter them."
    ): (
        "{wrong_count:,} incidents ont un '{field_name}' qui n'est pas un nombre fini (NaN, infini "
        "ou texte) et comptent pour 0 : identifiants d'entité {ids}{value}. Corrigez-les ou "
        "filtrez-les."
    ),
    (
        "Every incident's '{field_name}' is 0 or counts as 0: the result is zero everywhere. "
        "Choose another WEIGHT_FIELD, or leave it empty to count incidents."
    ): (
        "Le '{field_name}' de chaque incident vaut 0 ou compte pour 0 : le résultat est nul "
        "partout. Choisissez un autre WEIGHT_FIELD, ou laissez-le vide pour compter les incidents."
    ),
    ("{nulls:,} of {total:,} incidents have a NULL '{field_name}': counted as 0, as QGIS's heatmap does."): (
        "{nulls:,} des {total:,} incidents ont un '{field_name}' NULL : "
        "comptés pour 0, comme le fait la carte de chaleur de QGIS."
    ),
    # --- density_grid.py
    "x and y coordinate arrays differ in length.": ("Les tableaux de coordonnées x et y n'ont pas la même longueur."),
    "The weights do not match the points one to one.": "Les poids ne correspondent pas un à un aux points.",
    (
        "{size:,} weights are NaN or infinite (positions {k}{value}): give finite weights; "
        "incident_weights() reads a field as QGIS does."
    ): (
        "{size:,} poids sont NaN ou infinis (positions {k}{value}) : donnez des "
        "poids finis ; incident_weights() lit un champ comme le fait QGIS."
    ),
    "The pixel size must be greater than zero (got {pixel_size}).": (
        "La taille du pixel doit être supérieure à zéro (reçu {pixel_size})."
    ),
    # --- density_kernels.py
    "The radius must be greater than zero (got {radius}).": ("Le rayon doit être supérieur à zéro (reçu {radius})."),
    (
        "A triangular kernel with decay {decay} has no positive integral: use a decay above -0.5 "
        "for density output, or raw values."
    ): (
        "Un noyau triangulaire de décroissance {decay} n'a pas d'intégrale positive : utilisez une "
        "décroissance supérieure à -0,5 pour une sortie en densité, ou des valeurs brutes."
    ),
    # --- emerging.py
    (
        "The space-time cube would hold {n_steps:,} time steps × {rows:,} × {cols:,} cells = "
        "{bins:,} bins (about {bins2:,.1f} GB of memory); the limit is {max_cube_bins:,}. Use a "
        "CELL_SIZE of at least {at_least:,}, a longer TIME_STEP, a shorter period (START/END) or a "
        "smaller STUDY_AREA."
    ): (
        "Le cube spatio-temporel contiendrait {n_steps:,} pas de temps × {rows:,} × {cols:,} "
        "cellules = {bins:,} classes (environ {bins2:,.1f} Go de mémoire) ; la limite est de "
        "{max_cube_bins:,}. Utilisez une CELL_SIZE d'au moins {at_least:,}, un TIME_STEP plus "
        "long, une période plus courte (START/END) ou une STUDY_AREA plus petite."
    ),
    "Only one time step: emerging hot spots need several. Use a shorter TIME_STEP.": (
        "Un seul pas de temps : les points chauds émergents en demandent plusieurs. Utilisez un TIME_STEP plus court."
    ),
    "Only {steps} time steps: ArcGIS recommends at least 10 for the trend categories.": (
        "Seulement {steps} pas de temps : ArcGIS en recommande au moins 10 pour les catégories de tendance."
    ),
    # --- emerging_analysis.py
    "The period starts ({start}) after it ends ({end}): swap START and END.": (
        "La période commence ({start}) après sa fin ({end}) : inversez START et END."
    ),
    "{count} incidents in {steps} time steps of {step} from {first}.": (
        "{count} incidents en {steps} pas de temps de {step} à partir du {first}."
    ),
    "Cell size {cell:g}, distance band {band:g}, time window {window}. {summary}.": (
        "Taille des cellules {cell:g}, bande de distance {band:g}, fenêtre temporelle {window}. {summary}."
    ),
    "{count} incidents have no readable '{field}' and were left out.": (
        "{count} incidents n'ont pas de '{field}' lisible et ont été écartés."
    ),
    "{within} of {dated} dated incidents lie within the period {start} – {end}.": (
        "{within} des {dated} incidents datés sont dans la période {start} – {end}."
    ),
    # --- geodesic.py
    ("Use a smaller reach, or give the layers a projected CRS centred on the mission (e.g. its UTM zone)"): (
        "Utilisez une portée plus petite, ou donnez aux couches un "
        "SCR projeté centré sur la mission (p. ex. sa zone UTM)"
    ),
    "Expected lines, got a {kind}.": "Des lignes étaient attendues, reçu : {kind}.",
    "reaches {place}, {km:,.0f} km away: {reason}. {remedy}": ("atteint {place}, à {km:,.0f} km : {reason}. {remedy}"),
    "reaches beyond what {crs} can map (its coordinates there are infinite). {remedy}": (
        "atteint au-delà de ce que {crs} peut représenter (ses coordonnées y sont infinies). {remedy}"
    ),
    "The CRS '{name}' has no ellipsoid: distances cannot be measured in it.": (
        "Le SCR '{name}' n'a pas d'ellipsoïde : les distances ne peuvent pas y être mesurées."
    ),
    "a zone cannot cross it in {crs}, a longitude/latitude CRS": (
        "une zone ne peut pas le traverser dans {crs}, un SCR longitude/latitude"
    ),
    "{crs} is cut there": "{crs} y est coupé",
    "a zone cannot go round a pole in {crs}, a longitude/latitude CRS": (
        "une zone ne peut pas faire le tour d'un pôle dans {crs}, un SCR longitude/latitude"
    ),
    "{crs} cannot map the pole": "{crs} ne peut pas représenter le pôle",
    "the North Pole": "le pôle Nord",
    "the South Pole": "le pôle Sud",
    "the antimeridian (180°)": "l'antiméridien (180°)",
    "The zone around line {line} {why}.": "La zone autour de la ligne {line} {why}.",
    # --- getis_ord.py
    "Only {n} {what} to analyse: Gi* needs at least 3 (use a smaller cell size or more data).": (
        "Seulement {n} {what} à analyser : Gi* en demande au moins 3 "
        "(utilisez une taille de cellule plus petite ou davantage de données)."
    ),
    (
        "All {what} are equal ({mean:g}): there is no variation for Gi* to find. Use a smaller "
        "cell size, a larger study area or another value field."
    ): (
        "Toutes les valeurs ({what}) sont égales ({mean:g}) : Gi* n'a aucune variation à trouver. "
        "Utilisez une taille de cellule plus petite, une zone d'étude plus grande ou un autre "
        "champ de valeur."
    ),
    "Some features have no value (NULL or NaN): fill or filter them before the analysis.": (
        "Des entités n'ont pas de valeur (NULL ou NaN) : complétez-les ou filtrez-les avant l'analyse."
    ),
    ("{count} cells have no neighbour within the distance band of {band:g}: increase DISTANCE_BAND."): (
        "{count} cellules n'ont aucun voisin dans la bande de distance de {band:g} : augmentez DISTANCE_BAND."
    ),
    # --- getis_ord_analysis.py
    "Unknown NEIGHBOURS '{neighbours}': use {neighbour_methods}.": (
        "NEIGHBOURS '{neighbours}' inconnu : utilisez {neighbour_methods}."
    ),
    "Contiguity (queen) neighbours need polygons: use distance or knn for points.": (
        "Les voisins par contiguïté (reine) demandent des polygones : utilisez distance ou knn pour des points."
    ),
    "{hot} hot and {cold} cold spots (90 % confidence or more, {correction}) of {count}.": (
        "{hot} points chauds et {cold} points froids (confiance de 90 % ou plus, {correction}) sur {count}."
    ),
    "with FDR correction": "avec correction FDR",
    "without FDR correction": "sans correction FDR",
    "Grid: {grid}, cell size {cell:g}, distance band {band:g}, CRS {crs}.": (
        "Grille : {grid}, taille des cellules {cell:g}, bande de distance {band:g}, SCR {crs}."
    ),
    "queen contiguity": "contiguïté (reine)",
    "Neighbours: {neighbours}.": "Voisins : {neighbours}.",
    "{count} incidents without a location were left out.": "{count} incidents sans position ont été écartés.",
    (
        "{count} incidents have coordinates that cannot be placed (e.g. latitude beyond ±90) and "
        "were left out: check them with mew:importincidents."
    ): (
        "{count} incidents ont des coordonnées impossibles à placer (p. ex. latitude "
        "au-delà de ±90) et ont été écartés : vérifiez-les avec mew:importincidents."
    ),
    "{k} nearest neighbours": "{k} plus proches voisins",
    "distance band {band:g}": "bande de distance {band:g}",
    # --- getis_ord_band.py
    "Only {n} features: Gi* needs at least 4 to choose a distance band.": (
        "Seulement {n} entités : Gi* en demande au moins 4 pour choisir une bande de distance."
    ),
    "Distance band {band:g} chosen by {method}.": "Bande de distance {band:g} choisie par {method}.",
    (
        "the k-nearest fallback: about {expected} incidents per neighbourhood (no usable peak of "
        "incremental spatial autocorrelation)"
    ): (
        "le repli aux k plus proches voisins : environ {expected} incidents par "
        "voisinage (pas de pic utilisable de l'autocorrélation spatiale incrémentale)"
    ),
    ("the {k}-nearest-neighbour fallback (no significant peak of incremental spatial autocorrelation)"): (
        "le repli aux {k} plus proches voisins (pas de pic significatif de l'autocorrélation spatiale incrémentale)"
    ),
    "the first peak of incremental spatial autocorrelation": (
        "le premier pic de l'autocorrélation spatiale incrémentale"
    ),
    # --- getis_ord_grid.py
    "Unknown grid '{kind}': use fishnet or hexagon.": ("Grille '{kind}' inconnue : utilisez fishnet ou hexagon."),
    "The cell size must be positive (or 0 to choose it from the data).": (
        "La taille des cellules doit être positive (ou 0 pour la choisir d'après les données)."
    ),
    # --- getis_ord_study_area.py
    (
        "None of the {count:,} incidents lies inside the STUDY_AREA ({apart}: the study area spans "
        "x {x0:,.0f} to {x1:,.0f}, y {y0:,.0f} to {y1:,.0f}; the incidents x {low_x:,.0f} to "
        "{high_x:,.0f}, y {low_y:,.0f} to {high_y:,.0f}, in metres of the analysis CRS). Check "
        "that STUDY_AREA is the layer you meant and that both layers have the right CRS."
    ): (
        "Aucun des {count:,} incidents n'est dans la STUDY_AREA ({apart} : la zone d'étude s'étend "
        "en x de {x0:,.0f} à {x1:,.0f}, en y de {y0:,.0f} à {y1:,.0f} ; les incidents en x de "
        "{low_x:,.0f} à {high_x:,.0f}, en y de {low_y:,.0f} à {high_y:,.0f}, en mètres du SCR "
        "d'analyse). Vérifiez que STUDY_AREA est bien la couche voulue et que les deux couches ont "
        "le bon SCR."
    ),
    "No incidents inside the study area: check the layers' CRS and the study area.": (
        "Aucun incident dans la zone d'étude : vérifiez le SCR des couches et la zone d'étude."
    ),
    "Only {unique_count} distinct incident locations: at least 3 are needed (or a STUDY_AREA).": (
        "Seulement {unique_count} positions d'incidents distinctes : il en faut au moins 3 (ou une STUDY_AREA)."
    ),
    (
        "The study area spans {width:,.0f} × {height:,.0f} (map units of the analysis CRS, "
        "metres): with a cell size of {cell_size:g} that is about {cells:,.0f} cells; the limit is "
        "{max_cells:,}. Use a CELL_SIZE of at least {fitting:,} (or 0 to choose it automatically), "
        "or a smaller STUDY_AREA."
    ): (
        "La zone d'étude s'étend sur {width:,.0f} × {height:,.0f} (unités de carte du SCR "
        "d'analyse, mètres) : avec une taille de cellule de {cell_size:g}, cela fait environ "
        "{cells:,.0f} cellules ; la limite est de {max_cells:,}. Utilisez une CELL_SIZE d'au moins "
        "{fitting:,} (ou 0 pour la choisir automatiquement), ou une STUDY_AREA plus petite."
    ),
    "Only {inside} cells of {cell_size:g} fall inside the study area: use a smaller CELL_SIZE.": (
        "Seulement {inside} cellules de {cell_size:g} tombent dans "
        "la zone d'étude : utilisez une CELL_SIZE plus petite."
    ),
    "{km:,.0f} km apart": "distantes de {km:,.0f} km",
    "their extents overlap": "leurs emprises se chevauchent",
    "The incidents lie on a line: give a STUDY_AREA polygon.": (
        "Les incidents sont alignés : donnez un polygone de STUDY_AREA."
    ),
    "Study area: the convex hull of the incidents.": "Zone d'étude : l'enveloppe convexe des incidents.",
    "Cell size {cell_size:g} chosen from the data ({incidents_per_cell:g} incidents per cell).": (
        "Taille des cellules {cell_size:g} choisie d'après les données ({incidents_per_cell:g} incidents par cellule)."
    ),
    "{outside:,} of {xy_count:,} incidents lie outside the study area and are not counted.": (
        "{outside:,} des {xy_count:,} incidents sont hors de la zone d'étude et ne sont pas comptés."
    ),
    # --- getis_ord_weights.py
    "K = {k} nearest neighbours needs at least {k2} features; there are {n}. Lower K.": (
        "K = {k} plus proches voisins demande au moins {k2} entités ; il y en a {n}. Diminuez K."
    ),
    # --- incidents.py
    "'{path}' is empty: it has no header row.": "'{path}' est vide : il n'a pas de ligne d'en-tête.",
    ("'{path}': the header on line {line} cannot be read ({detail}). Check its quotes and re-export the file."): (
        "'{path}' : l'en-tête de la ligne {line} est illisible ({detail}). "
        "Vérifiez ses guillemets et exportez à nouveau le fichier."
    ),
    "'{path}' has an empty header row (line {line}).": "'{path}' a une ligne d'en-tête vide (ligne {line}).",
    "'{path}' is not a GeoJSON FeatureCollection (no 'features' list).": (
        "'{path}' n'est pas une FeatureCollection GeoJSON (pas de liste 'features')."
    ),
    "Unknown incident format '{fmt}': choose one of {formats}.": (
        "Format d'incidents inconnu '{fmt}' : choisissez parmi {formats}."
    ),
    (
        "'{path}': {data_lines} data lines but {lines_accounted} accounted for (first unaccounted: "
        "line {result}). Nothing was imported; send the file to the plugin's maintainers."
    ): (
        "'{path}' : {data_lines} lignes de données mais {lines_accounted} comptées (première non "
        "comptée : ligne {result}). Rien n'a été importé ; envoyez le fichier aux mainteneurs du "
        "plugin."
    ),
    "'{path}' is not valid GeoJSON: {error}.": "'{path}' n'est pas un GeoJSON valide : {error}.",
    "Cannot read the incident file '{path}': {value}.": (
        "Impossible de lire le fichier d'incidents '{path}' : {value}."
    ),
    "data lines": "lignes de données",
    "; {spanning} records span several lines (line breaks inside quoted cells)": (
        " ; {spanning} enregistrements s'étendent sur plusieurs "
        "lignes (sauts de ligne dans des cellules entre guillemets)"
    ),
    (
        "{file} ({format}, {encoding}, separator {separator!r}): {lines} {unit}, {accepted} "
        "accepted, {rejected} rejected"
    ): (
        "{file} ({format}, {encoding}, séparateur {separator!r}) : "
        "{lines} {unit}, {accepted} acceptés, {rejected} refusés"
    ),
    ", {blank} blank": ", {blank} vides",
    "row {row}: {explanation} ({detail})": "ligne {row} : {explanation} ({detail})",
    # --- incidents_columns.py
    (
        "'{path}' ({fmt} format): cannot find the {missing} column(s). Choose them with {wanted}, "
        "or pick the right FORMAT. Its columns are: {h}."
    ): (
        "'{path}' (format {fmt}) : colonne(s) {missing} introuvable(s). "
        "Choisissez-les avec {wanted}, ou prenez le bon FORMAT. Ses colonnes sont : "
        "{h}."
    ),
    "'{path}' has no column '{column}' (chosen as the {target} field). Its columns are: {h}.": (
        "'{path}' n'a pas de colonne '{column}' (choisie comme champ {target}). Ses colonnes sont : {h}."
    ),
    # --- incidents_text.py
    (
        "'{path}' holds binary data (a NUL byte on line {line}), not text. If it is a spreadsheet, "
        "export it as CSV (UTF-8) first; otherwise remove the damaged line."
    ): (
        "'{path}' contient des données binaires (un octet NUL à la ligne {line}), pas du texte. Si "
        "c'est un tableur, exportez-le d'abord en CSV (UTF-8) ; sinon supprimez la ligne "
        "endommagée."
    ),
    (
        "'{path}': no column separator (comma, semicolon, tab or |) found in the header line. Is "
        "this a CSV file with a header row?"
    ): (
        "'{path}' : aucun séparateur de colonnes (virgule, point-virgule, tabulation ou |) "
        "trouvé dans la ligne d'en-tête. Est-ce bien un fichier CSV avec une ligne d'en-tête ?"
    ),
    ("'{path}' starts like UTF-16 but is not valid UTF-16 on line {line} ({reason}). Re-save it as UTF-8."): (
        "'{path}' commence comme de l'UTF-16 mais n'est pas de l'UTF-16 valide à "
        "la ligne {line} ({reason}). Enregistrez-le à nouveau en UTF-8."
    ),
    (
        "'{path}' is not UTF-8 (first non-UTF-8 byte on line {line}); it was read as {encoding}. "
        "If accented names look wrong, re-save the file as UTF-8 and import it again."
    ): (
        "'{path}' n'est pas en UTF-8 (premier octet non UTF-8 à la ligne {line}) ; il a été lu en "
        "{encoding}. Si les noms accentués semblent faux, enregistrez à nouveau le fichier en "
        "UTF-8 et importez-le de nouveau."
    ),
    # --- timesteps.py
    "{steps:,} time steps of {step} ({first} to {last}); the limit is {limit}": (
        "{steps:,} pas de temps de {step} ({first} à {last}) ; la limite est de {limit}"
    ),
    (
        "{count} incidents lie outside the {limit} time steps that hold the other {others:,}: "
        "{named}{more}. They stretch the period to {period}: remove or correct them, or set "
        "START/END."
    ): (
        "{count} incidents sont hors des {limit} pas de temps qui contiennent les {others:,} "
        "autres : {named}{more}. Ils étirent la période à {period} : supprimez-les ou "
        "corrigez-les, ou définissez START/END."
    ),
    (
        "TIME_STEP '{text}' is not understood: write a number and a unit, e.g. '1 month', '2 "
        "weeks', '1 quarter', '10 days' or '1 year'."
    ): (
        "TIME_STEP '{text}' n'est pas compris : écrivez un nombre et une unité, "
        "p. ex. '1 month', '2 weeks', '1 quarter', '10 days' ou '1 year'."
    ),
    "TIME_STEP '{text}' must be at least 1.": "TIME_STEP '{text}' doit valoir au moins 1.",
    (
        "No value of the field '{field_name}' is a date (e.g. '{example}'): choose the date field, "
        "or use dates like 2025-12-31 or 31 December 2025."
    ): (
        "Aucune valeur du champ '{field_name}' n'est une date (p. ex. '{example}') : choisissez "
        "le champ de date, ou utilisez des dates comme 2025-12-31 ou 31 December 2025."
    ),
    "No dated incidents to analyse.": "Aucun incident daté à analyser.",
    (
        "The incidents span {period}. Use a longer TIME_STEP (at least {shortest} {unit}) or set "
        "START/END to a shorter period."
    ): (
        "Les incidents s'étendent sur {period}. Utilisez un TIME_STEP plus long "
        "(au moins {shortest} {unit}) ou réduisez la période avec START/END."
    ),
    ("Incident {incident} dated {day} stretches the period to {period}: remove or correct it, or set START/END."): (
        "L'incident {incident} daté du {day} étire la période à {period} "
        ": supprimez-le ou corrigez-le, ou définissez START/END."
    ),
    "days": "jours",
    "months": "mois",
    "incident {incident} dated {day}": "incident {incident} daté du {day}",
    # --- words put into the messages above
    "grid cells": "cellules de grille",
    "features": "entités",
    "values": "valeurs",
    "space-time bins": "classes spatio-temporelles",
    "the date is empty": "la date est vide",
    "the date is not understood": "la date n'est pas comprise",
    "latitude or longitude is empty or not a number": ("la latitude ou la longitude est vide ou n'est pas un nombre"),
    "a coordinate is out of range (latitude ±90°, longitude ±180°)": (
        "une coordonnée est hors limites (latitude ±90°, longitude ±180°)"
    ),
    "latitude and longitude look exchanged": "la latitude et la longitude semblent inversées",
    "the event id already appeared on an earlier row": (
        "l'identifiant de l'événement figure déjà sur une ligne précédente"
    ),
    "the row has more cells than the header": "la ligne a plus de cellules que l'en-tête",
    "the date is before 1900 or after the latest plausible date": (
        "la date est antérieure à 1900 ou postérieure à la dernière date plausible"
    ),
    "a quote opened on this line is never closed": "un guillemet ouvert sur cette ligne n'est jamais fermé",
    "a cell is longer than 131,072 characters": "une cellule dépasse 131 072 caractères",
    "the line cannot be read as CSV": "la ligne ne peut pas être lue comme du CSV",
}
