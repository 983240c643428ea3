"""The texts of the import screens, French by default and English with ``?lang=en``.

Kept beside the screens like the account pages' texts (:mod:`accounts.web.i18n`); numbers are
written with :func:`layouts.i18n.number` (Babel). ``tests/test_imports_web.py`` checks that both
languages have the same keys and placeholders.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "site": "Cluster Protection Mali",
        "other_language": "English",
        "back": "Retour au tableau de bord",
        "nav_upload": "Charger un fichier",
        "nav_mappings": "Lieux appris",
        "nav_versions": "Versions :",
        "index_title": "Charger des données",
        "index_intro": (
            "Déposez un export CSV, XLSX ou JSON. Rien ne change sur le tableau de bord avant "
            "que vous ayez lu le rapport et cliqué sur « Publier »."
        ),
        "stream": "Flux de données",
        "stream_auto": "Détecter d'après le fichier",
        "stream_incidents": "Incidents de protection",
        "stream_displacement": "Déplacements",
        "stream_services": "Services (3W/5W)",
        "stream_access": "Contraintes d'accès",
        "stream_population": "Population",
        "file": "Fichier",
        "drop_here": "Glissez-déposez le fichier ici, ou choisissez-le :",
        "limits": "CSV, TXT, XLSX ou JSON ; {size} au plus.",
        "upload": "Envoyer et vérifier",
        "uploading": "Envoi du fichier… {percent} %",
        "upload_failed": "L'envoi a échoué (connexion interrompue ?). Réessayez.",
        "checking": "Lecture et vérification…",
        "last_updates": "Données actuellement publiées",
        "open_drafts": "Brouillons en attente (vérifiés, pas encore publiés)",
        "updated_at": "Mise à jour",
        "never": "jamais",
        "see_versions": "voir les versions",
        "job_title": "Vérification du fichier",
        "job_running": "Étape : {stage} — {percent} %",
        "job_wait": "Cette page se met à jour toute seule.",
        "job_failed_title": "Le fichier n'a pas pu être lu",
        "stage_queued": "en attente",
        "stage_read": "lecture et rattachement des lieux",
        "stage_report": "rapport et comparaison",
        "stage_detecting": "reconnaissance du flux",
        "stage_done": "terminé",
        "job_crashed": (
            "Erreur inattendue pendant la lecture ; elle est consignée dans le journal du serveur."
        ),
        "job_interrupted": (
            "La vérification a été interrompue (serveur redémarré). Chargez le fichier de nouveau."
        ),
        "job_rejected": "Fichier refusé :",
        "stream_unknown": (
            "Impossible de reconnaître le flux de ce fichier : choisissez-le dans la liste "
            "« Flux de données »."
        ),
        "upload_missing": "Aucun fichier reçu : choisissez un fichier.",
        "upload_stream": "Flux inconnu : choisissez-en un dans la liste.",
        "upload_type": (
            "Type de fichier non accepté ({suffix}) : envoyez un CSV, TXT, TSV, XLSX ou JSON."
        ),
        "upload_empty": "Le fichier est vide (0 octet).",
        "upload_not_xlsx": (
            "Ce fichier porte l'extension .xlsx mais n'est pas un classeur Excel (.xlsx) ; "
            "enregistrez-le de nouveau depuis Excel."
        ),
        "upload_binary": (
            "Ce fichier {suffix} contient des données binaires (un classeur ou une image "
            "renommé ?) ; envoyez un vrai CSV ou le classeur .xlsx."
        ),
        "upload_too_big": "Le fichier dépasse la taille maximale de {size}.",
        "report_title": "Rapport de vérification (rien n'est encore publié)",
        "draft_of": "{file} — {stream}, chargé par {user} le {when}",
        "rows_read": "Lignes lues",
        "rows_accepted": "Lignes acceptées",
        "rows_rejected": "Lignes refusées",
        "date_range": "Période couverte",
        "date_range_none": "aucune date",
        "vintage": "Version des p-codes reconnue",
        "match_methods": "Comment les lignes ont été rattachées à un lieu",
        "method": "Méthode",
        "rows": "Lignes",
        "method_pcode": "par p-code",
        "method_name": "par nom",
        "method_fuzzy": "par nom approché",
        "method_point": "par coordonnées",
        "method_learned": "par un lieu appris",
        "method_unresolved": "non rattachées",
        "comparison": "Ce qui changera si vous publiez (totaux par région)",
        "comparison_none": "Aucune version publiée de ce flux : tout sera nouveau.",
        "active_version": "Version publiée : {version}",
        "region": "Région",
        "pcode": "P-code",
        "active": "Publié",
        "draft": "Ce fichier",
        "change": "Écart",
        "total": "Total",
        "measure_rows": "lignes",
        "measure_events": "événements",
        "measure_fatalities": "décès",
        "measure_victims": "victimes",
        "measure_idps": "PDI",
        "measure_returnees": "retournés",
        "measure_repatriated": "rapatriés",
        "measure_population": "population",
        "published_vs_file": "publié → fichier",
        "not_teachable": "donné par un code ou des coordonnées : corrigez-le dans le fichier",
        "loss_warning": "Ce fichier compte {share} % de lignes de moins que la version publiée.",
        "warnings": "Avertissements",
        "flagged": "{count} cellule(s) ressemblant à des formules gardées comme texte.",
        "conflicts": "{count} ligne(s) dont les coordonnées contredisent le nom ou le p-code.",
        "unresolved_title": "Lieux non reconnus",
        "unresolved_intro": (
            "Ces noms n'ont été rattachés à aucun lieu. Choisissez le bon lieu une fois : il "
            "sera retenu pour tous les imports suivants (et la ligne de commande)."
        ),
        "unresolved_none": "Tous les lieux ont été reconnus.",
        "name": "Nom dans le fichier",
        "level": "Niveau",
        "level_1": "région",
        "level_2": "cercle",
        "within": "dans",
        "count": "Lignes",
        "candidates": "Lieux proposés",
        "no_candidate": "aucune proposition",
        "similarity": "ressemblance {score} %",
        "other_pcode": "ou p-code :",
        "learn": "Retenir ce lieu",
        "learned": "« {name} » sera désormais rattaché à {place} ({pcode}).",
        "recheck_intro": "Vérifiez de nouveau ce fichier pour que le rapport en tienne compte.",
        "recheck": "Revérifier ce fichier",
        "recheck_gone": (
            "Le fichier envoyé n'est plus conservé ; chargez-le de nouveau pour le revérifier."
        ),
        "learn_missing": "Choisissez un lieu proposé ou saisissez un p-code.",
        "learn_bad_pcode": "{pcode} n'est pas un p-code de {level} du Mali (COD 2021).",
        "learn_failed": "Le lieu n'a pas pu être retenu : {reason}",
        "rejected_title": "Lignes refusées",
        "rejected_none": "Aucune ligne refusée.",
        "row": "Ligne",
        "column": "Colonne",
        "reason": "Motif",
        "rejected_page": "Lignes {first} à {last} sur {total}",
        "previous": "Précédentes",
        "next": "Suivantes",
        "publish": "Publier",
        "discard": "Abandonner",
        "publish_intro": (
            "Publier remplace la version en ligne de ce flux pour tous les utilisateurs (les "
            "versions précédentes sont gardées et peuvent être rétablies)."
        ),
        "refused_empty": (
            "Publication refusée : aucune ligne de ce fichier n'a été acceptée ; le publier "
            "viderait les données. Rien n'a changé."
        ),
        "refused_loss": (
            "Publication refusée : ce fichier a {draft} lignes là où la version publiée en a "
            "{active} ; {share} % des lignes seraient perdues (plus de {limit} %)."
        ),
        "refused_rejected": (
            "Publication refusée : {rejected} des {read} lignes du fichier ont été refusées "
            "({share} %, plus de {limit} %)."
        ),
        "refused_stale": "Ce brouillon a déjà été publié ou abandonné : il ne peut plus changer.",
        "not_draft": "État de cet import : {status}. Il ne peut plus être publié ni abandonné.",
        "confirm_loss": "Je confirme vouloir publier malgré la perte de données.",
        "published": "Version publiée. Le tableau de bord l'affiche d'ici quelques secondes.",
        "discarded": "Brouillon abandonné : rien n'a changé.",
        "draft_gone": "Ce brouillon n'existe plus (déjà publié ou abandonné ?).",
        "mappings_title": "Lieux appris",
        "mappings_intro": (
            "Noms rattachés à la main à un lieu ; chaque import les utilise, y compris en "
            "ligne de commande."
        ),
        "mappings_none": "Aucun lieu appris pour l'instant.",
        "place": "Lieu",
        "scope": "Portée",
        "scope_all": "partout",
        "who": "Par",
        "when": "Le (UTC)",
        "remove": "Retirer",
        "confirm_remove": "Retirer ce lieu appris ?",
        "removed": "Lieu appris retiré.",
        "versions_title": "Versions : {stream}",
        "versions_none": "Aucune version de ce flux.",
        "version": "Version",
        "status": "Statut",
        "status_published": "publiée",
        "status_draft": "brouillon",
        "status_discarded": "abandonnée",
        "status_active": "en ligne",
        "created": "Créée",
        "published_at": "Publiée",
        "file_name": "Fichier",
        "report": "Rapport",
        "report_line": "{read} lues, {accepted} acceptées, {rejected} refusées",
        "rollback": "Revenir à cette version",
        "confirm_rollback": "Remettre cette version en ligne pour tous les utilisateurs ?",
        "rolled_back": "La version {version} est de nouveau en ligne.",
        "rollback_failed": "Retour impossible : {reason}",
        "forbidden_title": "Accès refusé",
        "forbidden": "Ces pages sont réservées aux gestionnaires de l'information.",
        "not_found_title": "Introuvable",
        "not_found": "Cette page n'existe pas ou n'est plus disponible.",
        "bad_request_title": "Formulaire expiré",
        "csrf": "Le formulaire a expiré ou n'est pas valide. Rechargez la page et réessayez.",
        "error_title": "Demande refusée",
        "unavailable_title": "Service momentanément indisponible",
        "unavailable": (
            "La base de données est momentanément indisponible ; réessayez dans quelques minutes."
        ),
    },
    "en": {
        "site": "Mali Protection Cluster",
        "other_language": "Français",
        "back": "Back to the dashboard",
        "nav_upload": "Upload a file",
        "nav_mappings": "Learned places",
        "nav_versions": "Versions:",
        "index_title": "Load data",
        "index_intro": (
            "Drop a CSV, XLSX or JSON export. Nothing changes on the dashboard before you have "
            "read the report and clicked “Publish”."
        ),
        "stream": "Data stream",
        "stream_auto": "Detect from the file",
        "stream_incidents": "Protection incidents",
        "stream_displacement": "Displacement",
        "stream_services": "Services (3W/5W)",
        "stream_access": "Access constraints",
        "stream_population": "Population",
        "file": "File",
        "drop_here": "Drag and drop the file here, or choose it:",
        "limits": "CSV, TXT, XLSX or JSON; {size} at most.",
        "upload": "Upload and check",
        "uploading": "Uploading… {percent}%",
        "upload_failed": "The upload failed (connection lost?). Try again.",
        "checking": "Reading and checking…",
        "last_updates": "Data currently published",
        "open_drafts": "Drafts waiting (checked, not yet published)",
        "updated_at": "Updated",
        "never": "never",
        "see_versions": "see the versions",
        "job_title": "Checking the file",
        "job_running": "Stage: {stage} — {percent}%",
        "job_wait": "This page updates itself.",
        "job_failed_title": "The file could not be read",
        "stage_queued": "waiting",
        "stage_read": "reading and placing rows",
        "stage_report": "report and comparison",
        "stage_detecting": "recognising the stream",
        "stage_done": "done",
        "job_crashed": "Unexpected error while reading; it is recorded in the server log.",
        "job_interrupted": "The check was interrupted (server restarted). Upload the file again.",
        "job_rejected": "File rejected:",
        "stream_unknown": (
            "The stream of this file cannot be recognised: choose it in the “Data stream” list."
        ),
        "upload_missing": "No file received: choose a file.",
        "upload_stream": "Unknown stream: choose one from the list.",
        "upload_type": "File type not accepted ({suffix}): upload a CSV, TXT, TSV, XLSX or JSON.",
        "upload_empty": "The file is empty (0 bytes).",
        "upload_not_xlsx": (
            "This file is named .xlsx but is not an Excel workbook (.xlsx); save it again "
            "from Excel."
        ),
        "upload_binary": (
            "This {suffix} file holds binary data (a renamed workbook or picture?); upload a "
            "real CSV or the .xlsx workbook."
        ),
        "upload_too_big": "The file is over the maximum size of {size}.",
        "report_title": "Check report (nothing is published yet)",
        "draft_of": "{file} — {stream}, uploaded by {user} on {when}",
        "rows_read": "Rows read",
        "rows_accepted": "Rows accepted",
        "rows_rejected": "Rows rejected",
        "date_range": "Dates covered",
        "date_range_none": "no dates",
        "vintage": "P-code vintage recognised",
        "match_methods": "How rows were placed",
        "method": "Method",
        "rows": "Rows",
        "method_pcode": "by p-code",
        "method_name": "by name",
        "method_fuzzy": "by approximate name",
        "method_point": "by coordinates",
        "method_learned": "by a learned place",
        "method_unresolved": "not placed",
        "comparison": "What changes if you publish (totals by région)",
        "comparison_none": "No published version of this stream: everything will be new.",
        "active_version": "Published version: {version}",
        "region": "Région",
        "pcode": "P-code",
        "active": "Published",
        "draft": "This file",
        "change": "Change",
        "total": "Total",
        "measure_rows": "rows",
        "measure_events": "events",
        "measure_fatalities": "fatalities",
        "measure_victims": "victims",
        "measure_idps": "IDPs",
        "measure_returnees": "returnees",
        "measure_repatriated": "repatriated",
        "measure_population": "population",
        "published_vs_file": "published → file",
        "not_teachable": "given by a code or coordinates: correct it in the file",
        "loss_warning": "This file has {share}% fewer rows than the published version.",
        "warnings": "Warnings",
        "flagged": "{count} cell(s) that look like formulas kept as text.",
        "conflicts": "{count} row(s) whose coordinates contradict their name or p-code.",
        "unresolved_title": "Places not recognised",
        "unresolved_intro": (
            "These names were not placed. Pick the right place once: it is remembered for "
            "every later import (and the command line)."
        ),
        "unresolved_none": "Every place was recognised.",
        "name": "Name in the file",
        "level": "Level",
        "level_1": "région",
        "level_2": "cercle",
        "within": "in",
        "count": "Rows",
        "candidates": "Suggested places",
        "no_candidate": "no suggestion",
        "similarity": "similarity {score}%",
        "other_pcode": "or p-code:",
        "learn": "Remember this place",
        "learned": "“{name}” will now be placed in {place} ({pcode}).",
        "recheck_intro": "Check this file again so that the report takes it into account.",
        "recheck": "Check this file again",
        "recheck_gone": "The uploaded file is no longer kept; upload it again to re-check it.",
        "learn_missing": "Pick a suggested place or type a p-code.",
        "learn_bad_pcode": "{pcode} is not a {level} p-code of Mali (2021 COD).",
        "learn_failed": "The place could not be remembered: {reason}",
        "rejected_title": "Rejected rows",
        "rejected_none": "No row rejected.",
        "row": "Row",
        "column": "Column",
        "reason": "Reason",
        "rejected_page": "Rows {first} to {last} of {total}",
        "previous": "Previous",
        "next": "Next",
        "publish": "Publish",
        "discard": "Discard",
        "publish_intro": (
            "Publishing replaces this stream's live version for every user (earlier versions "
            "are kept and can be restored)."
        ),
        "refused_empty": (
            "Publishing refused: no row of this file was accepted; publishing it would empty "
            "the data. Nothing was changed."
        ),
        "refused_loss": (
            "Publishing refused: this file has {draft} rows where the published version has "
            "{active}; {share}% of the rows would be lost (more than {limit}%)."
        ),
        "refused_rejected": (
            "Publishing refused: {rejected} of the {read} rows of this file were rejected "
            "({share}%, more than {limit}%)."
        ),
        "refused_stale": "This draft was already published or discarded: it cannot change.",
        "not_draft": "This import is {status}: it can no longer be published or discarded.",
        "confirm_loss": "I confirm I want to publish despite the data loss.",
        "published": "Version published. The dashboard shows it within a few seconds.",
        "discarded": "Draft discarded: nothing changed.",
        "draft_gone": "This draft no longer exists (already published or discarded?).",
        "mappings_title": "Learned places",
        "mappings_intro": (
            "Names placed by hand; every import uses them, the command line included."
        ),
        "mappings_none": "No learned place yet.",
        "place": "Place",
        "scope": "Scope",
        "scope_all": "everywhere",
        "who": "By",
        "when": "On (UTC)",
        "remove": "Remove",
        "confirm_remove": "Remove this learned place?",
        "removed": "Learned place removed.",
        "versions_title": "Versions: {stream}",
        "versions_none": "No version of this stream.",
        "version": "Version",
        "status": "Status",
        "status_published": "published",
        "status_draft": "draft",
        "status_discarded": "discarded",
        "status_active": "live",
        "created": "Created",
        "published_at": "Published",
        "file_name": "File",
        "report": "Report",
        "report_line": "{read} read, {accepted} accepted, {rejected} rejected",
        "rollback": "Roll back to this version",
        "confirm_rollback": "Put this version back online for every user?",
        "rolled_back": "Version {version} is live again.",
        "rollback_failed": "Rollback impossible: {reason}",
        "forbidden_title": "Access denied",
        "forbidden": "These pages are for information managers only.",
        "not_found_title": "Not found",
        "not_found": "This page does not exist or is no longer available.",
        "bad_request_title": "Form expired",
        "csrf": "The form has expired or is not valid. Reload the page and try again.",
        "error_title": "Request refused",
        "unavailable_title": "Temporarily unavailable",
        "unavailable": "The database is temporarily unavailable; try again in a few minutes.",
    },
}


def language() -> str:
    """``en`` when the request asks for it (``?lang=en`` or a form field), else ``fr``."""
    asked = request.args.get("lang") or ""
    if not asked:
        try:
            asked = request.form.get("lang") or ""
        except RequestEntityTooLarge:  # the body is over the limit: never parse it
            asked = ""
    return "en" if asked.strip().lower() == "en" else "fr"


class Texts(dict):
    """One language's texts; ``t.key`` in templates, ``t("key", value=…)`` to fill one in,
    and the raw key (never an error page) for a key the catalogue lacks (a new stage name)."""

    def __getattr__(self, key: str) -> str:
        return self.get(key, key)

    def __call__(self, key: str, **values: object) -> str:
        text = self.get(key, key)
        return text.format(**values) if values else text


def texts(lang: str) -> Texts:
    """The texts in ``lang`` (French for anything unknown)."""
    return Texts(TEXTS.get(lang, TEXTS["fr"]))
