"""French and English texts of the dashboard (French first: the cluster's working language).

A plain catalogue: ``t(key, lang)``. Vocabulary labels (categories, sub-sectors, access
constraints) come from :mod:`data.vocab`; month names and number formats are here too, so
nothing in the page depends on the browser's locale. ``tests/test_i18n.py`` walks the layout in
both languages and fails on any text that is not in this catalogue.
"""

from __future__ import annotations

import math

from analysis.protection import WITHHELD
from data.vocab import ACCESS_CONSTRAINTS, CATEGORY_BY_CODE, PROTECTION_SECTORS

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

CATALOGUE: dict[str, dict[str, str]] = {
    "title": {
        "fr": "Cluster Protection Mali — lacunes de protection",
        "en": "Mali Protection Cluster — protection gaps",
    },
    "demo_badge": {"fr": "DONNÉES DE DÉMONSTRATION", "en": "DEMO DATA"},
    "demo_note": {
        "fr": "Chiffres fictifs calibrés sur la stratégie 2020-2022 — ne pas citer",
        "en": "Fictitious figures calibrated on the 2020-2022 strategy — do not cite",
    },
    "data_period": {"fr": "Données : {start} – {end}", "en": "Data: {start} – {end}"},
    "language": {"fr": "Langue", "en": "Language"},
    "briefing": {"fr": "Mode briefing", "en": "Briefing mode"},
    "exit_briefing": {"fr": "Quitter le briefing", "en": "Leave briefing"},
    "level": {"fr": "Niveau", "en": "Level"},
    "level_1": {"fr": "Régions", "en": "Regions"},
    "level_2": {"fr": "Cercles", "en": "Cercles"},
    "level_3": {"fr": "Communes", "en": "Communes"},
    "region": {"fr": "Région", "en": "Region"},
    "all_mali": {"fr": "Tout le Mali", "en": "All of Mali"},
    "back_country": {"fr": "← Tout le Mali", "en": "← All of Mali"},
    "period": {"fr": "Période", "en": "Period"},
    "from": {"fr": "Du mois", "en": "From month"},
    "to": {"fr": "au mois", "en": "to month"},
    "presets": {"fr": "Raccourcis", "en": "Shortcuts"},
    "preset_1": {"fr": "Dernier mois", "en": "Last month"},
    "preset_3": {"fr": "3 derniers mois", "en": "Last 3 months"},
    "preset_12": {"fr": "12 derniers mois", "en": "Last 12 months"},
    "preset_year": {"fr": "Année civile", "en": "Calendar year"},
    "preset_custom": {"fr": "Personnalisée", "en": "Custom"},
    "categories": {"fr": "Catégories d'incidents", "en": "Incident categories"},
    "all_categories": {"fr": "Toutes les catégories", "en": "All categories"},
    "sector": {"fr": "Sous-secteur de protection", "en": "Protection sub-sector"},
    "all_sectors": {"fr": "Tous les sous-secteurs", "en": "All sub-sectors"},
    "indicator": {"fr": "Indicateur cartographié", "en": "Mapped indicator"},
    "tab_overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "tab_gap": {"fr": "Analyse des lacunes", "en": "Gap analysis"},
    "tab_quality": {"fr": "Qualité des données", "en": "Data quality"},
    "key_figures": {"fr": "Chiffres clés", "en": "Key figures"},
    "vs_previous": {"fr": "vs période précédente", "en": "vs previous period"},
    "no_previous": {"fr": "pas de période précédente", "en": "no previous period"},
    "trend_incidents": {
        "fr": "Incidents par catégorie et par mois",
        "en": "Incidents by category and month",
    },
    "trend_displacement": {"fr": "Déplacement au fil du temps", "en": "Displacement over time"},
    "unit_panel": {"fr": "Détail du cercle", "en": "Cercle detail"},
    "unit_hint": {
        "fr": "Cliquez une région puis un cercle sur la carte.",
        "en": "Click a region, then a cercle on the map.",
    },
    "export_csv": {"fr": "Exporter en CSV", "en": "Export CSV"},
    "export_xlsx": {"fr": "Exporter en XLSX", "en": "Export XLSX"},
    "export_title": {"fr": "Titre", "en": "Title"},
    "export_scope": {"fr": "Zone", "en": "Area"},
    "export_sources": {"fr": "Sources", "en": "Sources"},
    "export_streams": {"fr": "Données :", "en": "Data:"},
    "export_demo": {"fr": "Démonstration", "en": "Demo"},
    "export_member_note": {
        "fr": (
            "Vue membres du cluster : chiffres exacts, y compris les petits effectifs des "
            "catégories sensibles — ne pas diffuser hors du cluster."
        ),
        "en": (
            "Cluster members' view: exact figures, including small counts of sensitive "
            "categories — do not share outside the cluster."
        ),
    },
    "export_generated": {"fr": "Généré le", "en": "Generated on"},
    "export_sheet_data": {"fr": "Données", "en": "Data"},
    "export_sheet_meta": {"fr": "Métadonnées", "en": "Metadata"},
    "copy_link": {"fr": "Copier le lien", "en": "Copy link"},
    "link_copied": {"fr": "Lien copié", "en": "Link copied"},
    "link_copy_manual": {
        "fr": "Copiez le lien sélectionné (Ctrl+C)",
        "en": "Copy the selected link (Ctrl+C)",
    },
    "map_png_hint": {
        "fr": "Image de la carte : icône appareil photo de la carte.",
        "en": "Map picture: the camera icon on the map.",
    },
    "no_data": {"fr": "Pas de donnée", "en": "No data"},
    "suppressed_note": {
        "fr": (
            "Vue publique : les catégories sensibles (VBG, protection de l'enfance, violences "
            "sexuelles) ne sont publiées que par région et trimestre civil, arrondies à 5."
        ),
        "en": (
            "Public view: sensitive categories (GBV, child protection, sexual violence) are "
            "published only by region and calendar quarter, rounded to 5."
        ),
    },
    "members_only": {"fr": "réservé aux membres", "en": "members only"},
    "note_sensitive_rounded": {
        "fr": (
            "Catégories sensibles : totaux par région et trimestre civil, arrondis à un multiple "
            "de 5 (1 à 4 publiés comme 5)."
        ),
        "en": (
            "Sensitive categories: totals by region and calendar quarter, rounded to a multiple "
            "of 5 (1 to 4 published as 5)."
        ),
    },
    "note_sensitive_withheld": {
        "fr": (
            "Catégories sensibles exclues ici (réservé aux membres) : elles ne sont publiées que "
            "par région et trimestre civil complet."
        ),
        "en": (
            "Sensitive categories left out here (members only): they are published only by "
            "region and whole calendar quarter."
        ),
    },
    "note_need_without_sensitive": {
        "fr": "Vue publique : l'indice de besoin ne compte pas les catégories sensibles.",
        "en": "Public view: the need index does not count sensitive categories.",
    },
    "protection_title": {"fr": "Protection des données", "en": "Data protection"},
    "protection_text": {
        "fr": (
            "« Ne pas nuire » : un petit nombre d'incidents de VBG ou contre des enfants dans un "
            "cercle peut désigner une survivante. La vue publique montre exactement les "
            "catégories non sensibles, à tous les niveaux. Les catégories sensibles (VBG, "
            "protection de l'enfance/MRM, violences sexuelles) n'y apparaissent que par région "
            "et trimestre civil, chaque total étant arrondi à un multiple de 5 (de 1 à 4 : "
            "publié 5 ; 0 reste 0), toujours de la même façon ; en dessous (cercle, commune, "
            "mois), elles sont « réservées aux membres », et l'indice de besoin public ne les "
            "compte pas. Les membres du cluster connectés voient les chiffres exacts : demandez "
            "un compte à la coordination du Cluster Protection."
        ),
        "en": (
            '"Do no harm": a small number of GBV or child incidents in a cercle can point to a '
            "survivor. The public view shows non-sensitive categories exactly, at every level. "
            "Sensitive categories (GBV, child protection/MRM, sexual violence) appear only by "
            "region and calendar quarter, each total rounded to a multiple of 5 (1 to 4: "
            "published as 5; 0 stays 0), always the same way; below that (cercle, commune, "
            'month) they are "members only", and the public need index does not count them. '
            "Logged-in cluster members see exact figures: ask the Protection Cluster "
            "coordination for an account."
        ),
    },
    "login": {"fr": "Connexion membres", "en": "Members' login"},
    "logout": {"fr": "Déconnexion", "en": "Log out"},
    "signed_in_as": {"fr": "Connecté : {name} ({role})", "en": "Signed in: {name} ({role})"},
    "role_member": {"fr": "membre", "en": "member"},
    "role_imo": {"fr": "gestionnaire de l'information", "en": "information manager"},
    "role_admin": {"fr": "administrateur", "en": "administrator"},
    "administration": {"fr": "Administration", "en": "Administration"},
    "quality_title": {"fr": "Qualité des données par flux", "en": "Data quality by stream"},
    "stream": {"fr": "Flux", "en": "Stream"},
    "rows_read": {"fr": "Lignes lues", "en": "Rows read"},
    "by_pcode": {"fr": "Par p-code", "en": "By p-code"},
    "by_name": {"fr": "Par nom", "en": "By name"},
    "by_fuzzy": {"fr": "Par nom approché", "en": "By fuzzy name"},
    "by_point": {"fr": "Par coordonnées", "en": "By coordinates"},
    "unresolved": {"fr": "Non localisées", "en": "Unresolved"},
    "date_first": {"fr": "Première date", "en": "First date"},
    "date_last": {"fr": "Dernière date", "en": "Last date"},
    "stream_incidents": {"fr": "Incidents", "en": "Incidents"},
    "stream_displacement": {"fr": "Déplacement", "en": "Displacement"},
    "stream_services": {"fr": "Services (3W)", "en": "Services (3W)"},
    "stream_access": {"fr": "Contraintes d'accès", "en": "Access constraints"},
    "stream_population": {"fr": "Population", "en": "Population"},
    "gap_title": {"fr": "Besoin × couverture par cercle", "en": "Need × coverage by cercle"},
    "gap_priorities": {
        "fr": "Cercles prioritaires (besoin élevé, couverture faible)",
        "en": "Priority cercles (high need, low coverage)",
    },
    "gap_deserts": {
        "fr": "Déserts de services (besoin 4-5, aucun partenaire)",
        "en": "Service deserts (need 4-5, no partner)",
    },
    "no_deserts": {
        "fr": "Aucun désert de services pour ce sous-secteur.",
        "en": "No service desert for this sub-sector.",
    },
    "method": {"fr": "Méthode", "en": "Method"},
    "need_low": {"fr": "besoin faible", "en": "low need"},
    "need_high": {"fr": "besoin élevé", "en": "high need"},
    "cover_low": {"fr": "couverture faible", "en": "low coverage"},
    "cover_high": {"fr": "couverture élevée", "en": "high coverage"},
    "briefing_priorities": {"fr": "Cercles prioritaires", "en": "Priority cercles"},
    "col_rank": {"fr": "Rang", "en": "Rank"},
    "col_unit": {"fr": "Cercle", "en": "Cercle"},
    "col_region": {"fr": "Région", "en": "Region"},
    "col_need_score": {"fr": "Indice de besoin", "en": "Need index"},
    "col_need_class": {"fr": "Classe de besoin", "en": "Need class"},
    "col_partners": {"fr": "Partenaires", "en": "Partners"},
    "col_coverage": {"fr": "Partenaires / 100 000 hab.", "en": "Partners / 100,000 people"},
    "col_desert": {"fr": "Désert", "en": "Desert"},
    "col_indicator": {"fr": "Indicateur", "en": "Indicator"},
    "col_value": {"fr": "Valeur", "en": "Value"},
    "col_previous": {"fr": "Période précédente", "en": "Previous period"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "month": {"fr": "Mois", "en": "Month"},
    "people": {"fr": "personnes", "en": "people"},
    "events": {"fr": "événements", "en": "events"},
    "partners": {"fr": "partenaires", "en": "partners"},
    "footer_public": {"fr": "Vue publique", "en": "Public view"},
    "footer_member": {"fr": "Vue membres du cluster", "en": "Cluster members' view"},
    # indicators
    "ind_incidents": {"fr": "Incidents", "en": "Incidents"},
    "ind_incidents_10k": {"fr": "Incidents pour 10 000 hab.", "en": "Incidents per 10,000 people"},
    "ind_victims": {"fr": "Victimes", "en": "Victims"},
    "ind_fatalities": {"fr": "Personnes tuées", "en": "Fatalities"},
    "ind_idps": {
        "fr": "Personnes déplacées internes (PDI)",
        "en": "Internally displaced people (IDPs)",
    },
    "ind_returnees": {"fr": "Retournés", "en": "Returnees"},
    "ind_repatriated": {"fr": "Rapatriés", "en": "Repatriated refugees"},
    "ind_partners": {"fr": "Partenaires présents", "en": "Partners present"},
    "ind_access": {"fr": "Contraintes d'accès", "en": "Access constraints"},
    "ind_need": {"fr": "Indice de besoin (1-5)", "en": "Need index (1-5)"},
    "ind_coverage": {
        "fr": "Couverture (partenaires / 100 000 hab.)",
        "en": "Coverage (partners / 100,000 people)",
    },
    "ind_gap": {"fr": "Lacune (besoin × couverture)", "en": "Gap (need × coverage)"},
    "ind_population": {"fr": "Population", "en": "Population"},
    "unit_events": {"fr": "événements", "en": "events"},
    "unit_per_10k": {"fr": "pour 10 000 hab.", "en": "per 10,000 people"},
    "unit_people": {"fr": "personnes", "en": "people"},
    "unit_partners": {"fr": "partenaires", "en": "partners"},
    "unit_class": {"fr": "classe", "en": "class"},
    "unit_per_100k": {"fr": "partenaires / 100 000 hab.", "en": "partners / 100,000 people"},
    "hover_no_data": {"fr": "pas de donnée", "en": "no data"},
    "as_of": {"fr": "au {date}", "en": "as of {date}"},
    "scope_mali": {"fr": "Mali", "en": "Mali"},
    # need-index weights
    "weights_title": {"fr": "Pondération de l'indice de besoin", "en": "Need index weights"},
    "weight_incidents": {"fr": "Incidents par habitant", "en": "Incidents per capita"},
    "weight_displacement": {
        "fr": "Déplacés et retournés par habitant",
        "en": "Displaced and returnees per capita",
    },
    "weight_access": {"fr": "Contraintes d'accès", "en": "Access constraints"},
    "weights_note": {
        "fr": "Par défaut 0,4 / 0,4 / 0,2 ; les poids sont ramenés à une somme de 1.",
        "en": "Default 0.4 / 0.4 / 0.2; weights are rescaled to add up to 1.",
    },
    "weights_used": {
        "fr": "Poids utilisés : incidents {wi}, déplacement {wd}, accès {wa} {which}.",
        "en": "Weights in use: incidents {wi}, displacement {wd}, access {wa} {which}.",
    },
    "weights_default": {"fr": "(valeurs par défaut)", "en": "(defaults)"},
    "weights_custom": {
        "fr": "(valeurs modifiées, différentes de la méthode publiée)",
        "en": "(changed from the published method)",
    },
    # incident counting systems
    "family_monitoring": {"fr": "Monitoring de protection", "en": "Protection monitoring"},
    "family_mrm": {
        "fr": "MRM – violations graves contre les enfants",
        "en": "MRM – grave violations against children",
    },
    "family_explosive": {
        "fr": "Engins explosifs (GT-LAMH)",
        "en": "Explosive ordnance (mine action)",
    },
    "family_conflict": {
        "fr": "Événements de conflit (type ACLED)",
        "en": "Conflict events (ACLED-style)",
    },
    "family_header": {"fr": "— {family} —", "en": "— {family} —"},
    "kf_families": {"fr": "Incidents comptés : {families}", "en": "Incidents counted: {families}"},
    "kf_overlap": {
        "fr": (
            "Attention : ces systèmes de comptage décrivent en partie les mêmes événements ; "
            "leur somme peut compter un événement plusieurs fois."
        ),
        "en": (
            "Caution: these counting systems partly describe the same events; their sum may "
            "count an event more than once."
        ),
    },
    "method_families": {
        "fr": (
            "Catégories d'incidents : elles viennent de systèmes de comptage différents "
            "(monitoring de protection, MRM, engins explosifs, événements de conflit de type "
            "ACLED) qui décrivent en partie les mêmes événements. Le tableau de bord ne les "
            "additionne pas par défaut : il montre le monitoring de protection ; toute "
            "sélection qui en mélange plusieurs est signalée."
        ),
        "en": (
            "Incident categories come from different counting systems (protection monitoring, "
            "MRM, explosive ordnance, ACLED-style conflict events) that partly describe the "
            "same events. The dashboard does not add them up by default: it shows protection "
            "monitoring; any selection mixing several is flagged."
        ),
    },
    # grids
    "grid_no_rows": {"fr": "Aucune ligne", "en": "No rows"},
    "grid_loading": {"fr": "Chargement…", "en": "Loading…"},
    "unit_partners_title": {"fr": "Partenaires présents", "en": "Partners present"},
    "no_partners": {
        "fr": "Aucun partenaire actif enregistré ici.",
        "en": "No active partner recorded here.",
    },
    "col_org": {"fr": "Organisation", "en": "Organisation"},
    "col_sectors": {"fr": "Sous-secteurs", "en": "Sub-sectors"},
    "col_services": {"fr": "Services", "en": "Services"},
    # data quality
    "col_origin": {"fr": "Origine", "en": "Origin"},
    "origin_demo": {"fr": "Démonstration (fictif)", "en": "Demo (fictitious)"},
    "origin_store": {"fr": "Importé (version {version})", "en": "Imported (version {version})"},
    "origin_codps2018": {
        "fr": "COD-PS 2018 intégrée (chiffres réels)",
        "en": "Built-in COD-PS 2018 (real figures)",
    },
    "origin_missing": {"fr": "Aucune donnée", "en": "No data"},
    "quality_reasons": {
        "fr": "Lieux non résolus : raisons",
        "en": "Unresolved places: reasons",
    },
    "quality_unresolved": {
        "fr": "Premières lignes non localisées",
        "en": "First unresolved rows",
    },
    "col_reason": {"fr": "Raison", "en": "Reason"},
    "col_count": {"fr": "Lignes", "en": "Rows"},
    "col_row": {"fr": "Ligne", "en": "Row"},
    "col_value_read": {"fr": "Valeur lue", "en": "Value read"},
    "col_candidates": {"fr": "Candidats", "en": "Candidates"},
    "quality_demo": {
        "fr": (
            "Tous les flux sont des données de démonstration (fictives, localisées par "
            "p-code) ; seule la population est réelle (COD-PS 2018)."
        ),
        "en": (
            "Every stream is demonstration data (fictitious, placed by p-code); only the "
            "population is real (COD-PS 2018)."
        ),
    },
    "quality_population_fallback": {
        "fr": (
            "Population : aucun flux importé ; la population COD-PS 2018 intégrée (chiffres "
            "réels) sert aux taux par habitant."
        ),
        "en": (
            "Population: no stream imported; the built-in COD-PS 2018 population (real "
            "figures) is used for per-capita rates."
        ),
    },
    "quality_all_resolved": {
        "fr": "Toutes les lignes sont localisées.",
        "en": "Every row has a place.",
    },
}

DROPDOWN_LABELS = {
    "fr": {
        "select_all": "Tout sélectionner",
        "deselect_all": "Tout désélectionner",
        "selected_count": "{num_selected} sélectionnées",
        "search": "Rechercher",
        "clear_search": "Effacer la recherche",
        "clear_selection": "Effacer la sélection",
        "no_options_found": "Aucune option trouvée",
    },
    "en": {
        "select_all": "Select all",
        "deselect_all": "Deselect all",
        "selected_count": "{num_selected} selected",
        "search": "Search",
        "clear_search": "Clear search",
        "clear_selection": "Clear selection",
        "no_options_found": "No options found",
    },
}


def dropdown_labels(lang: str | None) -> dict[str, str]:
    """Texts inside dcc.Dropdown (search box, select all...), which default to English."""
    return dict(DROPDOWN_LABELS[lang_or_default(lang)])


MONTHS = {
    "fr": [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None, **values: object) -> str:
    """The text of ``key`` in ``lang``; raises KeyError for an unknown key (caught by tests)."""
    text = CATALOGUE[key][lang_or_default(lang)]
    return text.format(**values) if values else text


def category_label(code: str, lang: str | None) -> str:
    cat = CATEGORY_BY_CODE.get(code)
    if cat is None:
        return code
    return cat.fr if lang_or_default(lang) == "fr" else cat.en


def sector_label(code: str, lang: str | None) -> str:
    labels = PROTECTION_SECTORS.get(code)
    if labels is None:
        return code
    return labels[0] if lang_or_default(lang) == "fr" else labels[1]


def constraint_label(code: str, lang: str | None) -> str:
    labels = ACCESS_CONSTRAINTS.get(code)
    if labels is None:
        return code
    return labels[0] if lang_or_default(lang) == "fr" else labels[1]


def month_label(month: str, lang: str | None) -> str:
    """'2019-09' -> 'sept. 2019' / 'Sep 2019'."""
    year, number = month[:4], int(month[5:7])
    return f"{MONTHS[lang_or_default(lang)][number - 1]} {year}"


def date_label(date: str, lang: str | None) -> str:
    """'2019-09-30' -> '30 sept. 2019' / '30 Sep 2019'."""
    return f"{int(date[8:10])} {month_label(date[:7], lang)}"


def number(value: float | int | None, lang: str | None, decimals: int = 0) -> str:
    """Numbers written the local way: 61 083 and 2,5 in French; 61,083 and 2.5 in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang_or_default(lang) == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def local_number(text: str, lang: str | None) -> str:
    """Model display strings ("11\u202f280", "12.5") written the page's way (FR or EN)."""
    if text == WITHHELD:
        return t("members_only", lang)
    if lang_or_default(lang) == "en":
        return text.replace("\u202f", ",")
    return text.replace(".", ",")


def percent_change(value: float | None, lang: str | None) -> str:
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number(abs(value) * 100, lang)} %"
