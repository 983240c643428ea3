"""Controlled vocabularies of the streams, with French and English labels.

Incident categories follow the Mali Protection Cluster strategy (protection monitoring's five
categories of alleged violations, the six MRM grave violations, explosive ordnance) plus the
ACLED / HDX HAPI conflict event types. Sub-sectors are the Global Coordination Group codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    family: str  # monitoring | mrm | explosive | conflict | sind
    sector: str  # the protection sub-sector responsible
    sensitive: bool  # GBV, child protection, sexual violence: suppressed in public views
    fr: str
    en: str


INCIDENT_CATEGORIES: tuple[Category, ...] = (
    Category("pm_life", "monitoring", "PRO", False, "Atteintes au droit à la vie", "Right to life"),
    Category(
        "pm_liberty",
        "monitoring",
        "PRO",
        False,
        "Atteintes à la liberté et à la sécurité",
        "Liberty and security",
    ),
    Category(
        "pm_integrity",
        "monitoring",
        "PRO",
        False,
        "Atteintes à l'intégrité physique et/ou psychique",
        "Physical/psychological integrity",
    ),
    Category("pm_property", "monitoring", "PRO", False, "Atteintes à la propriété", "Property"),
    Category(
        "pm_gbv",
        "monitoring",
        "PRO-GBV",
        True,
        "Violences basées sur le genre (VBG)",
        "Gender-based violence (GBV)",
    ),
    Category(
        "mrm_recruitment",
        "mrm",
        "PRO-CPN",
        True,
        "Recrutement et utilisation d'enfants",
        "Recruitment and use of children",
    ),
    Category(
        "mrm_killing_maiming",
        "mrm",
        "PRO-CPN",
        True,
        "Meurtres et mutilations d'enfants",
        "Killing and maiming of children",
    ),
    Category(
        "mrm_sexual_violence",
        "mrm",
        "PRO-CPN",
        True,
        "Violences sexuelles contre des enfants",
        "Sexual violence against children",
    ),
    Category(
        "mrm_abduction", "mrm", "PRO-CPN", True, "Enlèvements d'enfants", "Abduction of children"
    ),
    Category(
        "mrm_attacks_schools_hospitals",
        "mrm",
        "PRO-CPN",
        True,
        "Attaques contre des écoles ou des hôpitaux",
        "Attacks on schools or hospitals",
    ),
    Category(
        "mrm_denial_access",
        "mrm",
        "PRO-CPN",
        True,
        "Déni d'accès humanitaire (enfants)",
        "Denial of humanitarian access (children)",
    ),
    Category(
        "explosive_ordnance",
        "explosive",
        "PRO-MIN",
        False,
        "Incidents liés aux engins explosifs",
        "Explosive ordnance incidents",
    ),
    Category("conflict_battles", "conflict", "PRO", False, "Affrontements armés", "Battles"),
    Category(
        "conflict_violence_civilians",
        "conflict",
        "PRO",
        False,
        "Violences contre les civils",
        "Violence against civilians",
    ),
    Category(
        "conflict_sexual_violence",
        "conflict",
        "PRO-GBV",
        True,
        "Violences sexuelles (conflit)",
        "Sexual violence (conflict)",
    ),
    Category(
        "conflict_explosions",
        "conflict",
        "PRO",
        False,
        "Explosions / violence à distance",
        "Explosions/remote violence",
    ),
    Category(
        "conflict_demonstrations",
        "conflict",
        "PRO",
        False,
        "Manifestations et émeutes",
        "Protests and riots",
    ),
    Category(
        "conflict_strategic",
        "conflict",
        "PRO",
        False,
        "Développements stratégiques",
        "Strategic developments",
    ),
    Category(
        "conflict_political_violence",
        "conflict",
        "PRO",
        False,
        "Violence politique (agrégats HAPI)",
        "Political violence (HAPI aggregates)",
    ),
    Category(
        "conflict_civilian_targeting",
        "conflict",
        "PRO",
        False,
        "Ciblage de civils (agrégats HAPI)",
        "Civilian targeting (HAPI aggregates)",
    ),
    # Insecurity Insight (SiND): attacks on aid, health care, education... one family, since
    # it is its own counting system; sexual violence and CRSV are sensitive.
    Category(
        "sind_aid_workers",
        "sind",
        "PRO",
        False,
        "Violence contre les travailleurs humanitaires",
        "Violence against aid workers",
    ),
    Category(
        "sind_health_care",
        "sind",
        "PRO",
        False,
        "Violence contre les soins de santé",
        "Violence against health care",
    ),
    Category(
        "sind_education",
        "sind",
        "PRO",
        False,
        "Violence contre l'éducation",
        "Violence against education",
    ),
    Category(
        "sind_food_security",
        "sind",
        "PRO",
        False,
        "Violence affectant la sécurité alimentaire",
        "Violence affecting food security",
    ),
    Category(
        "sind_idp_camps",
        "sind",
        "PRO",
        False,
        "Attaques contre des sites de déplacés ou de réfugiés",
        "Attacks on IDP or refugee camps",
    ),
    Category(
        "sind_explosive_weapons",
        "sind",
        "PRO-MIN",
        False,
        "Violence par armes explosives",
        "Explosive weapons violence",
    ),
    Category(
        "sind_sexual_violence",
        "sind",
        "PRO-GBV",
        True,
        "Violences sexuelles, y compris liées aux conflits",
        "Sexual violence, incl. conflict-related",
    ),
)
CATEGORY_BY_CODE = {c.code: c for c in INCIDENT_CATEGORIES}
SENSITIVE_CATEGORIES = frozenset(c.code for c in INCIDENT_CATEGORIES if c.sensitive)

# Protection sub-sectors (areas of responsibility) with the Global Coordination Group codes.
PROTECTION_SECTORS: dict[str, tuple[str, str]] = {
    "PRO": ("Protection générale", "General protection"),
    "PRO-CPN": ("Protection de l'enfance", "Child protection"),
    "PRO-GBV": ("Violences basées sur le genre", "Gender-based violence"),
    "PRO-MIN": ("Action contre les mines", "Mine action"),
    "PRO-HLP": ("Logement, terre et biens", "Housing, land and property"),
}

# OCHA / ACAPS access constraint categories.
ACCESS_CONSTRAINTS: dict[str, tuple[str, str]] = {
    "violence_humanitarians": (
        "Violence contre le personnel, les biens et les installations humanitaires",
        "Violence against humanitarian personnel, assets and facilities",
    ),
    "movement_restriction": (
        "Restriction des mouvements dans le pays",
        "Restriction of movement within the country",
    ),
    "interference": (
        "Interférence dans la mise en œuvre des activités",
        "Interference in the implementation of activities",
    ),
    "entry_impediments": ("Entraves à l'entrée dans le pays", "Impediments to entry into country"),
    "denial_needs": (
        "Déni de l'existence des besoins ou des droits",
        "Denial of humanitarian needs or entitlements",
    ),
    "restriction_services": (
        "Restriction de l'accès des populations aux services",
        "Restriction of people's access to services and assistance",
    ),
    "hostilities": ("Hostilités en cours", "Ongoing insecurity/hostilities"),
    "explosive_devices": ("Présence de mines et d'engins explosifs", "Mines and explosive devices"),
    "physical": ("Contraintes physiques de l'environnement", "Physical environment constraints"),
}
