"""Texts of the briefing pack that the dashboard's catalogue does not have (French and English).

The dashboard's own texts (``layouts.i18n.t``) are reused wherever a key exists; only what is
particular to a printed or offline pack is here, so the page catalogue is left untouched.
"""

from __future__ import annotations

from layouts.i18n import lang_or_default, t

TEXTS: dict[str, dict[str, str]] = {
    "pack_title": {
        "fr": "Note de briefing — Cluster Protection Mali",
        "en": "Briefing pack — Mali Protection Cluster",
    },
    "scope_region": {"fr": "Région de {name}", "en": "{name} region"},
    "period_line": {"fr": "Période : {period}", "en": "Period: {period}"},
    "displacement_as_of": {
        "fr": "Déplacement : situation au {date}",
        "en": "Displacement: situation as of {date}",
    },
    "generated": {"fr": "Produit le {date}", "en": "Produced on {date}"},
    "view_line": {"fr": "Contenu : {view}", "en": "Content: {view}"},
    "member_mark": {
        "fr": "RÉSERVÉ AUX MEMBRES DU CLUSTER — NE PAS DIFFUSER",
        "en": "CLUSTER MEMBERS ONLY — DO NOT SHARE",
    },
    "sources": {"fr": "Sources", "en": "Sources"},
    "sources_line": {
        "fr": "{stream} : {origin}, {first} – {last}",
        "en": "{stream}: {origin}, {first} – {last}",
    },
    "sources_line_one": {"fr": "{stream} : {origin}, {first}", "en": "{stream}: {origin}, {first}"},
    "col_change": {"fr": "Évolution", "en": "Change"},
    "col_total_shown": {"fr": "Total", "en": "Total"},
    "incidents_by_unit": {
        "fr": "Incidents par catégorie et par {level}",
        "en": "Incidents by category and {level}",
    },
    "level_name_1": {"fr": "région", "en": "region"},
    "level_name_2": {"fr": "cercle", "en": "cercle"},
    "level_name_3": {"fr": "commune", "en": "commune"},
    "continued": {"fr": "(suite)", "en": "(continued)"},
    "top_priorities": {
        "fr": "Cercles prioritaires ({shown} premiers sur {total})",
        "en": "Priority cercles (first {shown} of {total})",
    },
    "priority_highlight": {
        "fr": "En gras : besoin élevé et couverture faible (case en haut à gauche de la légende).",
        "en": "In bold: high need and low coverage (top left square of the legend).",
    },
    "rank_marks": {
        "fr": "Sur la carte, les numéros sont les rangs des cercles de ce tableau.",
        "en": "On the map, the numbers are the ranks of the cercles in this table.",
    },
    "rank_national": {
        "fr": "Rang : priorité parmi tous les cercles du Mali.",
        "en": "Rank: priority among all the cercles of Mali.",
    },
    "trend_window": {"fr": "{title}, {period}", "en": "{title}, {period}"},
    "trend_window_note": {
        "fr": (
            "Les tendances couvrent les 12 mois qui finissent avec la période (ou toute la "
            "période si elle est plus longue)."
        ),
        "en": (
            "Trends cover the 12 months ending with the period (or the whole period when longer)."
        ),
    },
    "no_incident_data": {"fr": "Aucun incident à montrer.", "en": "No incident to show."},
    "legend_title_gap": {"fr": "Besoin × couverture", "en": "Need × coverage"},
    "legend_need": {"fr": "besoin →", "en": "need →"},
    "legend_coverage": {"fr": "couverture →", "en": "coverage →"},
    "legend_outline": {"fr": "Zone du briefing", "en": "Briefing area"},
    "page": {"fr": "page {n}", "en": "page {n}"},
    "snapshot_title": {"fr": "Instantané hors ligne", "en": "Offline snapshot"},
    "snapshot_note": {
        "fr": (
            "Fichier autonome : il s'ouvre sans serveur ni connexion internet. Chiffres figés "
            "à la date de production."
        ),
        "en": (
            "Self-contained file: it opens with no server and no internet connection. Figures "
            "frozen at the production date."
        ),
    },
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "method_and_protection": {
        "fr": "Méthode et protection des données",
        "en": "Method and data protection",
    },
    "trends": {"fr": "Tendances", "en": "Trends"},
    "maps_incidents": {"fr": "Carte des incidents", "en": "Incidents map"},
    "maps_gap": {"fr": "Carte des lacunes et priorités", "en": "Gap map and priorities"},
}


def bt(key: str, lang: str | None, **values: object) -> str:
    """The text of ``key``: from this module, else from the dashboard's catalogue (``t`` raises
    KeyError for a key neither has)."""
    if key in TEXTS:
        text = TEXTS[key][lang_or_default(lang)]
        return text.format(**values) if values else text
    return t(key, lang, **values)
