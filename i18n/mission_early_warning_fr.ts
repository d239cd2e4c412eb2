<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
  <context>
    <name>MissionEarlyWarning</name>
    <message>
      <source>Missing Python packages: {} (see the log for how to install them).</source>
      <translation>Paquets Python manquants : {} (voir le journal pour les installer).</translation>
    </message>
    <message>
      <source>Mission Early Warning</source>
      <translation>Mission Early Warning</translation>
    </message>
  </context>
  <context>
    <name>MewAlgorithm</name>
    <message>
      <source>Cancelled: nothing was written; earlier outputs are as they were.</source>
      <translation>Annulé : rien n'a été écrit ; les résultats précédents sont restés tels quels.</translation>
    </message>
    <message>
      <source>The outputs were written, but how they were made could not be stored in them; a briefing map will not describe them. Details are in the log (Log Messages panel, '{}').</source>
      <translation>Les sorties ont été écrites, mais la façon dont elles ont été produites n'a pas pu y être enregistrée ; une carte de briefing ne les décrira pas. Les détails sont dans le journal (panneau Journal des messages, « {} »).</translation>
    </message>
    <message>
      <source>Layers (in drawing order: first at the bottom)</source>
      <translation>Couches (dans l'ordre d'affichage : la première en dessous)</translation>
    </message>
    <message>
      <source>The layers shown on the map; incident points are drawn aggregated unless asked otherwise.</source>
      <translation>Les couches affichées sur la carte ; les points d'incidents sont agrégés, sauf demande contraire.</translation>
    </message>
    <message>
      <source>Map extent (empty: all layers)</source>
      <translation>Emprise de la carte (vide : toutes les couches)</translation>
    </message>
    <message>
      <source>The area the map shows, e.g. the area of operations.</source>
      <translation>La zone montrée par la carte, par ex. la zone d'opérations.</translation>
    </message>
    <message>
      <source>Zones for an atlas (one page per zone, e.g. sectors)</source>
      <translation>Zones d'un atlas (une page par zone, par ex. les secteurs)</translation>
    </message>
    <message>
      <source>Polygons to make one page each, zoomed on the zone.</source>
      <translation>Polygones donnant chacun une page, centrée sur la zone.</translation>
    </message>
    <message>
      <source>Zone name field</source>
      <translation>Champ du nom de zone</translation>
    </message>
    <message>
      <source>The field that names each zone on its page.</source>
      <translation>Le champ qui nomme chaque zone sur sa page.</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>Titre</translation>
    </message>
    <message>
      <source>The map's title, at the top of the page.</source>
      <translation>Le titre de la carte, en haut de la page.</translation>
    </message>
    <message>
      <source>Subtitle</source>
      <translation>Sous-titre</translation>
    </message>
    <message>
      <source>A line under the title, e.g. the period.</source>
      <translation>Une ligne sous le titre, par ex. la période.</translation>
    </message>
    <message>
      <source>Map number and version</source>
      <translation>Numéro et version de la carte</translation>
    </message>
    <message>
      <source>The reference printed on the map, to cite it in reports.</source>
      <translation>La référence imprimée sur la carte, pour la citer dans les rapports.</translation>
    </message>
    <message>
      <source>Classification (banner top and bottom)</source>
      <translation>Classification (bandeau en haut et en bas)</translation>
    </message>
    <message>
      <source>The handling caveat printed in the banners, e.g. UN RESTRICTED.</source>
      <translation>La mention de diffusion imprimée dans les bandeaux, par ex. UN RESTRICTED.</translation>
    </message>
    <message>
      <source>Data sources and dates</source>
      <translation>Sources des données et dates</translation>
    </message>
    <message>
      <source>Printed on the map, e.g. ACLED export of 2026-10-31; one source per line.</source>
      <translation>Imprimées sur la carte, par ex. export ACLED du 2026-10-31 ; une source par ligne.</translation>
    </message>
    <message>
      <source>Page size and orientation</source>
      <translation>Format et orientation de la page</translation>
    </message>
    <message>
      <source>A4 landscape</source>
      <translation>A4 paysage</translation>
    </message>
    <message>
      <source>A4 portrait</source>
      <translation>A4 portrait</translation>
    </message>
    <message>
      <source>A3 landscape</source>
      <translation>A3 paysage</translation>
    </message>
    <message>
      <source>A3 portrait</source>
      <translation>A3 portrait</translation>
    </message>
    <message>
      <source>The layout the map is placed on.</source>
      <translation>La mise en page sur laquelle la carte est placée.</translation>
    </message>
    <message>
      <source>Resolution (dpi)</source>
      <translation>Résolution (ppp)</translation>
    </message>
    <message>
      <source>Dots per inch of the PDF's images and of the PNG: 300 prints well, 150 makes smaller files.</source>
      <translation>Points par pouce des images du PDF et du PNG : 300 pour une bonne impression, 150 pour des fichiers plus légers.</translation>
    </message>
    <message>
      <source>Show raw incident points (sensitive; default: aggregated to grid cells)</source>
      <translation>Afficher les points d'incidents bruts (sensible ; par défaut : agrégés en mailles)</translation>
    </message>
    <message>
      <source>Exact incident locations may expose sources and victims: they are counted in grid cells unless this is ticked.</source>
      <translation>La position exacte des incidents peut exposer des sources et des victimes : ils sont comptés par maille sauf si cette case est cochée.</translation>
    </message>
    <message>
      <source>Further provenance lines</source>
      <translation>Lignes de provenance supplémentaires</translation>
    </message>
    <message>
      <source>Lines added to the provenance block, after those read from the layers.</source>
      <translation>Lignes ajoutées au bloc de provenance, après celles lues dans les couches.</translation>
    </message>
    <message>
      <source>Own layout template (.qpt file with the same item ids; replaces the page size above)</source>
      <translation>Modèle de mise en page personnel (fichier .qpt avec les mêmes identifiants d'éléments ; remplace le format ci-dessus)</translation>
    </message>
    <message>
      <source>A layout saved from QGIS's layout designer with the item ids the plugin's templates use.</source>
      <translation>Une mise en page enregistrée depuis le composeur de QGIS, avec les identifiants d'éléments des modèles de l'extension.</translation>
    </message>
    <message>
      <source>Incident aggregation cell size (map units; 0 = automatic)</source>
      <translation>Taille des mailles d'agrégation des incidents (unités de la carte ; 0 = automatique)</translation>
    </message>
    <message>
      <source>The size of the grid cells incident points are counted in on the map.</source>
      <translation>La taille des mailles dans lesquelles les points d'incidents sont comptés sur la carte.</translation>
    </message>
    <message>
      <source>Briefing map (PDF)</source>
      <translation>Carte de briefing (PDF)</translation>
    </message>
    <message>
      <source>The PDF to print or send; an atlas writes one page per zone.</source>
      <translation>Le PDF à imprimer ou à envoyer ; un atlas écrit une page par zone.</translation>
    </message>
    <message>
      <source>Briefing map (PNG; an atlas writes one per zone)</source>
      <translation>Carte de briefing (PNG ; un atlas en écrit une par zone)</translation>
    </message>
    <message>
      <source>An image for a slide or a message.</source>
      <translation>Une image pour une diapositive ou un message.</translation>
    </message>
    <message>
      <source>Briefing map (PDF/PNG)</source>
      <translation>Carte de briefing (PDF/PNG)</translation>
    </message>
    <message>
      <source>Mission and briefing</source>
      <translation>Mission et briefing</translation>
    </message>
    <message>
      <source>Number of pages</source>
      <translation>Nombre de pages</translation>
    </message>
    <message>
      <source>PNG files written (one per page)</source>
      <translation>Fichiers PNG écrits (un par page)</translation>
    </message>
    <message>
      <source>Provenance of the map (JSON beside the PDF)</source>
      <translation>Provenance de la carte (JSON à côté du PDF)</translation>
    </message>
    <message>
      <source>Briefing map written: {} ({} page(s))</source>
      <translation>Carte de briefing écrite : {} ({} page(s))</translation>
    </message>
    <message>
      <source>Patrol tracks (lines; GPX accepted)</source>
      <translation>Traces des patrouilles (lignes ; GPX accepté)</translation>
    </message>
    <message>
      <source>Patrol reach either side of the track (metres)</source>
      <translation>Portée de la patrouille de part et d'autre de la trace (mètres)</translation>
    </message>
    <message>
      <source>Patrol date field</source>
      <translation>Champ de la date de patrouille</translation>
    </message>
    <message>
      <source>Situation on (empty: the latest patrol date)</source>
      <translation>Situation au (vide : la date de la dernière patrouille)</translation>
    </message>
    <message>
      <source>Bases (points)</source>
      <translation>Bases (points)</translation>
    </message>
    <message>
      <source>Team sites, camps or outposts; everything within their reach counts as covered.</source>
      <translation>Bases d'équipe, camps ou postes avancés ; tout ce qui est à leur portée compte comme couvert.</translation>
    </message>
    <message>
      <source>Reach of each base from a field (metres)</source>
      <translation>Portée de chaque base, lue dans un champ (mètres)</translation>
    </message>
    <message>
      <source>When bases reach different distances: the field holding each base's reach in metres.</source>
      <translation>Quand les bases ont des portées différentes : le champ donnant la portée de chaque base en mètres.</translation>
    </message>
    <message>
      <source>Reach of a base (metres, when no field is chosen)</source>
      <translation>Portée d'une base (mètres, si aucun champ n'est choisi)</translation>
    </message>
    <message>
      <source>How far from a base a place counts as covered, measured on the ground.</source>
      <translation>Jusqu'à quelle distance d'une base un lieu compte comme couvert, mesurée au sol.</translation>
    </message>
    <message>
      <source>Base name field</source>
      <translation>Champ du nom de la base</translation>
    </message>
    <message>
      <source>Names the nearest base of each village (empty: the feature number).</source>
      <translation>Nomme la base la plus proche de chaque village (vide : le numéro de l'entité).</translation>
    </message>
    <message>
      <source>The routes patrols drove or walked, e.g. GPS tracks.</source>
      <translation>Les itinéraires parcourus par les patrouilles, motorisées ou à pied, par ex. des traces GPS.</translation>
    </message>
    <message>
      <source>How far from a track a place counts as covered by the patrol.</source>
      <translation>Jusqu'à quelle distance d'une trace un lieu compte comme couvert par la patrouille.</translation>
    </message>
    <message>
      <source>The date of each patrol: needed to count recent patrols only and the days since a patrol.</source>
      <translation>La date de chaque patrouille : nécessaire pour ne compter que les patrouilles récentes et les jours écoulés depuis une patrouille.</translation>
    </message>
    <message>
      <source>The day the coverage is assessed: later patrols do not count, and are reported in the log.</source>
      <translation>Le jour où la couverture est évaluée : les patrouilles postérieures ne comptent pas et sont signalées dans le journal.</translation>
    </message>
    <message>
      <source>Patrols count for this many days before the situation date (0: all patrols)</source>
      <translation>Les patrouilles comptent pendant ce nombre de jours avant la date de situation (0 : toutes les patrouilles)</translation>
    </message>
    <message>
      <source>E.g. 30: only patrols of the last 30 days cover a place.</source>
      <translation>Par ex. 30 : seules les patrouilles des 30 derniers jours couvrent un lieu.</translation>
    </message>
    <message>
      <source>Graded reach rings (metres, comma separated, e.g. 5000,10000,20000)</source>
      <translation>Anneaux de portée gradués (mètres, séparés par des virgules, par ex. 5000,10000,20000)</translation>
    </message>
    <message>
      <source>Distances from bases and tracks for zones of decreasing coverage (empty: covered or not).</source>
      <translation>Distances aux bases et aux traces délimitant des zones de couverture décroissante (vide : couvert ou non).</translation>
    </message>
    <message>
      <source>Villages (points)</source>
      <translation>Villages (points)</translation>
    </message>
    <message>
      <source>Places whose coverage is measured and counted.</source>
      <translation>Les lieux dont la couverture est mesurée et comptée.</translation>
    </message>
    <message>
      <source>Village population field</source>
      <translation>Champ de la population du village</translation>
    </message>
    <message>
      <source>The number of people of each village, to count the people within reach.</source>
      <translation>Le nombre d'habitants de chaque village, pour compter la population à portée.</translation>
    </message>
    <message>
      <source>Population raster (people per pixel)</source>
      <translation>Raster de population (personnes par pixel)</translation>
    </message>
    <message>
      <source>E.g. WorldPop: counts the people within reach over the whole area, not only in villages.</source>
      <translation>Par ex. WorldPop : compte la population à portée sur toute la zone, pas seulement dans les villages.</translation>
    </message>
    <message>
      <source>Incidents (points)</source>
      <translation>Incidents (points)</translation>
    </message>
    <message>
      <source>Counts the incidents that happened within reach and out of it.</source>
      <translation>Compte les incidents survenus à portée et hors de portée.</translation>
    </message>
    <message>
      <source>Segments per quarter circle of track buffers</source>
      <translation>Segments par quart de cercle des zones tampons des traces</translation>
    </message>
    <message>
      <source>More segments draw rounder track ends at some cost in speed.</source>
      <translation>Plus de segments arrondissent les extrémités des traces, au prix d'un calcul plus lent.</translation>
    </message>
    <message>
      <source>Coverage (dissolved, per ring)</source>
      <translation>Couverture (fusionnée, par anneau)</translation>
    </message>
    <message>
      <source>The covered area, and one area per reach ring, with its area in square kilometres.</source>
      <translation>La zone couverte, et une zone par anneau de portée, avec sa superficie en kilomètres carrés.</translation>
    </message>
    <message>
      <source>Villages with coverage</source>
      <translation>Villages et leur couverture</translation>
    </message>
    <message>
      <source>Each village with covered or not, its distance to a base and a patrol, and days since a patrol.</source>
      <translation>Chaque village, couvert ou non, avec sa distance à une base et à une patrouille, et les jours écoulés depuis une patrouille.</translation>
    </message>
    <message>
      <source>Coverage summary</source>
      <translation>Synthèse de la couverture</translation>
    </message>
    <message>
      <source>A table: villages, people and incidents within each ring, as numbers and shares.</source>
      <translation>Un tableau : villages, population et incidents dans chaque anneau, en nombres et en proportions.</translation>
    </message>
    <message>
      <source>The places to rank; those inside the coverage are left out unless asked for.</source>
      <translation>Les lieux à classer ; ceux situés dans la couverture sont écartés, sauf demande contraire.</translation>
    </message>
    <message>
      <source>The number of people of each village: larger villages rank higher.</source>
      <translation>Le nombre d'habitants de chaque village : les villages plus peuplés sont classés plus haut.</translation>
    </message>
    <message>
      <source>Coverage polygons (e.g. the output of Patrol coverage)</source>
      <translation>Polygones de couverture (par ex. le résultat de Couverture des patrouilles)</translation>
    </message>
    <message>
      <source>The area already covered. From Patrol coverage, only its area marked covered is used; any other polygons (an area of responsibility) are used whole.</source>
      <translation>La zone déjà couverte. D'un résultat de Couverture des patrouilles, seule la zone marquée couverte est utilisée ; tout autre polygone (une zone de responsabilité) est utilisé en entier.</translation>
    </message>
    <message>
      <source>Recent incidents near a village, and their increase, raise its rank.</source>
      <translation>Les incidents récents près d'un village, et leur hausse, le font monter dans le classement.</translation>
    </message>
    <message>
      <source>Incident date field</source>
      <translation>Champ de la date de l'incident</translation>
    </message>
    <message>
      <source>The date of each incident (dates or text such as 31 December 2025), to tell recent ones.</source>
      <translation>La date de chaque incident (dates ou texte comme 31 December 2025), pour repérer les plus récents.</translation>
    </message>
    <message>
      <source>Situation on (empty: the latest incident date)</source>
      <translation>Situation au (vide : la date du dernier incident)</translation>
    </message>
    <message>
      <source>The day the ranking is made for: incidents up to it count.</source>
      <translation>Le jour pour lequel le classement est établi : les incidents jusqu'à cette date comptent.</translation>
    </message>
    <message>
      <source>Recent incidents: days before the situation date</source>
      <translation>Incidents récents : jours avant la date de situation</translation>
    </message>
    <message>
      <source>Incidents within this many days are recent; earlier ones give the usual rate to compare with.</source>
      <translation>Les incidents survenus dans ce nombre de jours sont récents ; les précédents donnent le rythme habituel de comparaison.</translation>
    </message>
    <message>
      <source>Incidents counted within (metres)</source>
      <translation>Incidents comptés dans un rayon de (mètres)</translation>
    </message>
    <message>
      <source>Incidents closer than this to a village count for it.</source>
      <translation>Les incidents plus proches d'un village que cette distance comptent pour lui.</translation>
    </message>
    <message>
      <source>Hot spot raster (incident density or Gi* z-score; used when no incidents are given)</source>
      <translation>Raster des points chauds (densité d'incidents ou score z du Gi* ; utilisé si aucun incident n'est fourni)</translation>
    </message>
    <message>
      <source>Without incident points, the value of this raster at each village stands for its incidents.</source>
      <translation>Sans points d'incidents, la valeur de ce raster à chaque village tient lieu de ses incidents.</translation>
    </message>
    <message>
      <source>Drought raster</source>
      <translation>Raster de sécheresse</translation>
    </message>
    <message>
      <source>E.g. an output of Drought index: villages in drought rank higher.</source>
      <translation>Par ex. un résultat d'Indice de sécheresse : les villages en sécheresse sont classés plus haut.</translation>
    </message>
    <message>
      <source>Drought raster holds</source>
      <translation>Contenu du raster de sécheresse</translation>
    </message>
    <message>
      <source>VCI 0–100 (lower is drier)</source>
      <translation>VCI 0–100 (plus bas = plus sec)</translation>
    </message>
    <message>
      <source>Drought class codes (higher is worse)</source>
      <translation>Codes de classe de sécheresse (plus haut = plus grave)</translation>
    </message>
    <message>
      <source>What the drought raster's values are: a VCI, or drought classes numbered worst highest.</source>
      <translation>Ce que sont les valeurs du raster de sécheresse : un VCI, ou des classes de sécheresse numérotées de la moins grave à la plus grave.</translation>
    </message>
    <message>
      <source>Distance from coverage that scores fully (metres)</source>
      <translation>Distance à la couverture donnant le score maximal (mètres)</translation>
    </message>
    <message>
      <source>A village this far or farther from the coverage gets the full distance points.</source>
      <translation>Un village à cette distance de la couverture ou au-delà reçoit tous les points de distance.</translation>
    </message>
    <message>
      <source>Weight of recent incidents</source>
      <translation>Poids des incidents récents</translation>
    </message>
    <message>
      <source>Weight of the increase of incidents</source>
      <translation>Poids de la hausse des incidents</translation>
    </message>
    <message>
      <source>Weight of drought</source>
      <translation>Poids de la sécheresse</translation>
    </message>
    <message>
      <source>Weight of population</source>
      <translation>Poids de la population</translation>
    </message>
    <message>
      <source>Weight of distance from coverage</source>
      <translation>Poids de la distance à la couverture</translation>
    </message>
    <message>
      <source>How much recent incidents count in the score, relative to the other weights.</source>
      <translation>La part des incidents récents dans le score, par rapport aux autres poids.</translation>
    </message>
    <message>
      <source>How much an increase of incidents over their earlier rate counts in the score.</source>
      <translation>La part, dans le score, d'une hausse des incidents par rapport à leur rythme antérieur.</translation>
    </message>
    <message>
      <source>How much drought at the village counts in the score.</source>
      <translation>La part de la sécheresse au village dans le score.</translation>
    </message>
    <message>
      <source>How much the number of people counts in the score.</source>
      <translation>La part du nombre d'habitants dans le score.</translation>
    </message>
    <message>
      <source>How much the distance from the coverage counts in the score.</source>
      <translation>La part de la distance à la couverture dans le score.</translation>
    </message>
    <message>
      <source>Rank covered villages too</source>
      <translation>Classer aussi les villages couverts</translation>
    </message>
    <message>
      <source>Also rank the villages inside the coverage, e.g. to compare all villages.</source>
      <translation>Classer aussi les villages situés dans la couverture, par ex. pour comparer tous les villages.</translation>
    </message>
    <message>
      <source>Coverage gaps ranked</source>
      <translation>Lacunes de couverture classées</translation>
    </message>
    <message>
      <source>The villages, highest risk first, with their score (0–100) and the reasons in words.</source>
      <translation>Les villages, du risque le plus élevé au plus faible, avec leur score (0–100) et les raisons en clair.</translation>
    </message>
    <message>
      <source>Coverage gaps ranked by risk</source>
      <translation>Lacunes de couverture classées par risque</translation>
    </message>
    <message>
      <source>Patrol coverage</source>
      <translation>Couverture des patrouilles</translation>
    </message>
    <message>
      <source>Recent incidents counted up to {}.</source>
      <translation>Incidents récents comptés jusqu'au {}.</translation>
    </message>
    <message>
      <source>{} villages ranked.</source>
      <translation>{} villages classés.</translation>
    </message>
    <message>
      <source>NDVI stack (one multiband raster, or one raster per date)</source>
      <translation>Pile NDVI (un raster multibande, ou un raster par date)</translation>
    </message>
    <message>
      <source>Several years of NDVI images of the same area, e.g. MODIS or Sentinel-2 composites; each band or file is one date.</source>
      <translation>Plusieurs années d'images NDVI de la même zone, par ex. des composites MODIS ou Sentinel-2 ; chaque bande ou fichier correspond à une date.</translation>
    </message>
    <message>
      <source>Dates of the bands, when the stack carries none (comma separated, in band order)</source>
      <translation>Dates des bandes, si la pile n'en porte pas (séparées par des virgules, dans l'ordre des bandes)</translation>
    </message>
    <message>
      <source>One date per band, written as 2026-09-14, in the order of the bands. Empty: read from the files.</source>
      <translation>Une date par bande, écrite 2026-09-14, dans l'ordre des bandes. Vide : lues dans les fichiers.</translation>
    </message>
    <message>
      <source>Date or period to assess (e.g. 2026-09-14, 2026-09 or 2026; empty: the latest)</source>
      <translation>Date ou période à évaluer (par ex. 2026-09-14, 2026-09 ou 2026 ; vide : la plus récente)</translation>
    </message>
    <message>
      <source>A day, a month or a year: the stack's dates within it are assessed together.</source>
      <translation>Un jour, un mois ou une année : les dates de la pile qui s'y trouvent sont évaluées ensemble.</translation>
    </message>
    <message>
      <source>First year of the comparison years (empty: the first year of the stack)</source>
      <translation>Première année de référence (vide : la première année de la pile)</translation>
    </message>
    <message>
      <source>The years the assessed date is compared with start with this one.</source>
      <translation>Les années de référence auxquelles la date évaluée est comparée commencent par celle-ci.</translation>
    </message>
    <message>
      <source>Last year of the comparison years (empty: the year before the one assessed)</source>
      <translation>Dernière année de référence (vide : l'année précédant celle évaluée)</translation>
    </message>
    <message>
      <source>The years the assessed date is compared with end with this one.</source>
      <translation>Les années de référence auxquelles la date évaluée est comparée s'arrêtent à celle-ci.</translation>
    </message>
    <message>
      <source>Drought index</source>
      <translation>Indice de sécheresse</translation>
    </message>
    <message>
      <source>Vegetation Condition Index (VCI, 0-100)</source>
      <translation>Indice d'état de la végétation (VCI, 0-100)</translation>
    </message>
    <message>
      <source>NDVI difference from the usual</source>
      <translation>Écart du NDVI à la normale</translation>
    </message>
    <message>
      <source>NDVI difference from the usual, in standard deviations</source>
      <translation>Écart du NDVI à la normale, en écarts-types</translation>
    </message>
    <message>
      <source>The VCI places this year's greenness between the driest and the greenest of the comparison years: below 40 is drought. The NDVI differences compare with the average of those years.</source>
      <translation>Le VCI situe la verdure de cette année entre la plus sèche et la plus verte des années de référence : en dessous de 40, c'est la sécheresse. Les écarts du NDVI se comparent à la moyenne de ces années.</translation>
    </message>
    <message>
      <source>Scale of stored values (e.g. 0.0001 for MODIS; empty: from the file)</source>
      <translation>Facteur d'échelle des valeurs stockées (par ex. 0.0001 pour MODIS ; vide : lu dans le fichier)</translation>
    </message>
    <message>
      <source>The factor that turns the stored numbers into NDVI, when the file does not say it.</source>
      <translation>Le facteur qui convertit les valeurs stockées en NDVI, si le fichier ne l'indique pas.</translation>
    </message>
    <message>
      <source>Offset of stored values (empty: from the file)</source>
      <translation>Décalage des valeurs stockées (vide : lu dans le fichier)</translation>
    </message>
    <message>
      <source>Added after the scale to turn the stored numbers into NDVI, when the file does not say it.</source>
      <translation>Ajouté après le facteur d'échelle pour convertir les valeurs stockées en NDVI, si le fichier ne l'indique pas.</translation>
    </message>
    <message>
      <source>Lowest valid NDVI (empty: no limit)</source>
      <translation>NDVI valide minimal (vide : sans limite)</translation>
    </message>
    <message>
      <source>Pixels below this NDVI, after scaling, are treated as missing.</source>
      <translation>Les pixels en dessous de ce NDVI, après mise à l'échelle, sont traités comme manquants.</translation>
    </message>
    <message>
      <source>Highest valid NDVI (empty: no limit)</source>
      <translation>NDVI valide maximal (vide : sans limite)</translation>
    </message>
    <message>
      <source>Pixels above this NDVI, after scaling, are treated as missing.</source>
      <translation>Les pixels au-dessus de ce NDVI, après mise à l'échelle, sont traités comme manquants.</translation>
    </message>
    <message>
      <source>Cloud or quality mask (one band for all dates, or one band per date)</source>
      <translation>Masque de nuages ou de qualité (une bande pour toutes les dates, ou une bande par date)</translation>
    </message>
    <message>
      <source>A raster marking clouded or bad pixels, which are then left out.</source>
      <translation>Un raster qui marque les pixels nuageux ou de mauvaise qualité, qui sont alors écartés.</translation>
    </message>
    <message>
      <source>Mask band to use for every date (empty: one band per date)</source>
      <translation>Bande du masque à utiliser pour toutes les dates (vide : une bande par date)</translation>
    </message>
    <message>
      <source>Choose a band when one band of the mask serves every date.</source>
      <translation>Choisir une bande quand une seule bande du masque sert pour toutes les dates.</translation>
    </message>
    <message>
      <source>Mask values that mark a bad pixel (e.g. 1 or 1,2,3 or 1-3)</source>
      <translation>Valeurs du masque signalant un mauvais pixel (par ex. 1 ou 1,2,3 ou 1-3)</translation>
    </message>
    <message>
      <source>The values of the mask that mean cloud or bad quality, as a list or a range.</source>
      <translation>Les valeurs du masque qui signifient nuage ou mauvaise qualité, en liste ou en plage.</translation>
    </message>
    <message>
      <source>Drought classes: upper bound:name, worst first (empty: the index's usual classes)</source>
      <translation>Classes de sécheresse : borne supérieure:nom, la plus grave d'abord (vide : les classes habituelles de l'indice)</translation>
    </message>
    <message>
      <source>E.g. 10:extreme,20:severe,30:moderate,40:mild,100:none. Empty: Kogan's classes for the VCI, or those of the chosen index.</source>
      <translation>Par ex. 10:extreme,20:severe,30:moderate,40:mild,100:none. Vide : les classes de Kogan pour le VCI, ou celles de l'indice choisi.</translation>
    </message>
    <message>
      <source>Grid to align onto (empty: the first input's grid)</source>
      <translation>Grille d'alignement (vide : la grille de la première entrée)</translation>
    </message>
    <message>
      <source>A raster whose pixels the outputs take, when the inputs are on different grids.</source>
      <translation>Un raster dont les résultats reprennent les pixels, quand les entrées sont sur des grilles différentes.</translation>
    </message>
    <message>
      <source>Resampling of inputs on another grid</source>
      <translation>Rééchantillonnage des entrées sur une autre grille</translation>
    </message>
    <message>
      <source>Nearest pixel</source>
      <translation>Plus proche pixel</translation>
    </message>
    <message>
      <source>Bilinear</source>
      <translation>Bilinéaire</translation>
    </message>
    <message>
      <source>Cubic</source>
      <translation>Cubique</translation>
    </message>
    <message>
      <source>Average</source>
      <translation>Moyenne</translation>
    </message>
    <message>
      <source>How pixels of an input on another grid are taken onto the output grid.</source>
      <translation>Comment les pixels d'une entrée sur une autre grille sont reportés sur la grille du résultat.</translation>
    </message>
    <message>
      <source>Drought index, earlier period</source>
      <translation>Indice de sécheresse, période antérieure</translation>
    </message>
    <message>
      <source>An index raster of the earlier period, e.g. an output of Drought index. Or give a stack.</source>
      <translation>Un raster d'indice de la période antérieure, par ex. un résultat d'Indice de sécheresse. Ou fournir une pile.</translation>
    </message>
    <message>
      <source>Drought index, later period</source>
      <translation>Indice de sécheresse, période postérieure</translation>
    </message>
    <message>
      <source>An index raster of the later period, on the same index as the earlier one.</source>
      <translation>Un raster d'indice de la période postérieure, du même indice que celui de la période antérieure.</translation>
    </message>
    <message>
      <source>Earlier date or period of the stack (e.g. 2025-09 or 2025)</source>
      <translation>Date ou période antérieure de la pile (par ex. 2025-09 ou 2025)</translation>
    </message>
    <message>
      <source>With a stack instead of two index rasters: the day, month or year of the earlier period.</source>
      <translation>Avec une pile au lieu de deux rasters d'indice : le jour, le mois ou l'année de la période antérieure.</translation>
    </message>
    <message>
      <source>Later date or period of the stack (empty: the latest)</source>
      <translation>Date ou période postérieure de la pile (vide : la plus récente)</translation>
    </message>
    <message>
      <source>With a stack: the day, month or year of the later period.</source>
      <translation>Avec une pile : le jour, le mois ou l'année de la période postérieure.</translation>
    </message>
    <message>
      <source>Drought means an index below (empty: every class but the last)</source>
      <translation>Sécheresse quand l'indice est inférieur à (vide : toutes les classes sauf la dernière)</translation>
    </message>
    <message>
      <source>A pixel is in drought below this value; with the VCI's usual classes, below 40.</source>
      <translation>Un pixel est en sécheresse en dessous de cette valeur ; avec les classes habituelles du VCI, en dessous de 40.</translation>
    </message>
    <message>
      <source>Smallest new drought area to report (hectares)</source>
      <translation>Plus petite nouvelle zone de sécheresse à signaler (hectares)</translation>
    </message>
    <message>
      <source>Areas of new drought smaller than this are left out of the new drought areas.</source>
      <translation>Les nouvelles zones de sécheresse plus petites sont écartées des nouvelles zones de sécheresse.</translation>
    </message>
    <message>
      <source>Zones to summarise (sectors, districts)</source>
      <translation>Zones à synthétiser (secteurs, districts)</translation>
    </message>
    <message>
      <source>Polygons for which the share of drought and the people affected are summed up.</source>
      <translation>Polygones pour lesquels la part en sécheresse et la population touchée sont totalisées.</translation>
    </message>
    <message>
      <source>The field that names each zone in the summary (empty: the feature number).</source>
      <translation>Le champ qui nomme chaque zone dans la synthèse (vide : le numéro de l'entité).</translation>
    </message>
    <message>
      <source>E.g. WorldPop: counts the people living where the later index is drought.</source>
      <translation>Par ex. WorldPop : compte la population vivant là où l'indice postérieur indique la sécheresse.</translation>
    </message>
    <message>
      <source>Change of the index</source>
      <translation>Évolution de l'indice</translation>
    </message>
    <message>
      <source>A GeoTIFF of later minus earlier index: brown where it got worse, green where better.</source>
      <translation>Un GeoTIFF de l'indice postérieur moins l'antérieur : brun là où la situation s'est dégradée, vert là où elle s'est améliorée.</translation>
    </message>
    <message>
      <source>Drought transitions</source>
      <translation>Transitions de sécheresse</translation>
    </message>
    <message>
      <source>A GeoTIFF of where drought is new (1), persists (2), is over (3) or absent (4).</source>
      <translation>Un GeoTIFF des zones où la sécheresse est nouvelle (1), persiste (2), a pris fin (3) ou est absente (4).</translation>
    </message>
    <message>
      <source>New drought areas</source>
      <translation>Nouvelles zones de sécheresse</translation>
    </message>
    <message>
      <source>Polygons of new drought of at least the smallest area, with their area in hectares.</source>
      <translation>Polygones de nouvelle sécheresse d'au moins la plus petite superficie, avec leur superficie en hectares.</translation>
    </message>
    <message>
      <source>Drought summary per zone</source>
      <translation>Synthèse de la sécheresse par zone</translation>
    </message>
    <message>
      <source>The zones ranked worst first, with their share in drought and the people affected.</source>
      <translation>Les zones, de la plus touchée à la moins touchée, avec leur part en sécheresse et la population touchée.</translation>
    </message>
    <message>
      <source>Drought change between two periods</source>
      <translation>Évolution de la sécheresse entre deux périodes</translation>
    </message>
    <message>
      <source>Drought</source>
      <translation>Sécheresse</translation>
    </message>
    <message>
      <source>Number of new drought areas</source>
      <translation>Nombre de nouvelles zones de sécheresse</translation>
    </message>
    <message>
      <source>Worst zone: {} ({} % of its valid area in drought, mean index {}).</source>
      <translation>Zone la plus touchée : {} ({} % de sa surface valide en sécheresse, indice moyen {}).</translation>
    </message>
    <message>
      <source>{} new drought area(s) of at least {} ha; drought means index below {}.</source>
      <translation>{} nouvelle(s) zone(s) de sécheresse d'au moins {} ha ; sécheresse signifie un indice inférieur à {}.</translation>
    </message>
    <message>
      <source>Drought index (VCI, NDVI anomaly) from an NDVI stack</source>
      <translation>Indice de sécheresse (VCI, anomalie de NDVI) à partir d'une pile NDVI</translation>
    </message>
    <message>
      <source>A GeoTIFF of the index at the date assessed, styled from drought (brown) to green.</source>
      <translation>Un GeoTIFF de l'indice à la date évaluée, symbolisé de la sécheresse (brun) au vert.</translation>
    </message>
    <message>
      <source>Drought classes</source>
      <translation>Classes de sécheresse</translation>
    </message>
    <message>
      <source>A GeoTIFF of the drought class of each pixel (extreme, severe, moderate, mild, none).</source>
      <translation>Un GeoTIFF de la classe de sécheresse de chaque pixel (extrême, sévère, modérée, légère, aucune).</translation>
    </message>
    <message>
      <source>Date assessed</source>
      <translation>Date évaluée</translation>
    </message>
    <message>
      <source>Baseline dates used</source>
      <translation>Dates de référence utilisées</translation>
    </message>
    <message>
      <source>Pixels with a valid index</source>
      <translation>Pixels dont l'indice est valide</translation>
    </message>
    <message>
      <source>Pixels in drought</source>
      <translation>Pixels en sécheresse</translation>
    </message>
    <message>
      <source>{} of {} against {} baseline years ({}); {} valid pixels, {} in drought (index below {}).</source>
      <translation>{} du {} comparé à {} années de référence ({}) ; {} pixels valides, {} en sécheresse (indice inférieur à {}).</translation>
    </message>
    <message>
      <source>Weight of the emerging hot spot</source>
      <translation>Poids du point chaud émergent</translation>
    </message>
    <message>
      <source>How much the hot spot category counts in the score.</source>
      <translation>Poids de la catégorie de point chaud dans le score.</translation>
    </message>
    <message>
      <source>Weight of drought (VCI)</source>
      <translation>Poids de la sécheresse (VCI)</translation>
    </message>
    <message>
      <source>How much the drought level of the cell counts in the score.</source>
      <translation>Poids du niveau de sécheresse de la cellule dans le score.</translation>
    </message>
    <message>
      <source>Weight of the fall of VCI</source>
      <translation>Poids de la baisse du VCI</translation>
    </message>
    <message>
      <source>How much the fall of VCI since the earlier date counts.</source>
      <translation>Poids de la baisse du VCI depuis la date antérieure.</translation>
    </message>
    <message>
      <source>Weight of people</source>
      <translation>Poids de la population</translation>
    </message>
    <message>
      <source>How much the number of people living in the cell counts.</source>
      <translation>Poids du nombre d'habitants de la cellule.</translation>
    </message>
    <message>
      <source>Weight of the patrol gap</source>
      <translation>Poids du manque de patrouille</translation>
    </message>
    <message>
      <source>How much the days since the last patrol count.</source>
      <translation>Poids du nombre de jours depuis la dernière patrouille.</translation>
    </message>
    <message>
      <source>Emerging hot spots (output of Emerging hot spots)</source>
      <translation>Points chauds émergents (sortie de Points chauds émergents)</translation>
    </message>
    <message>
      <source>The cells of an Emerging hot spots run: their category and trend go into the score.</source>
      <translation>Les cellules d'une analyse des points chauds émergents : leur catégorie et leur tendance entrent dans le score.</translation>
    </message>
    <message>
      <source>Grid</source>
      <translation>Grille</translation>
    </message>
    <message>
      <source>The emerging hot spot cells</source>
      <translation>Les cellules des points chauds émergents</translation>
    </message>
    <message>
      <source>A fishnet of the cell size below over the study area</source>
      <translation>Un quadrillage de la taille de cellule ci-dessous sur la zone d'étude</translation>
    </message>
    <message>
      <source>Score the hot spot cells themselves, or square cells of a size you choose.</source>
      <translation>Noter les cellules des points chauds elles-mêmes, ou des cellules carrées de la taille choisie.</translation>
    </message>
    <message>
      <source>Fishnet cell size (map units, e.g. metres)</source>
      <translation>Taille des cellules du quadrillage (unités de la carte, p. ex. mètres)</translation>
    </message>
    <message>
      <source>The side of a fishnet cell; used only with the fishnet grid.</source>
      <translation>Le côté d'une cellule du quadrillage ; utilisé seulement avec la grille en quadrillage.</translation>
    </message>
    <message>
      <source>Study area (for the fishnet; empty: the emerging hot spots' cells)</source>
      <translation>Zone d'étude (pour le quadrillage ; vide : les cellules des points chauds émergents)</translation>
    </message>
    <message>
      <source>Fishnet cells whose centre lies in these polygons are scored.</source>
      <translation>Les cellules du quadrillage dont le centre est dans ces polygones sont notées.</translation>
    </message>
    <message>
      <source>Drought index: VCI raster (output of Drought index)</source>
      <translation>Indice de sécheresse : raster VCI (sortie de Indice de sécheresse)</translation>
    </message>
    <message>
      <source>Drought change: change of VCI raster (output of Drought change)</source>
      <translation>Évolution de la sécheresse : raster de variation du VCI (sortie de Évolution de la sécheresse)</translation>
    </message>
    <message>
      <source>The routes patrols drove or walked, with their dates: a cell long without a patrol scores.</source>
      <translation>Les itinéraires parcourus par les patrouilles, avec leurs dates : une cellule longtemps sans patrouille est notée.</translation>
    </message>
    <message>
      <source>A patrol passing this close to a cell counts as a patrol of the cell.</source>
      <translation>Une patrouille passée à cette distance d'une cellule compte comme une patrouille de la cellule.</translation>
    </message>
    <message>
      <source>The date of each patrol (needed with patrol tracks).</source>
      <translation>La date de chaque patrouille (nécessaire avec les traces de patrouille).</translation>
    </message>
    <message>
      <source>The day the days since the last patrol are counted to: later patrols do not count.</source>
      <translation>Le jour jusqu'auquel sont comptés les jours depuis la dernière patrouille : les patrouilles postérieures ne comptent pas.</translation>
    </message>
    <message>
      <source>A fall of VCI of this many points scores fully</source>
      <translation>Baisse du VCI (en points) qui donne le facteur plein</translation>
    </message>
    <message>
      <source>40: a fall from a normal year (VCI 50) to extreme drought (VCI 10).</source>
      <translation>40 : le passage d'une année normale (VCI 50) à une sécheresse extrême (VCI 10).</translation>
    </message>
    <message>
      <source>This many people in a cell score fully</source>
      <translation>Nombre d'habitants d'une cellule qui donne le facteur plein</translation>
    </message>
    <message>
      <source>A cell with this many people or more gets the full people points.</source>
      <translation>Une cellule d'au moins ce nombre d'habitants reçoit tous les points de population.</translation>
    </message>
    <message>
      <source>This many days without a patrol score fully</source>
      <translation>Nombre de jours sans patrouille qui donne le facteur plein</translation>
    </message>
    <message>
      <source>60: two missed monthly patrol cycles. A cell never patrolled scores fully.</source>
      <translation>60 : deux cycles mensuels de patrouille manqués. Une cellule jamais patrouillée reçoit le facteur plein.</translation>
    </message>
    <message>
      <source>Early-warning grid</source>
      <translation>Grille d'alerte précoce</translation>
    </message>
    <message>
      <source>One cell per row, highest score first: the score (0–100), each factor's points and the reason.</source>
      <translation>Une cellule par ligne, le score le plus élevé en premier : le score (0–100), les points de chaque facteur et la raison.</translation>
    </message>
    <message>
      <source>Its mean over each cell: the lower, the drier.</source>
      <translation>Sa moyenne sur chaque cellule : plus elle est basse, plus c'est sec.</translation>
    </message>
    <message>
      <source>Its mean over each cell: a fall of VCI is a drought setting in.</source>
      <translation>Sa moyenne sur chaque cellule : une baisse du VCI est une sécheresse qui s'installe.</translation>
    </message>
    <message>
      <source>E.g. WorldPop: the people living in each cell, counted as Patrol coverage counts them.</source>
      <translation>P. ex. WorldPop : les habitants de chaque cellule, comptés comme le fait Couverture des patrouilles.</translation>
    </message>
    <message>
      <source>Incidents and hot spots</source>
      <translation>Incidents et points chauds</translation>
    </message>
    <message>
      <source>{} cells scored on {}.</source>
      <translation>{} cellules notées sur {}.</translation>
    </message>
    <message>
      <source>Rank {}: cell {}, score {}: {}</source>
      <translation>Rang {} : cellule {}, score {} : {}</translation>
    </message>
    <message>
      <source>Emerging hot spots (space-time Gi*, Mann-Kendall)</source>
      <translation>Points chauds émergents (Gi* spatio-temporel, Mann-Kendall)</translation>
    </message>
    <message>
      <source>Number of time steps</source>
      <translation>Nombre de pas de temps</translation>
    </message>
    <message>
      <source>Evaluation window start (the forecast date)</source>
      <translation>Début de la fenêtre d'évaluation (date de la prévision)</translation>
    </message>
    <message>
      <source>The first day the forecast was meant for, included.</source>
      <translation>Le premier jour couvert par la prévision, inclus.</translation>
    </message>
    <message>
      <source>Evaluation window end</source>
      <translation>Fin de la fenêtre d'évaluation</translation>
    </message>
    <message>
      <source>The last day the forecast was meant for, included.</source>
      <translation>Le dernier jour couvert par la prévision, inclus.</translation>
    </message>
    <message>
      <source>Forecast areas (polygons)</source>
      <translation>Zones prévues (polygones)</translation>
    </message>
    <message>
      <source>The areas predicted to see incidents: e.g. the hot spot cells of Hot spots or Emerging hot spots (select them first and tick 'Selected features only'), or any predicted areas.</source>
      <translation>Les zones où des incidents étaient prévus : par ex. les mailles de points chauds de Points chauds ou de Points chauds émergents (sélectionnez-les d'abord et cochez « Entités sélectionnées uniquement »), ou toute autre zone prévue.</translation>
    </message>
    <message>
      <source>Rank field (higher = more at risk)</source>
      <translation>Champ de rang (plus élevé = plus exposé)</translation>
    </message>
    <message>
      <source>Orders the forecast areas for the hit-rate curve, e.g. the Gi z-score or a risk score. Areas with the same value enter the curve together. Empty: all areas as one group.</source>
      <translation>Classe les zones prévues pour la courbe du taux de réussite, par ex. le score z de Gi ou un score de risque. Les zones de même valeur entrent ensemble dans la courbe. Vide : toutes les zones forment un seul groupe.</translation>
    </message>
    <message>
      <source>The incidents that happened, with their dates.</source>
      <translation>Les incidents survenus, avec leurs dates.</translation>
    </message>
    <message>
      <source>The field holding each incident's date: a date, a date and time, or text such as 2026-10-31.</source>
      <translation>Le champ portant la date de chaque incident : une date, une date et heure, ou un texte comme 2026-10-31.</translation>
    </message>
    <message>
      <source>Study area (polygons)</source>
      <translation>Zone d'étude (polygones)</translation>
    </message>
    <message>
      <source>The area the forecast was made for (e.g. the area of operations). Incidents outside it are not counted.</source>
      <translation>La zone pour laquelle la prévision a été faite (par ex. la zone d'opérations). Les incidents hors de cette zone ne sont pas comptés.</translation>
    </message>
    <message>
      <source>Baseline forecast to compare with (polygons)</source>
      <translation>Prévision de référence à comparer (polygones)</translation>
    </message>
    <message>
      <source>Another forecast to compare with. Empty: 'where it happened last time', the cells with the most incidents in the window of the same length just before START, over the same area.</source>
      <translation>Une autre prévision à comparer. Vide : « là où c'est arrivé la dernière fois », les mailles ayant eu le plus d'incidents pendant la fenêtre de même durée juste avant START, sur la même surface.</translation>
    </message>
    <message>
      <source>Forecast accuracy (hit rate, PAI, PEI, RRI)</source>
      <translation>Précision de la prévision (taux de réussite, PAI, PEI, RRI)</translation>
    </message>
    <message>
      <source>One row for the forecast and one for the baseline.</source>
      <translation>Une ligne pour la prévision et une pour la référence.</translation>
    </message>
    <message>
      <source>Hit rate against share of area</source>
      <translation>Taux de réussite selon la part de surface</translation>
    </message>
    <message>
      <source>One row per step of the curve: the cells taken so far, their share of the area, the hit rate.</source>
      <translation>Une ligne par palier de la courbe : les mailles prises jusque-là, leur part de la surface, le taux de réussite.</translation>
    </message>
    <message>
      <source>Forecast areas with their incidents</source>
      <translation>Zones prévues avec leurs incidents</translation>
    </message>
    <message>
      <source>The forecast areas with the incidents of the window, of the window before, and their rank.</source>
      <translation>Les zones prévues avec les incidents de la fenêtre, ceux de la fenêtre précédente, et leur rang.</translation>
    </message>
    <message>
      <source>Hit-rate chart (PNG)</source>
      <translation>Graphique du taux de réussite (PNG)</translation>
    </message>
    <message>
      <source>The curves of the forecast and the baseline as an image for a briefing.</source>
      <translation>Les courbes de la prévision et de la référence, en image pour un briefing.</translation>
    </message>
    <message>
      <source>Predicted areas (polygons)</source>
      <translation>Zones prévues (polygones)</translation>
    </message>
    <message>
      <source>The areas the forecast said to patrol, e.g. hot spot cells.</source>
      <translation>Les zones que la prévision désignait pour les patrouilles, par ex. des mailles de points chauds.</translation>
    </message>
    <message>
      <source>The routes patrols drove or walked, with their dates.</source>
      <translation>Les itinéraires parcourus par les patrouilles, motorisées ou à pied, avec leurs dates.</translation>
    </message>
    <message>
      <source>The day of each patrol.</source>
      <translation>Le jour de chaque patrouille.</translation>
    </message>
    <message>
      <source>An area counts as visited when a patrol passed within this distance of it, on the ground.</source>
      <translation>Une zone compte comme visitée quand une patrouille est passée à cette distance au plus, mesurée au sol.</translation>
    </message>
    <message>
      <source>Patrol reports (points)</source>
      <translation>Comptes rendus de patrouille (points)</translation>
    </message>
    <message>
      <source>What patrols reported where, with a date and whether it confirmed the threat.</source>
      <translation>Ce que les patrouilles ont signalé et où, avec une date et l'indication que la menace a été confirmée ou non.</translation>
    </message>
    <message>
      <source>Report date field</source>
      <translation>Champ de la date du compte rendu</translation>
    </message>
    <message>
      <source>The day of each report.</source>
      <translation>Le jour de chaque compte rendu.</translation>
    </message>
    <message>
      <source>Confirmed field (yes/no)</source>
      <translation>Champ de confirmation (oui/non)</translation>
    </message>
    <message>
      <source>Whether the report confirmed the threat: yes/no, true/false, oui/non or 1/0.</source>
      <translation>Si le compte rendu a confirmé la menace : oui/non, yes/no, true/false ou 1/0.</translation>
    </message>
    <message>
      <source>Counts the people living in predicted areas no patrol reached.</source>
      <translation>Compte la population des zones prévues qu'aucune patrouille n'a atteintes.</translation>
    </message>
    <message>
      <source>Predicted areas with patrol visits</source>
      <translation>Zones prévues avec visites de patrouille</translation>
    </message>
    <message>
      <source>Each area: visited and confirmed, visited, not confirmed, or not visited; days to first visit.</source>
      <translation>Chaque zone : visitée et confirmée, visitée non confirmée, ou non visitée ; jours avant la première visite.</translation>
    </message>
    <message>
      <source>Patrol validation summary</source>
      <translation>Synthèse de la validation par les patrouilles</translation>
    </message>
    <message>
      <source>How many predicted areas were visited, confirmed or never reached, and the people there.</source>
      <translation>Combien de zones prévues ont été visitées, confirmées ou jamais atteintes, et leur population.</translation>
    </message>
    <message>
      <source>Hit rate of the forecast (n/N)</source>
      <translation>Taux de réussite de la prévision (n/N)</translation>
    </message>
    <message>
      <source>Predictive Accuracy Index of the forecast</source>
      <translation>Indice de précision prédictive (PAI) de la prévision</translation>
    </message>
    <message>
      <source>Predictive Efficiency Index of the forecast</source>
      <translation>Indice d'efficacité prédictive (PEI) de la prévision</translation>
    </message>
    <message>
      <source>Recapture Rate Index of the forecast</source>
      <translation>Indice de recapture (RRI) de la prévision</translation>
    </message>
    <message>
      <source>Incidents outside the study area</source>
      <translation>Incidents hors de la zone d'étude</translation>
    </message>
    <message>
      <source>Share of incidents caught against share of area, {} to {}</source>
      <translation>Part des incidents saisis selon la part de surface, du {} au {}</translation>
    </message>
    <message>
      <source>Share of the study area covered by the forecast</source>
      <translation>Part de la zone d'étude couverte par la prévision</translation>
    </message>
    <message>
      <source>Share of incidents caught (hit rate)</source>
      <translation>Part des incidents saisis (taux de réussite)</translation>
    </message>
    <message>
      <source>Forecast</source>
      <translation>Prévision</translation>
    </message>
    <message>
      <source>Where it happened last time</source>
      <translation>Là où c'est arrivé la dernière fois</translation>
    </message>
    <message>
      <source>Baseline</source>
      <translation>Référence</translation>
    </message>
    <message>
      <source>{}: {} of {} incidents in {} of {} km²; hit rate {}, PAI {}, PEI {}, RRI {}</source>
      <translation>{} : {} incidents sur {} dans {} des {} km² ; taux de réussite {}, PAI {}, PEI {}, RRI {}</translation>
    </message>
    <message>
      <source>n/a</source>
      <translation>s.o.</translation>
    </message>
    <message>
      <source>Cell size (metres; 0 = chosen from the data)</source>
      <translation>Taille des mailles (mètres ; 0 = déterminée d'après les données)</translation>
    </message>
    <message>
      <source>The side of a square cell, or the width of a hexagon across its flat sides. With 0 the size is chosen from the data (about four cells per incident over the study area) and reported in the log.</source>
      <translation>Le côté d'une maille carrée, ou la largeur d'un hexagone entre ses côtés plats. Avec 0, la taille est déterminée d'après les données (environ quatre mailles par incident sur la zone d'étude) et indiquée dans le journal.</translation>
    </message>
    <message>
      <source>Neighbourhood distance (metres; 0 = chosen from the data)</source>
      <translation>Distance de voisinage (mètres ; 0 = déterminée d'après les données)</translation>
    </message>
    <message>
      <source>Cells (or features) closer than this are neighbours and are compared together. With 0 it is the distance at which incidents cluster most, reported in the log.</source>
      <translation>Les mailles (ou entités) plus proches que cette distance sont voisines et comparées ensemble. Avec 0, c'est la distance à laquelle les incidents se regroupent le plus, indiquée dans le journal.</translation>
    </message>
    <message>
      <source>Study area (empty: the area around all incidents)</source>
      <translation>Zone d'étude (vide : la zone englobant tous les incidents)</translation>
    </message>
    <message>
      <source>Polygons of the area to analyse, e.g. the area of operations. Cells inside with no incident count as zero; cells outside are left out. Empty: the smallest convex area holding every incident.</source>
      <translation>Polygones de la zone à analyser, par ex. la zone d'opérations. Les mailles intérieures sans incident comptent zéro ; les mailles extérieures sont écartées. Vide : la plus petite zone convexe contenant tous les incidents.</translation>
    </message>
    <message>
      <source>Correct for the many cells tested at once (false discovery rate)</source>
      <translation>Corriger pour le grand nombre de mailles testées à la fois (taux de fausses découvertes)</translation>
    </message>
    <message>
      <source>On (recommended): fewer cells are called hot or cold spots by chance alone. It changes only the confidence classes, never the z-scores or p-values.</source>
      <translation>Activé (recommandé) : moins de mailles sont déclarées points chauds ou froids par le seul effet du hasard. Seules les classes de confiance changent, jamais les scores z ni les valeurs p.</translation>
    </message>
    <message>
      <source>Incidents (points), or points or areas holding a value</source>
      <translation>Incidents (points), ou points ou zones portant une valeur</translation>
    </message>
    <message>
      <source>Incident points (an ACLED or UCDP import, mission reports) to count in grid cells, or points or areas that already hold a number, e.g. events per district, analysed as they are.</source>
      <translation>Points d'incidents (un import ACLED ou UCDP, des rapports de la mission) à compter par maille, ou points ou zones portant déjà un nombre, par ex. des événements par district, analysés tels quels.</translation>
    </message>
    <message>
      <source>Weight of each incident (e.g. fatalities; empty: each incident counts once)</source>
      <translation>Poids de chaque incident (par ex. le nombre de morts ; vide : chaque incident compte une fois)</translation>
    </message>
    <message>
      <source>With a grid only: each incident counts this much instead of 1. Empty values count as 0 and are reported in the log.</source>
      <translation>Avec une grille seulement : chaque incident compte pour cette valeur au lieu de 1. Les valeurs vides comptent 0 et sont signalées dans le journal.</translation>
    </message>
    <message>
      <source>Value of each feature, when analysed without a grid (e.g. events per district)</source>
      <translation>Valeur de chaque entité, pour une analyse sans grille (par ex. événements par district)</translation>
    </message>
    <message>
      <source>Required without a grid: the number of each point or area that is compared with its neighbours.</source>
      <translation>Obligatoire sans grille : le nombre de chaque point ou zone qui est comparé à ses voisins.</translation>
    </message>
    <message>
      <source>Squares</source>
      <translation>Carrés</translation>
    </message>
    <message>
      <source>Hexagons</source>
      <translation>Hexagones</translation>
    </message>
    <message>
      <source>No grid: analyse the features as they are</source>
      <translation>Sans grille : analyser les entités telles quelles</translation>
    </message>
    <message>
      <source>Squares or hexagons count the incidents in cells of the cell size. Without a grid each input feature is analysed with its value, as ArcGIS's Hot Spot Analysis does.</source>
      <translation>Les carrés ou les hexagones comptent les incidents dans des mailles de la taille choisie. Sans grille, chaque entité en entrée est analysée avec sa valeur, comme le fait l'outil Hot Spot Analysis d'ArcGIS.</translation>
    </message>
    <message>
      <source>Neighbours of a feature, when analysed without a grid</source>
      <translation>Voisins d'une entité, pour une analyse sans grille</translation>
    </message>
    <message>
      <source>Features within the neighbourhood distance</source>
      <translation>Entités situées dans la distance de voisinage</translation>
    </message>
    <message>
      <source>A fixed number of nearest features</source>
      <translation>Un nombre fixe d'entités les plus proches</translation>
    </message>
    <message>
      <source>Areas sharing a border or a corner</source>
      <translation>Zones partageant une limite ou un coin</translation>
    </message>
    <message>
      <source>Which features count as neighbours without a grid. Grids always use the neighbourhood distance.</source>
      <translation>Les entités qui comptent comme voisines sans grille. Les grilles utilisent toujours la distance de voisinage.</translation>
    </message>
    <message>
      <source>Number of nearest features</source>
      <translation>Nombre d'entités les plus proches</translation>
    </message>
    <message>
      <source>How many nearest features are neighbours, with a fixed number of nearest features.</source>
      <translation>Combien d'entités parmi les plus proches sont voisines, avec un nombre fixe d'entités les plus proches.</translation>
    </message>
    <message>
      <source>Hot spots</source>
      <translation>Points chauds</translation>
    </message>
    <message>
      <source>Cells or features with their hot or cold spot class (Gi_Bin), z-score and p-value.</source>
      <translation>Mailles ou entités avec leur classe de point chaud ou froid (Gi_Bin), leur score z et leur valeur p.</translation>
    </message>
    <message>
      <source>Incident points with a date, e.g. an ACLED or UCDP import.</source>
      <translation>Points d'incidents datés, par ex. un import ACLED ou UCDP.</translation>
    </message>
    <message>
      <source>The field holding each incident's date: a date, a date and time, or text such as 2026-10-31 or 31 October 2026.</source>
      <translation>Le champ portant la date de chaque incident : une date, une date et heure, ou un texte comme 2026-10-31 ou 31 October 2026.</translation>
    </message>
    <message>
      <source>Time step (e.g. 1 month, 2 weeks, 1 quarter)</source>
      <translation>Pas de temps (par ex. 1 month, 2 weeks, 1 quarter)</translation>
    </message>
    <message>
      <source>The length of each period incidents are counted in: days, weeks, months, quarters or years.</source>
      <translation>La durée de chaque période sur laquelle les incidents sont comptés : jours (days), semaines (weeks), mois (months), trimestres (quarters) ou années (years).</translation>
    </message>
    <message>
      <source>Period start (empty: the earliest incident)</source>
      <translation>Début de la période (vide : le premier incident)</translation>
    </message>
    <message>
      <source>The first day analysed, included.</source>
      <translation>Le premier jour analysé, inclus.</translation>
    </message>
    <message>
      <source>Period end (empty: the latest incident)</source>
      <translation>Fin de la période (vide : le dernier incident)</translation>
    </message>
    <message>
      <source>The last day analysed, included.</source>
      <translation>Le dernier jour analysé, inclus.</translation>
    </message>
    <message>
      <source>The shape of the cells incidents are counted in.</source>
      <translation>La forme des mailles dans lesquelles les incidents sont comptés.</translation>
    </message>
    <message>
      <source>Earlier time steps compared with each step</source>
      <translation>Pas de temps antérieurs comparés à chaque pas</translation>
    </message>
    <message>
      <source>How many preceding time steps of the neighbouring cells count as neighbours of a cell's step (0: each step on its own).</source>
      <translation>Combien de pas de temps précédents des mailles voisines comptent comme voisins du pas d'une maille (0 : chaque pas seul).</translation>
    </message>
    <message>
      <source>Emerging hot spots</source>
      <translation>Points chauds émergents</translation>
    </message>
    <message>
      <source>Grid cells with their trend category (new, intensifying, persistent... hot or cold spot).</source>
      <translation>Mailles avec leur catégorie de tendance (point chaud ou froid nouveau, en intensification, persistant...).</translation>
    </message>
    <message>
      <source>Space-time cube (cell, step, count, z, p, bin)</source>
      <translation>Cube spatio-temporel (maille, pas, nombre, z, p, classe)</translation>
    </message>
    <message>
      <source>One row per cell and time step: count, z-score, p-value and hot or cold spot class.</source>
      <translation>Une ligne par maille et par pas de temps : nombre, score z, valeur p et classe de point chaud ou froid.</translation>
    </message>
    <message>
      <source>Cell size used (metres)</source>
      <translation>Taille des mailles utilisée (mètres)</translation>
    </message>
    <message>
      <source>Distance band used (metres)</source>
      <translation>Distance de voisinage utilisée (mètres)</translation>
    </message>
    <message>
      <source>Hot spots (Getis-Ord Gi*)</source>
      <translation>Points chauds (Getis-Ord Gi*)</translation>
    </message>
    <message>
      <source>Import incidents (ACLED, UCDP, CSV, GeoJSON)</source>
      <translation>Importer des incidents (ACLED, UCDP, CSV, GeoJSON)</translation>
    </message>
    <message>
      <source>Incident export (CSV or GeoJSON)</source>
      <translation>Export d'incidents (CSV ou GeoJSON)</translation>
    </message>
    <message>
      <source>The file downloaded from ACLED, HDX or UCDP, or any table of incidents with coordinates.</source>
      <translation>Le fichier téléchargé depuis ACLED, HDX ou UCDP, ou tout tableau d'incidents avec coordonnées.</translation>
    </message>
    <message>
      <source>Format of the export</source>
      <translation>Format de l'export</translation>
    </message>
    <message>
      <source>Recognise it from the columns</source>
      <translation>Le reconnaître d'après les colonnes</translation>
    </message>
    <message>
      <source>ACLED (also HDX with HXL tags)</source>
      <translation>ACLED (y compris HDX avec balises HXL)</translation>
    </message>
    <message>
      <source>UCDP GED</source>
      <translation>UCDP GED</translation>
    </message>
    <message>
      <source>Other table (columns named below or found by their names)</source>
      <translation>Autre tableau (colonnes indiquées ci-dessous ou reconnues par leur nom)</translation>
    </message>
    <message>
      <source>Leave it to be recognised unless the log says the format was not recognised.</source>
      <translation>Laisser la reconnaissance automatique, sauf si le journal indique que le format n'a pas été reconnu.</translation>
    </message>
    <message>
      <source>Latitude column (other tables; empty: found by its name)</source>
      <translation>Colonne de latitude (autres tableaux ; vide : reconnue par son nom)</translation>
    </message>
    <message>
      <source>The column of latitudes in decimal degrees, e.g. lat or latitude.</source>
      <translation>La colonne des latitudes en degrés décimaux, par ex. lat ou latitude.</translation>
    </message>
    <message>
      <source>Longitude column (other tables; empty: found by its name)</source>
      <translation>Colonne de longitude (autres tableaux ; vide : reconnue par son nom)</translation>
    </message>
    <message>
      <source>The column of longitudes in decimal degrees, e.g. lon or longitude.</source>
      <translation>La colonne des longitudes en degrés décimaux, par ex. lon ou longitude.</translation>
    </message>
    <message>
      <source>Date column (other tables; empty: found by its name)</source>
      <translation>Colonne de date (autres tableaux ; vide : reconnue par son nom)</translation>
    </message>
    <message>
      <source>The column of incident dates, e.g. 2026-10-31 or 31 October 2026.</source>
      <translation>La colonne des dates des incidents, par ex. 2026-10-31 ou 31 October 2026.</translation>
    </message>
    <message>
      <source>Event identifier column (finds duplicates; empty: found by its name)</source>
      <translation>Colonne d'identifiant d'événement (repère les doublons ; vide : reconnue par son nom)</translation>
    </message>
    <message>
      <source>Rows with the same identifier are imported once; the others are listed as duplicates.</source>
      <translation>Les lignes de même identifiant sont importées une seule fois ; les autres sont listées comme doublons.</translation>
    </message>
    <message>
      <source>Latest plausible incident date (empty: a year from today)</source>
      <translation>Date d'incident plausible la plus tardive (vide : dans un an)</translation>
    </message>
    <message>
      <source>Rows dated after this day are refused as implausible and listed in the rejected rows.</source>
      <translation>Les lignes datées après ce jour sont refusées comme invraisemblables et listées parmi les lignes rejetées.</translation>
    </message>
    <message>
      <source>Incidents</source>
      <translation>Incidents</translation>
    </message>
    <message>
      <source>One point per accepted incident, with its date, type, fatalities, actors and place.</source>
      <translation>Un point par incident accepté, avec sa date, son type, le nombre de morts, les acteurs et le lieu.</translation>
    </message>
    <message>
      <source>Rejected rows</source>
      <translation>Lignes rejetées</translation>
    </message>
    <message>
      <source>One row per refused line of the file, with the reason in words.</source>
      <translation>Une ligne par ligne refusée du fichier, avec la raison en clair.</translation>
    </message>
    <message>
      <source>Incidents accepted</source>
      <translation>Incidents acceptés</translation>
    </message>
    <message>
      <source>Rows rejected</source>
      <translation>Lignes rejetées</translation>
    </message>
    <message>
      <source>Data lines read (GeoJSON: features)</source>
      <translation>Lignes de données lues (GeoJSON : entités)</translation>
    </message>
    <message>
      <source>Blank lines</source>
      <translation>Lignes vides</translation>
    </message>
    <message>
      <source>Format read</source>
      <translation>Format lu</translation>
    </message>
    <message>
      <source>Encoding read</source>
      <translation>Encodage lu</translation>
    </message>
    <message>
      <source>  rejected {}</source>
      <translation>  refusé : {}</translation>
    </message>
    <message>
      <source>  … and {} more: see the REJECTED table.</source>
      <translation>  … et {} de plus : voir la table REJECTED.</translation>
    </message>
    <message>
      <source>Incident density (kernel density)</source>
      <translation>Densité des incidents (densité par noyau)</translation>
    </message>
    <message>
      <source>Incident points, e.g. an ACLED or UCDP import.</source>
      <translation>Points d'incidents, par ex. un import ACLED ou UCDP.</translation>
    </message>
    <message>
      <source>Radius (metres)</source>
      <translation>Rayon (mètres)</translation>
    </message>
    <message>
      <source>How far each incident spreads: a larger radius gives a smoother map of broad areas, a smaller one shows local clusters.</source>
      <translation>Jusqu'où chaque incident s'étend : un rayon plus grand donne une carte plus lisse de vastes zones, un plus petit fait ressortir les concentrations locales.</translation>
    </message>
    <message>
      <source>Pixel size (metres)</source>
      <translation>Taille des pixels (mètres)</translation>
    </message>
    <message>
      <source>The side of a pixel of the output raster. Smaller pixels give a finer but larger file.</source>
      <translation>Le côté d'un pixel du raster produit. Des pixels plus petits donnent un fichier plus fin mais plus lourd.</translation>
    </message>
    <message>
      <source>Kernel shape</source>
      <translation>Forme du noyau</translation>
    </message>
    <message>
      <source>Quartic</source>
      <translation>Quartique</translation>
    </message>
    <message>
      <source>Triangular</source>
      <translation>Triangulaire</translation>
    </message>
    <message>
      <source>Uniform</source>
      <translation>Uniforme</translation>
    </message>
    <message>
      <source>Triweight</source>
      <translation>Triweight</translation>
    </message>
    <message>
      <source>Epanechnikov</source>
      <translation>Epanechnikov</translation>
    </message>
    <message>
      <source>How an incident's weight falls off with distance, as in QGIS's Heatmap. Quartic suits most uses.</source>
      <translation>Comment le poids d'un incident décroît avec la distance, comme dans la carte de chaleur de QGIS. Le noyau quartique convient à la plupart des usages.</translation>
    </message>
    <message>
      <source>Decay ratio (triangular kernel only)</source>
      <translation>Taux de décroissance (noyau triangulaire seulement)</translation>
    </message>
    <message>
      <source>The weight at the edge of the radius relative to the centre, for the triangular kernel.</source>
      <translation>Le poids au bord du rayon par rapport au centre, pour le noyau triangulaire.</translation>
    </message>
    <message>
      <source>Weight of each incident (e.g. fatalities; empty: each counts once)</source>
      <translation>Poids de chaque incident (par ex. le nombre de morts ; vide : chacun compte une fois)</translation>
    </message>
    <message>
      <source>Each incident counts this much instead of 1. Empty or negative values are reported in the log.</source>
      <translation>Chaque incident compte pour cette valeur au lieu de 1. Les valeurs vides ou négatives sont signalées dans le journal.</translation>
    </message>
    <message>
      <source>Values of the map</source>
      <translation>Valeurs de la carte</translation>
    </message>
    <message>
      <source>Raw kernel sums</source>
      <translation>Sommes brutes des noyaux</translation>
    </message>
    <message>
      <source>Scaled as QGIS's Heatmap</source>
      <translation>À l'échelle de la carte de chaleur de QGIS</translation>
    </message>
    <message>
      <source>Incidents per square kilometre</source>
      <translation>Incidents par kilomètre carré</translation>
    </message>
    <message>
      <source>Incidents per square kilometre can be read and compared between maps; the other two match QGIS's Heatmap.</source>
      <translation>Les incidents par kilomètre carré se lisent et se comparent d'une carte à l'autre ; les deux autres correspondent à la carte de chaleur de QGIS.</translation>
    </message>
    <message>
      <source>Computation</source>
      <translation>Calcul</translation>
    </message>
    <message>
      <source>Fast (binning and FFT)</source>
      <translation>Rapide (regroupement et FFT)</translation>
    </message>
    <message>
      <source>Exact (every kernel summed)</source>
      <translation>Exact (somme de chaque noyau)</translation>
    </message>
    <message>
      <source>Fast is within 0.05 % of exact for quartic and triweight kernels and much quicker on many points.</source>
      <translation>Le calcul rapide est à moins de 0,05 % du calcul exact pour les noyaux quartique et triweight, et bien plus rapide sur de nombreux points.</translation>
    </message>
    <message>
      <source>Incident date field (to keep one period only)</source>
      <translation>Champ de la date de l'incident (pour ne garder qu'une période)</translation>
    </message>
    <message>
      <source>Needed with a period start or end: the field holding each incident's date.</source>
      <translation>Nécessaire avec un début ou une fin de période : le champ portant la date de chaque incident.</translation>
    </message>
    <message>
      <source>Period start</source>
      <translation>Début de la période</translation>
    </message>
    <message>
      <source>The first day counted, included.</source>
      <translation>Le premier jour compté, inclus.</translation>
    </message>
    <message>
      <source>Period end</source>
      <translation>Fin de la période</translation>
    </message>
    <message>
      <source>The last day counted, included.</source>
      <translation>Le dernier jour compté, inclus.</translation>
    </message>
    <message>
      <source>Incident density</source>
      <translation>Densité des incidents</translation>
    </message>
    <message>
      <source>A GeoTIFF raster of incident density, styled from light to dark.</source>
      <translation>Un raster GeoTIFF de la densité des incidents, symbolisé du clair au foncé.</translation>
    </message>
    <message>
      <source>Read {} points in {} s.</source>
      <translation>{} points lus en {} s.</translation>
    </message>
    <message>
      <source>{} of {} incidents dated within the period {} – {} (field {}).</source>
      <translation>{} des {} incidents sont datés dans la période {} – {} (champ {}).</translation>
    </message>
    <message>
      <source>The layer's CRS is not true to scale: the density is computed in {}.</source>
      <translation>Le SCR de la couche ne respecte pas les distances : la densité est calculée dans {}.</translation>
    </message>
    <message>
      <source>{} incidents, grid {} × {} pixels of {} m, method {} (lattice refinement {}), maximum {}, computed and written in {} s.</source>
      <translation>{} incidents, grille de {} × {} pixels de {} m, méthode {} (raffinement du réseau {}), maximum {}, calculée et écrite en {} s.</translation>
    </message>
    <message>
      <source>GeoTIFF files</source>
      <translation>Fichiers GeoTIFF</translation>
    </message>
    <message>
      <source>Patrol dates counted up to {}.</source>
      <translation>Dates de patrouille comptées jusqu'au {}.</translation>
    </message>
    <message>
      <source>visited and confirmed</source>
      <translation>visitée et confirmée</translation>
    </message>
    <message>
      <source>visited, not confirmed</source>
      <translation>visitée, non confirmée</translation>
    </message>
    <message>
      <source>not visited</source>
      <translation>non visitée</translation>
    </message>
    <message>
      <source>visited (all)</source>
      <translation>visitée (toutes)</translation>
    </message>
    <message>
      <source>total</source>
      <translation>total</translation>
    </message>
    <message>
      <source>Patrol validation of a forecast</source>
      <translation>Validation d'une prévision par les patrouilles</translation>
    </message>
    <message>
      <source>Share of predicted areas visited</source>
      <translation>Part des zones prévues visitées</translation>
    </message>
    <message>
      <source>People in areas never visited</source>
      <translation>Population des zones jamais visitées</translation>
    </message>
    <message>
      <source>{} report(s) say neither yes nor no in '{}': they do not confirm.</source>
      <translation>{} rapport(s) ne disent ni oui ni non dans '{}' : ils ne confirment pas.</translation>
    </message>
    <message>
      <source>{}: {} area(s)</source>
      <translation>{} : {} zone(s)</translation>
    </message>
    <message>
      <source>Early-warning register annex (PDF)</source>
      <translation>Annexe du registre d'alerte précoce (PDF)</translation>
    </message>
    <message>
      <source>Early-warning register (the mission's GeoPackage holding it)</source>
      <translation>Registre d'alerte précoce (le GeoPackage de la mission qui le contient)</translation>
    </message>
    <message>
      <source>The GeoPackage the mission dock's Warnings tab keeps the warnings in.</source>
      <translation>Le GeoPackage dans lequel l'onglet Alertes du panneau de mission enregistre les alertes.</translation>
    </message>
    <message>
      <source>Incidents (to see whether incidents followed the warnings)</source>
      <translation>Incidents (pour voir si des incidents ont suivi les alertes)</translation>
    </message>
    <message>
      <source>Incident points with a date; leave empty for response times only.</source>
      <translation>Points d'incidents datés ; laisser vide pour les seuls délais de réaction.</translation>
    </message>
    <message>
      <source>The field holding each incident's date; needed with an incidents layer.</source>
      <translation>Le champ qui porte la date de chaque incident ; obligatoire avec une couche d'incidents.</translation>
    </message>
    <message>
      <source>Days after a warning in which incidents count as having followed it</source>
      <translation>Jours après une alerte pendant lesquels un incident compte comme l'ayant suivie</translation>
    </message>
    <message>
      <source>Incidents inside the warned area from the day after issue to this many days after.</source>
      <translation>Incidents dans la zone d'alerte, du lendemain de l'émission jusqu'à ce nombre de jours après.</translation>
    </message>
    <message>
      <source>A warning without action is overdue after (days)</source>
      <translation>Une alerte sans mesure est en retard après (jours)</translation>
    </message>
    <message>
      <source>Open warnings without action issued longer ago than this are marked overdue.</source>
      <translation>Les alertes ouvertes sans mesure émises depuis plus longtemps sont signalées en retard.</translation>
    </message>
    <message>
      <source>The annex's title, on the map page and above the table.</source>
      <translation>Le titre de l'annexe, sur la page de carte et au-dessus du tableau.</translation>
    </message>
    <message>
      <source>Annex (PDF)</source>
      <translation>Annexe (PDF)</translation>
    </message>
    <message>
      <source>The PDF: a map of the warned areas, then the table of warnings.</source>
      <translation>Le PDF : une carte des zones d'alerte, puis le tableau des alertes.</translation>
    </message>
    <message>
      <source>Warnings in the register</source>
      <translation>Alertes du registre</translation>
    </message>
    <message>
      <source>Open warnings</source>
      <translation>Alertes ouvertes</translation>
    </message>
    <message>
      <source>Overdue warnings</source>
      <translation>Alertes en retard</translation>
    </message>
    <message>
      <source>Median response time (days)</source>
      <translation>Délai de réaction médian (jours)</translation>
    </message>
    <message>
      <source>Early-warning register: {}</source>
      <translation>Registre d'alerte précoce : {}</translation>
    </message>
    <message>
      <source>; incidents: {}, window {} days</source>
      <translation> ; incidents : {}, fenêtre de {} jours</translation>
    </message>
    <message>
      <source>Early warnings</source>
      <translation>Alertes précoces</translation>
    </message>
    <message>
      <source>Register as of {} UTC</source>
      <translation>Registre au {} UTC</translation>
    </message>
    <message>
      <source>Early-warning annex written: {} ({} page(s), {} warnings)</source>
      <translation>Annexe d'alerte précoce écrite : {} ({} page(s), {} alertes)</translation>
    </message>
  </context>
  <context>
    <name>EarlyWarning</name>
    <message>
      <source>drought (VCI {vci})</source>
      <translation>sécheresse (VCI {vci})</translation>
    </message>
    <message>
      <source>VCI fell {points} points</source>
      <translation>le VCI a perdu {points} points</translation>
    </message>
    <message>
      <source>{people} people</source>
      <translation>{people} habitants</translation>
    </message>
    <message>
      <source>no patrol on record</source>
      <translation>aucune patrouille connue</translation>
    </message>
    <message>
      <source>no patrol for {days} days</source>
      <translation>aucune patrouille depuis {days} jours</translation>
    </message>
    <message>
      <source>no warning sign</source>
      <translation>aucun signe d'alerte</translation>
    </message>
    <message>
      <source>new hot spot</source>
      <translation>nouveau point chaud</translation>
    </message>
    <message>
      <source>consecutive hot spot</source>
      <translation>point chaud consécutif</translation>
    </message>
    <message>
      <source>intensifying hot spot</source>
      <translation>point chaud en intensification</translation>
    </message>
    <message>
      <source>persistent hot spot</source>
      <translation>point chaud persistant</translation>
    </message>
    <message>
      <source>diminishing hot spot</source>
      <translation>point chaud en diminution</translation>
    </message>
    <message>
      <source>sporadic hot spot</source>
      <translation>point chaud sporadique</translation>
    </message>
    <message>
      <source>oscillating hot spot</source>
      <translation>point chaud oscillant</translation>
    </message>
    <message>
      <source>historical hot spot</source>
      <translation>point chaud historique</translation>
    </message>
  </context>
  <context>
    <name>MissionDock</name>
    <message>
      <source>Import incidents</source>
      <translation>Importer les incidents</translation>
    </message>
    <message>
      <source>Incident density</source>
      <translation>Densité des incidents</translation>
    </message>
    <message>
      <source>Hot spots (Gi*)</source>
      <translation>Points chauds (Gi*)</translation>
    </message>
    <message>
      <source>Emerging hot spots</source>
      <translation>Points chauds émergents</translation>
    </message>
    <message>
      <source>Drought index (VCI)</source>
      <translation>Indice de sécheresse (VCI)</translation>
    </message>
    <message>
      <source>Drought change</source>
      <translation>Évolution de la sécheresse</translation>
    </message>
    <message>
      <source>Patrol coverage</source>
      <translation>Couverture des patrouilles</translation>
    </message>
    <message>
      <source>Coverage gaps</source>
      <translation>Lacunes de couverture</translation>
    </message>
    <message>
      <source>Briefing map</source>
      <translation>Carte de briefing</translation>
    </message>
    <message>
      <source>Early-warning annex</source>
      <translation>Annexe d'alerte précoce</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>avertissement</translation>
    </message>
    <message>
      <source>ERROR</source>
      <translation>ERREUR</translation>
    </message>
    <message>
      <source>note</source>
      <translation>remarque</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>Alertes</translation>
    </message>
    <message>
      <source>Open a mission package…</source>
      <translation>Ouvrir un paquet de mission…</translation>
    </message>
    <message>
      <source>Mission package folder</source>
      <translation>Dossier du paquet de mission</translation>
    </message>
    <message>
      <source>Mission package GeoPackage</source>
      <translation>GeoPackage du paquet de mission</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <source>Checking mission package {}</source>
      <translation>Vérification du paquet de mission {}</translation>
    </message>
    <message>
      <source>Mission Early Warning</source>
      <translation>Mission Early Warning</translation>
    </message>
    <message>
      <source>The check of {} failed ({}): see the log for the details.</source>
      <translation>La vérification de {} a échoué ({}) : voir le journal pour les détails.</translation>
    </message>
    <message>
      <source>The check of {} was cancelled: use 'Check again' or 'Load as is'.</source>
      <translation>La vérification de {} a été annulée : utiliser « Vérifier à nouveau » ou « Charger tel quel ».</translation>
    </message>
    <message>
      <source>{} has {} error(s): fix them or use 'Load as is'.</source>
      <translation>{} comporte {} erreur(s) : les corriger ou utiliser « Charger tel quel ».</translation>
    </message>
    <message>
      <source>No mission package open.</source>
      <translation>Aucun paquet de mission ouvert.</translation>
    </message>
    <message>
      <source>The package is not checked yet.</source>
      <translation>Le paquet n'est pas encore vérifié.</translation>
    </message>
    <message>
      <source>Fix the errors listed first, or use 'Load as is'.</source>
      <translation>Corriger d'abord les erreurs listées, ou utiliser « Charger tel quel ».</translation>
    </message>
    <message>
      <source>Load every layer</source>
      <translation>Charger toutes les couches</translation>
    </message>
    <message>
      <source>(no classification given)</source>
      <translation>(aucune classification indiquée)</translation>
    </message>
    <message>
      <source>{} ({}): {} — double-click to load this layer alone</source>
      <translation>{} ({}) : {} — double-cliquer pour charger cette couche seule</translation>
    </message>
    <message>
      <source>package</source>
      <translation>paquet</translation>
    </message>
    <message>
      <source>{}
What to do: {}</source>
      <translation>{}
Que faire : {}</translation>
    </message>
    <message>
      <source>Checking {}…</source>
      <translation>Vérification de {}…</translation>
    </message>
    <message>
      <source>Not checked.</source>
      <translation>Non vérifié.</translation>
    </message>
    <message>
      <source>{} error(s), {} warning(s).</source>
      <translation>{} erreur(s), {} avertissement(s).</translation>
    </message>
    <message>
      <source>checking…</source>
      <translation>vérification…</translation>
    </message>
    <message>
      <source>not checked</source>
      <translation>non vérifiée</translation>
    </message>
    <message>
      <source>OK (not loaded)</source>
      <translation>OK (non chargée)</translation>
    </message>
    <message>
      <source>Save validation report</source>
      <translation>Enregistrer le rapport de validation</translation>
    </message>
    <message>
      <source>HTML (*.html);;Text (*.txt)</source>
      <translation>HTML (*.html);;Texte (*.txt)</translation>
    </message>
    <message>
      <source>Report not saved: '{}' is a file of the mission package ({}), which is never overwritten. Choose another name or folder for the report.</source>
      <translation>Rapport non enregistré : « {} » est un fichier du paquet de mission ({}), qui n'est jamais écrasé. Choisir un autre nom ou un autre dossier pour le rapport.</translation>
    </message>
    <message>
      <source>Validation report saved to {}</source>
      <translation>Rapport de validation enregistré dans {}</translation>
    </message>
    <message>
      <source>Loaded {} layer(s) of {}.</source>
      <translation>{} couche(s) de {} chargée(s).</translation>
    </message>
    <message>
      <source>{} is already loaded: nothing added.</source>
      <translation>{} est déjà chargé : rien n'a été ajouté.</translation>
    </message>
    <message>
      <source>Not loaded: {}.</source>
      <translation>Non chargées : {}.</translation>
    </message>
    <message>
      <source>Loaded {}.</source>
      <translation>{} chargée.</translation>
    </message>
    <message>
      <source>{} is still being checked: load it once the check ends.</source>
      <translation>{} est encore en cours de vérification : le charger une fois la vérification terminée.</translation>
    </message>
    <message>
      <source>{} is not available: the Mission Early Warning provider does not offer it (see the log for a missing dependency).</source>
      <translation>{} n'est pas disponible : le fournisseur Mission Early Warning ne le propose pas (voir le journal pour une dépendance manquante).</translation>
    </message>
    <message>
      <source>Open a mission package first.</source>
      <translation>Ouvrir d'abord un paquet de mission.</translation>
    </message>
    <message>
      <source>Open {} with this mission's layers filled in, once the incidents are imported: run Import incidents first.</source>
      <translation>Ouvrir {} avec les couches de cette mission déjà renseignées, une fois les incidents importés : lancer d'abord Importer les incidents.</translation>
    </message>
    <message>
      <source>Open {} with this mission's layers filled in.</source>
      <translation>Ouvrir {} avec les couches de cette mission déjà renseignées.</translation>
    </message>
    <message>
      <source>{} needs the imported incidents: the package's incident table is not imported yet, and its rows with impossible or swapped coordinates or unreadable dates would be analysed too. Run Import incidents first; {} then takes the imported layer.</source>
      <translation>{} a besoin des incidents importés : la table des incidents du paquet n'est pas encore importée, et ses lignes aux coordonnées impossibles ou inversées ou aux dates illisibles seraient analysées elles aussi. Lancer d'abord Importer les incidents ; {} prendra ensuite la couche importée.</translation>
    </message>
    <message>
      <source>{} is not available.</source>
      <translation>{} n'est pas disponible.</translation>
    </message>
    <message>
      <source>The outputs folder {} cannot be created ({}): choose where each output goes.</source>
      <translation>Le dossier des résultats {} ne peut pas être créé ({}) : choisir l'emplacement de chaque résultat.</translation>
    </message>
    <message>
      <source>The next analyses use {} as the mission's {}.</source>
      <translation>Les prochaines analyses utilisent {} comme {} de la mission.</translation>
    </message>
    <message>
      <source>{} saved as {}.</source>
      <translation>{} enregistré sous {}.</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>Ouvrir</translation>
    </message>
    <message>
      <source>Cannot open {} as a map layer.</source>
      <translation>Impossible d'ouvrir {} comme couche de la carte.</translation>
    </message>
    <message>
      <source>Recent mission packages</source>
      <translation>Paquets de mission récents</translation>
    </message>
    <message>
      <source>Folder…</source>
      <translation>Dossier…</translation>
    </message>
    <message>
      <source>Open a mission package folder (holding manifest.json)</source>
      <translation>Ouvrir le dossier d'un paquet de mission (contenant manifest.json)</translation>
    </message>
    <message>
      <source>GeoPackage…</source>
      <translation>GeoPackage…</translation>
    </message>
    <message>
      <source>Open a mission package GeoPackage (manifest in its mew_manifest table)</source>
      <translation>Ouvrir le GeoPackage d'un paquet de mission (manifeste dans sa table mew_manifest)</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>Couches</translation>
    </message>
    <message>
      <source>Layer</source>
      <translation>Couche</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>Rôle</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>État</translation>
    </message>
    <message>
      <source>Severity</source>
      <translation>Gravité</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>Problème</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>Vérifier à nouveau</translation>
    </message>
    <message>
      <source>Read the manifest and check every layer again</source>
      <translation>Relire le manifeste et vérifier à nouveau chaque couche</translation>
    </message>
    <message>
      <source>Save report…</source>
      <translation>Enregistrer le rapport…</translation>
    </message>
    <message>
      <source>Save the validation report as HTML or text</source>
      <translation>Enregistrer le rapport de validation en HTML ou en texte</translation>
    </message>
    <message>
      <source>Load as is</source>
      <translation>Charger tel quel</translation>
    </message>
    <message>
      <source>Load the layers that can be opened despite the errors listed</source>
      <translation>Charger les couches qui peuvent être ouvertes malgré les erreurs listées</translation>
    </message>
    <message>
      <source>Load mission</source>
      <translation>Charger la mission</translation>
    </message>
    <message>
      <source>Analyses</source>
      <translation>Analyses</translation>
    </message>
    <message>
      <source>Run on this mission</source>
      <translation>Lancer sur cette mission</translation>
    </message>
    <message>
      <source>Outputs of this session</source>
      <translation>Résultats de cette séance</translation>
    </message>
    <message>
      <source>Add to map</source>
      <translation>Ajouter à la carte</translation>
    </message>
    <message>
      <source>Checking every layer of the mission package</source>
      <translation>Vérification de chaque couche du paquet de mission</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>Annuler</translation>
    </message>
    <message>
      <source>Stop checking the package (check it again later with 'Check again')</source>
      <translation>Arrêter la vérification du paquet (le vérifier plus tard avec « Vérifier à nouveau »)</translation>
    </message>
  </context>
  <context>
    <name>WarningsTab</name>
    <message>
      <source>open</source>
      <translation>ouverte</translation>
    </message>
    <message>
      <source>actioned</source>
      <translation>traitée</translation>
    </message>
    <message>
      <source>closed</source>
      <translation>close</translation>
    </message>
    <message>
      <source>low</source>
      <translation>faible</translation>
    </message>
    <message>
      <source>medium</source>
      <translation>moyenne</translation>
    </message>
    <message>
      <source>high</source>
      <translation>élevée</translation>
    </message>
    <message>
      <source>status</source>
      <translation>statut</translation>
    </message>
    <message>
      <source>threat</source>
      <translation>menace</translation>
    </message>
    <message>
      <source>source layer</source>
      <translation>couche source</translation>
    </message>
    <message>
      <source>source analysis</source>
      <translation>analyse source</translation>
    </message>
    <message>
      <source>source provenance</source>
      <translation>provenance de la source</translation>
    </message>
    <message>
      <source>confidence</source>
      <translation>confiance</translation>
    </message>
    <message>
      <source>recommended action</source>
      <translation>action recommandée</translation>
    </message>
    <message>
      <source>responsible unit</source>
      <translation>unité responsable</translation>
    </message>
    <message>
      <source>action taken</source>
      <translation>action menée</translation>
    </message>
    <message>
      <source>action date</source>
      <translation>date de l'action</translation>
    </message>
    <message>
      <source>outcome</source>
      <translation>résultat</translation>
    </message>
    <message>
      <source>All warnings</source>
      <translation>Toutes les alertes</translation>
    </message>
    <message>
      <source>Open warnings</source>
      <translation>Alertes ouvertes</translation>
    </message>
    <message>
      <source>Overdue warnings</source>
      <translation>Alertes en retard</translation>
    </message>
    <message>
      <source>Incident hot spot</source>
      <translation>Point chaud d'incidents</translation>
    </message>
    <message>
      <source>Emerging incident hot spot</source>
      <translation>Point chaud d'incidents émergent</translation>
    </message>
    <message>
      <source>Incident concentration</source>
      <translation>Concentration d'incidents</translation>
    </message>
    <message>
      <source>Patrol coverage gap</source>
      <translation>Lacune de couverture des patrouilles</translation>
    </message>
    <message>
      <source>New drought (pressure on water and pasture)</source>
      <translation>Nouvelle sécheresse (pression sur l'eau et les pâturages)</translation>
    </message>
    <message>
      <source>Drought (pressure on water and pasture)</source>
      <translation>Sécheresse (pression sur l'eau et les pâturages)</translation>
    </message>
    <message>
      <source>Other threat</source>
      <translation>Autre menace</translation>
    </message>
    <message>
      <source>Open a mission package to keep its warnings.</source>
      <translation>Ouvrez un paquet de mission pour en tenir les alertes.</translation>
    </message>
    <message>
      <source>Register: {}</source>
      <translation>Registre : {}</translation>
    </message>
    <message>
      <source>Choose a polygon layer made by an analysis.</source>
      <translation>Choisissez une couche de polygones produite par une analyse.</translation>
    </message>
    <message>
      <source>{} feature(s) selected on {}</source>
      <translation>{} entité(s) sélectionnée(s) sur {}</translation>
    </message>
    <message>
      <source>Select the features to warn about first.</source>
      <translation>Sélectionnez d'abord les entités qui font l'objet de l'alerte.</translation>
    </message>
    <message>
      <source>Warning {} issued.</source>
      <translation>Alerte {} émise.</translation>
    </message>
    <message>
      <source>{} (overdue)</source>
      <translation>{} (en retard)</translation>
    </message>
    <message>
      <source>Issued {} from {}</source>
      <translation>Émise le {} à partir de {}</translation>
    </message>
    <message>
      <source>{} {}: {} → {}</source>
      <translation>{} {} : {} → {}</translation>
    </message>
    <message>
      <source>{} (by {})</source>
      <translation>{} (par {})</translation>
    </message>
    <message>
      <source>Warning {} saved.</source>
      <translation>Alerte {} enregistrée.</translation>
    </message>
    <message>
      <source>Issue a warning from the selected features</source>
      <translation>Émettre une alerte à partir des entités sélectionnées</translation>
    </message>
    <message>
      <source>Source layer</source>
      <translation>Couche source</translation>
    </message>
    <message>
      <source>Threat</source>
      <translation>Menace</translation>
    </message>
    <message>
      <source>What the area is at risk of; guessed from the analysis that made the layer</source>
      <translation>Ce qui menace la zone ; déduit de l'analyse qui a produit la couche</translation>
    </message>
    <message>
      <source>Confidence</source>
      <translation>Confiance</translation>
    </message>
    <message>
      <source>Recommended action</source>
      <translation>Mesure recommandée</translation>
    </message>
    <message>
      <source>Responsible unit</source>
      <translation>Unité responsable</translation>
    </message>
    <message>
      <source>Issue warning</source>
      <translation>Émettre l'alerte</translation>
    </message>
    <message>
      <source>Record a warning over the union of the selected features, with the layer's provenance</source>
      <translation>Enregistrer une alerte sur l'union des entités sélectionnées, avec la provenance de la couche</translation>
    </message>
    <message>
      <source>overdue after</source>
      <translation>en retard après</translation>
    </message>
    <message>
      <source> days</source>
      <translation> jours</translation>
    </message>
    <message>
      <source>An open warning without action is overdue after this many days</source>
      <translation>Une alerte ouverte sans mesure est en retard après ce nombre de jours</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>Alerte</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Statut</translation>
    </message>
    <message>
      <source>Response (days)</source>
      <translation>Réaction (jours)</translation>
    </message>
    <message>
      <source>Selected warning</source>
      <translation>Alerte sélectionnée</translation>
    </message>
    <message>
      <source>Action taken</source>
      <translation>Mesure prise</translation>
    </message>
    <message>
      <source>Action date</source>
      <translation>Date de la mesure</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>Résultat</translation>
    </message>
    <message>
      <source>Save changes</source>
      <translation>Enregistrer les modifications</translation>
    </message>
    <message>
      <source>Record the changes; each one goes into the warning's history</source>
      <translation>Enregistrer les modifications ; chacune entre dans l'historique de l'alerte</translation>
    </message>
    <message>
      <source>Every change of the selected warning, oldest first</source>
      <translation>Toutes les modifications de l'alerte sélectionnée, de la plus ancienne à la plus récente</translation>
    </message>
  </context>
</TS>
