"""The routes of the import screens, all under ``/imports`` and all for information managers.

Every request — pages, form posts, job polls, the script — passes :func:`guard` first: the role
is read on the server from the session (a member gets 403, nobody logged in is sent to the login
page), and every POST must carry the form's CSRF token.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, redirect, request
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from werkzeug.wrappers import Response as BaseResponse

from accounts.roles import Role
from accounts.web import identity
from accounts.web.redirects import safe_next
from data.limits import Limits
from data.publishing import Publisher, PublishRefused, max_loss_share
from data.schemas import STREAMS
from imports.web.i18n import language, texts
from imports.web.jobs import Jobs, JobState
from imports.web.pages import lang_url, message, render, size_text
from imports.web.places import PlaceCheck
from imports.web.report import ReportView
from imports.web.uploads import UploadError, Uploads
from imports.web.work import read_upload
from layouts.i18n import number

if TYPE_CHECKING:
    from accounts.web.extension import Accounts

_log = logging.getLogger(__name__)
MULTIPART_SLACK = 64 * 1024  # form fields and boundaries around the file
LOOKUP_ERRORS = (LookupError, ValueError)  # what the publisher raises for an unknown id


def wants_json() -> bool:
    return request.args.get("format") == "json" or (
        request.accept_mimetypes.best == "application/json"
    )


def _see_other(location: str) -> BaseResponse:
    response = redirect(location, code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refuse(status: int, key: str, title_key: str) -> BaseResponse:
    lang = language() if request.method == "GET" else _safe_language()
    if wants_json():
        response = jsonify(error=texts(lang)[key])
        response.status_code = status
        return response
    return message(lang, title_key, texts(lang)[key], status)


def _safe_language() -> str:
    """The language of a POST without parsing its body (it may be over the limit)."""
    return "en" if request.args.get("lang", "").lower() == "en" else "fr"


def _share(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def refusal_text(refused: PublishRefused, draft: Any, lang: str) -> str:
    """Why publishing (or discarding) was refused, in the page's language, with the numbers."""
    t = texts(lang)
    comparison, report = draft.comparison or {}, draft.report or {}
    rows = comparison.get("rows") or {}
    limit = number(max_loss_share() * 100, lang)
    if refused.code == "loss" and "rejected_share" in refused.detail:
        return t(
            "refused_rejected",
            rejected=number(report.get("rows_rejected", 0), lang),
            read=number(report.get("rows_read", 0), lang),
            share=number(_share(refused.detail["rejected_share"]) * 100, lang, 1),
            limit=limit,
        )
    if refused.code == "loss":
        return t(
            "refused_loss",
            draft=number(rows.get("draft", 0), lang),
            active=number(rows.get("active", 0), lang),
            share=number(_share(refused.detail.get("loss_share")) * 100, lang, 1),
            limit=limit,
        )
    key = f"refused_{refused.code}"
    return t[key] if key in t else str(refused)


def make_blueprint(
    accounts: Accounts, publisher: Publisher, jobs: Jobs, uploads: Uploads
) -> Blueprint:
    """The routes, bound to one deployment's publisher, job folder and upload folder."""
    bp = Blueprint("imports", __name__, url_prefix="/imports", static_folder="static")
    places = PlaceCheck()

    def username() -> str:
        return identity.current_username() or ""

    @bp.before_request
    def guard() -> BaseResponse | None:
        request.max_content_length = Limits.from_env().max_bytes + MULTIPART_SLACK
        user = identity.current_user()
        if user is None:
            if request.method == "GET" and not wants_json():
                query = {"next": safe_next(request.full_path.rstrip("?"))}
                if _safe_language() == "en":
                    query["lang"] = "en"
                return _see_other(f"{request.script_root}/login?{urlencode(query)}")
            return _refuse(403, "forbidden", "forbidden_title")
        if not user.role.at_least(Role.imo):
            return _refuse(403, "forbidden", "forbidden_title")
        if request.method == "POST":
            accounts.csrf.protect()
        return None

    def page(template: str, title: str, status: int = 200, **context: Any) -> BaseResponse:
        return render(
            template,
            language(),
            title,
            status=status,
            streams=STREAMS,
            csrf_token=generate_csrf(),
            place_name=places.name,
            **context,
        )

    def back(path: str, **query: Any) -> BaseResponse:
        return _see_other(lang_url(request.script_root + path, language(), **query))

    # -- upload and its job --------------------------------------------------------------

    @bp.get("/")
    def index() -> BaseResponse:
        t = texts(language())
        notice = t.discarded if request.args.get("done") == "discarded" else ""
        return index_page(200, notice=notice, error="")

    def index_page(status: int, **extra: Any) -> BaseResponse:
        lang = language()
        limit = Limits.from_env().max_bytes
        drafts = [
            version
            for stream in STREAMS
            for version in publisher.versions(stream)
            if version.status == "draft"
        ]
        return page(
            "index.html",
            texts(lang).index_title,
            status=status,
            max_size=size_text(limit, lang),
            max_bytes=limit,
            updated=publisher.updated_at(),
            drafts=sorted(drafts, key=lambda v: v.created_at, reverse=True),
            **extra,
        )

    def upload_refused(error: UploadError) -> BaseResponse:
        lang = language()
        values = dict(error.values)
        if "limit" in values:
            values["size"] = size_text(int(values.pop("limit")), lang)
        text = texts(lang)(error.key, **values)
        if wants_json():
            response = jsonify(error=text)
            response.status_code = 413 if error.key == "upload_too_big" else 400
            return response
        return index_page(413 if error.key == "upload_too_big" else 400, error=text)

    def start_job(upload, previous_draft: str | None = None) -> BaseResponse:
        user = username()
        job_id = jobs.start(
            user,
            lambda progress: read_upload(
                publisher, uploads, upload, user, progress, previous_draft
            ),
        )
        status_url = lang_url(f"{request.script_root}/imports/jobs/{job_id}", language())
        if wants_json():
            response = jsonify(job=job_id, status_url=status_url)
            response.status_code = 202
            return response
        return _see_other(status_url)

    @bp.post("/upload")
    def upload() -> BaseResponse:
        asked = request.form.get("stream", "auto")
        if asked != "auto" and asked not in STREAMS:
            return upload_refused(UploadError("upload_stream"))
        file = request.files.get("file")
        if file is None or not file.filename:
            return upload_refused(UploadError("upload_missing"))
        try:
            saved = uploads.save(
                file.stream, file.filename, username(), asked, Limits.from_env().max_bytes
            )
        except UploadError as error:
            return upload_refused(error)
        return start_job(saved)

    @bp.get("/jobs/<job_id>")
    def job(job_id: str) -> BaseResponse:
        state = jobs.status(job_id, username())
        if state is None:
            raise NotFound()
        lang = language()
        draft_url = lang_url(f"{request.script_root}/imports/drafts/{state.result}", lang)
        if wants_json():
            return jsonify(job_json(state, lang, draft_url))
        if state.state == "done":
            return _see_other(draft_url)
        return page("job.html", texts(lang).job_title, job=state)

    def job_json(state: JobState, lang: str, draft_url: str) -> dict[str, Any]:
        t = texts(lang)
        return {
            "state": state.state,
            "stage": state.stage,
            "stage_text": t.get(f"stage_{state.stage}", state.stage),
            "fraction": state.fraction,
            "draft_url": draft_url if state.state == "done" else None,
            "error": f"{t.get(state.error_key, state.error_key)} {state.error_detail}".strip()
            if state.state == "failed"
            else None,
        }

    # -- the draft: report, publish, discard, teach, re-check ----------------------------

    def load_draft(draft_id: str):
        try:
            return publisher.draft(draft_id)
        except LOOKUP_ERRORS:
            raise NotFound() from None

    def draft_status(draft) -> str:
        """draft, published or discarded (the publisher lists it with its stream's versions)."""
        for version in publisher.versions(draft.stream):
            if version.id == draft.id:
                return version.status
        return "draft"

    def draft_page(draft, status: int = 200, **extra: Any) -> BaseResponse:
        lang = language()
        view = ReportView(draft, lang)
        state = draft_status(draft)
        t = texts(lang)
        page_number = request.args.get("page", "1")
        return page(
            "draft.html",
            texts(lang).report_title,
            status=status,
            draft=draft,
            report=draft.report,
            comparison=view.comparison(),
            measures=view.measures(),
            status_text="" if state == "draft" else t("not_draft", status=t[f"status_{state}"]),
            unresolved=draft.unresolved,
            methods=view.methods(),
            dates=view.dates(),
            warnings=view.warnings(),
            loss_percent=view.loss_percent(),
            rejected=view.rejected_page(page_number),
            signed=view.signed,
            can_recheck=uploads.for_draft(str(draft.id)) is not None,
            **extra,
        )

    @bp.get("/drafts/<draft_id>")
    def draft(draft_id: str) -> BaseResponse:
        found = load_draft(draft_id)
        learned = ""
        if request.args.get("learned"):
            pcode = request.args.get("pcode", "")
            learned = texts(language())(
                "learned",
                name=request.args.get("learned", "")[:200],
                place=places.name(pcode),
                pcode=pcode[:20],
            )
        return draft_page(found, learned=learned)

    @bp.post("/drafts/<draft_id>/publish")
    def publish(draft_id: str) -> BaseResponse:
        found = load_draft(draft_id)
        confirm = request.form.get("confirm") == "yes"
        try:
            version = publisher.publish(found.id, username(), confirm=confirm)
        except PublishRefused as refused:
            return draft_page(
                found,
                status=409,
                refusal=refusal_text(refused, found, language()),
                refusal_code=refused.code,
            )
        uploads.forget(str(found.id))
        return back(f"/imports/versions/{version.stream}", published=version.id)

    @bp.post("/drafts/<draft_id>/discard")
    def discard(draft_id: str) -> BaseResponse:
        found = load_draft(draft_id)
        try:
            publisher.discard(found.id, username())
        except PublishRefused as refused:
            return draft_page(found, status=409, error=refusal_text(refused, found, language()))
        uploads.forget(str(found.id))
        return back("/imports/", done="discarded")

    @bp.post("/drafts/<draft_id>/learn")
    def learn(draft_id: str) -> BaseResponse:
        found = load_draft(draft_id)
        t = texts(language())
        name = request.form.get("name", "").strip()[:200]
        level = places.level(request.form.get("level", ""))
        typed = request.form.get("pcode", "").strip()
        pcode = typed or request.form.get("candidate", "").strip()
        parent = request.form.get("parent", "").strip() or None
        if not name or not pcode:
            return draft_page(found, status=400, error=t.learn_missing)
        checked = places.check(pcode, level)
        if checked is None:
            level_text = t.get(f"level_{level}", "") if level else ""
            return draft_page(
                found,
                status=400,
                error=t("learn_bad_pcode", pcode=pcode[:20], level=level_text).replace("  ", " "),
            )
        try:
            publisher.learn(name, checked, username(), level=level, scope=parent)
        except ValueError as error:
            return draft_page(found, status=400, error=t("learn_failed", reason=str(error)))
        return back(f"/imports/drafts/{found.id}", learned=name, pcode=checked)

    @bp.post("/drafts/<draft_id>/recheck")
    def recheck(draft_id: str) -> BaseResponse:
        found = load_draft(draft_id)
        saved = uploads.for_draft(str(found.id))
        if saved is None:
            return draft_page(found, status=410, error=texts(language()).recheck_gone)
        return start_job(saved, previous_draft=str(found.id))

    # -- learned places ------------------------------------------------------------------

    @bp.get("/mappings")
    def mappings() -> BaseResponse:
        t = texts(language())
        notice = t.removed if request.args.get("done") == "removed" else ""
        return page("mappings.html", t.mappings_title, mappings=publisher.mappings(), notice=notice)

    @bp.post("/mappings/<int:mapping_id>/forget")
    def forget(mapping_id: int) -> BaseResponse:
        try:
            publisher.forget(mapping_id, username())
        except LOOKUP_ERRORS:
            raise NotFound() from None
        return back("/imports/mappings", done="removed")

    # -- versions and rollback -----------------------------------------------------------

    def versions_page(stream: str, status: int = 200, **extra: Any) -> BaseResponse:
        t = texts(language())
        return page(
            "versions.html",
            t("versions_title", stream=t[f"stream_{stream}"]),
            status=status,
            stream=stream,
            versions=publisher.versions(stream),
            **extra,
        )

    @bp.get("/versions/<stream>")
    def versions(stream: str) -> BaseResponse:
        if stream not in STREAMS:
            raise NotFound()
        t = texts(language())
        notice = ""
        if request.args.get("published"):
            notice = t.published
        elif request.args.get("rolled_back"):
            notice = t("rolled_back", version=request.args["rolled_back"][:80])
        return versions_page(stream, notice=notice)

    @bp.post("/versions/<stream>/rollback")
    def rollback(stream: str) -> BaseResponse:
        if stream not in STREAMS:
            raise NotFound()
        version_id = request.form.get("version", "").strip()
        try:
            restored = publisher.rollback(stream, version_id, username())
        except PublishRefused as refused:
            text = texts(language())("rollback_failed", reason=str(refused))
            return versions_page(stream, status=409, error=text)
        except LOOKUP_ERRORS as error:
            text = texts(language())("rollback_failed", reason=str(error))
            return versions_page(stream, status=404, error=text)
        return back(f"/imports/versions/{stream}", rolled_back=restored.id)

    # -- errors --------------------------------------------------------------------------

    @bp.errorhandler(CSRFError)
    def csrf_failed(_error: CSRFError) -> BaseResponse:
        return _refuse(400, "csrf", "bad_request_title")

    @bp.errorhandler(NotFound)
    def not_found(_error: NotFound) -> BaseResponse:
        return _refuse(404, "not_found", "not_found_title")

    @bp.errorhandler(RequestEntityTooLarge)
    def too_big(_error: RequestEntityTooLarge) -> BaseResponse:
        return upload_refused(UploadError("upload_too_big", limit=Limits.from_env().max_bytes))

    @bp.errorhandler(SQLAlchemyError)
    def database_down(error: SQLAlchemyError) -> BaseResponse:
        _log.error("database error on %s: %s", request.path, error)
        return _refuse(503, "unavailable", "unavailable_title")

    return bp
