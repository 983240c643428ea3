"""The texts of the account pages, French by default and English with ``?lang=en``."""

from __future__ import annotations

from flask import request

LANGUAGES = ("fr", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "site": "Cluster Protection Mali",
        "login_title": "Connexion des membres",
        "login_intro": (
            "Le tableau de bord est public. Les membres du cluster se connectent pour voir "
            "les chiffres exacts."
        ),
        "username": "Nom d'utilisateur",
        "password": "Mot de passe",
        "login": "Se connecter",
        "logout": "Se déconnecter",
        "login_failed": "Nom d'utilisateur ou mot de passe incorrect.",
        "login_missing": "Saisissez votre nom d'utilisateur et votre mot de passe.",
        "logged_in_as": "Connecté en tant que",
        "rate_limited_title": "Trop de tentatives",
        "rate_limited": (
            "Trop de tentatives de connexion depuis votre adresse ou pour ce compte. "
            "Patientez quelques minutes avant de réessayer."
        ),
        "bad_request_title": "Formulaire expiré",
        "csrf": ("Le formulaire a expiré ou n'est pas valide. Rechargez la page et réessayez."),
        "forbidden_title": "Accès refusé",
        "forbidden": "Cette page est réservée aux administrateurs.",
        "back": "Retour au tableau de bord",
        "other_language": "English",
        "admin_title": "Administration des comptes",
        "users": "Utilisateurs",
        "role": "Rôle",
        "status": "Statut",
        "active": "actif",
        "disabled": "désactivé",
        "last_login": "Dernière connexion",
        "never": "jamais",
        "change": "Changer",
        "audit": "Journal d'audit (derniers événements)",
        "when": "Date (UTC)",
        "action": "Action",
        "who": "Utilisateur",
        "address": "Adresse",
        "detail": "Détail",
        "error_title": "Demande refusée",
        "unavailable_title": "Service momentanément indisponible",
        "unavailable": (
            "La connexion est momentanément indisponible. Le tableau de bord public reste "
            "accessible ; réessayez dans quelques minutes."
        ),
        "role_public": "public",
        "role_member": "membre",
        "role_imo": "gestionnaire de l'information",
        "role_admin": "administrateur",
    },
    "en": {
        "site": "Mali Protection Cluster",
        "login_title": "Member login",
        "login_intro": ("The dashboard is public. Cluster members log in to see exact figures."),
        "username": "Username",
        "password": "Password",
        "login": "Log in",
        "logout": "Log out",
        "login_failed": "Wrong username or password.",
        "login_missing": "Enter your username and password.",
        "logged_in_as": "Logged in as",
        "rate_limited_title": "Too many attempts",
        "rate_limited": (
            "Too many login attempts from your address or for this account. "
            "Wait a few minutes before trying again."
        ),
        "bad_request_title": "Form expired",
        "csrf": "The form has expired or is not valid. Reload the page and try again.",
        "forbidden_title": "Access denied",
        "forbidden": "This page is for administrators only.",
        "back": "Back to the dashboard",
        "other_language": "Français",
        "admin_title": "Account administration",
        "users": "Users",
        "role": "Role",
        "status": "Status",
        "active": "active",
        "disabled": "disabled",
        "last_login": "Last login",
        "never": "never",
        "change": "Change",
        "audit": "Audit log (latest events)",
        "when": "Time (UTC)",
        "action": "Action",
        "who": "User",
        "address": "Address",
        "detail": "Detail",
        "error_title": "Request refused",
        "unavailable_title": "Temporarily unavailable",
        "unavailable": (
            "Logging in is temporarily unavailable. The public dashboard is still available; "
            "try again in a few minutes."
        ),
        "role_public": "public",
        "role_member": "member",
        "role_imo": "information manager",
        "role_admin": "administrator",
    },
}


def language() -> str:
    """``en`` when the request asks for it (``?lang=en`` or a form field), else ``fr``."""
    asked = request.args.get("lang") or request.form.get("lang") or ""
    return "en" if asked.strip().lower() == "en" else "fr"


def texts(lang: str) -> dict[str, str]:
    """The texts in ``lang`` (French for anything unknown)."""
    return TEXTS.get(lang, TEXTS["fr"])
