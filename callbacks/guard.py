"""The callback endpoint's door: a request must match a registered callback before any work.

Why: ``POST /_dash-update-component`` is public, and Dash trusts its body's shape: a missing
key, a wrong number of inputs or a deeply nested value ends in a traceback and an HTTP 500.
Here a body is checked against the callback map (the same output, the same inputs and states,
in order) and bounded in size and depth; anything else gets a clean 400 with a one-line reason.
The values themselves are validated by each callback (:func:`callbacks.state.clean_slice`).
A callback that still fails answers 400 and logs one line, never a traceback to the client.
"""

from __future__ import annotations

import functools
import logging

from dash import Dash
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

LOG = logging.getLogger(__name__)
MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 24
UPDATE_PATH = "/_dash-update-component"


def _depth_ok(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether nested lists/dicts stay within ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _matches(sent: object, declared: list[dict]) -> bool:
    """The inputs (or states) a body sends are the callback's, in order, each with a value key."""
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    for item, want in zip(sent, declared, strict=True):
        if not isinstance(item, dict):
            return False
        if item.get("id") != want["id"] or item.get("property") != want["property"]:
            return False
    return True


def body_problem(app: Dash, body: object) -> str | None:
    """Why a callback request body is not one of this app's callbacks (None: it is)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    if not _depth_ok(body):
        return "the body is nested too deeply"
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        return "unknown callback output"
    spec = app.callback_map[output]
    if "callback" not in spec:  # clientside: runs in the browser, nothing to answer here
        return "not a server callback"
    if not _matches(body.get("inputs"), spec["inputs"]):
        return "inputs do not match the callback"
    if not _matches(body.get("state", []), spec.get("state", [])):
        return "states do not match the callback"
    outputs = body.get("outputs")
    if not isinstance(outputs, (dict, list)):
        return "outputs missing"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds must be a list of strings"
    return None


def _refuse(reason: str) -> Response:
    response = jsonify({"error": "invalid callback request", "reason": reason})
    response.status_code = 400
    return response


def install_guard(app: Dash) -> None:
    """Check every callback request before Dash reads it; answer failures with a clean 400."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    path = app.config.requests_pathname_prefix.rstrip("/") + UPDATE_PATH

    @server.before_request
    def check_callback_request():
        if request.path != path:
            return None
        if request.method != "POST":
            return _refuse("POST only")
        try:
            body = request.get_json(silent=True)
        except (RecursionError, ValueError, UnicodeDecodeError):
            body = None
        problem = body_problem(app, body)
        if problem:
            LOG.info("refused callback request: %s", problem)
            return _refuse(problem)
        return None

    endpoint = next(rule.endpoint for rule in server.url_map.iter_rules() if rule.rule == path)
    dispatch = server.view_functions[endpoint]

    @functools.wraps(dispatch)
    def guarded_dispatch(*args, **kwargs):
        try:
            return dispatch(*args, **kwargs)
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 - one line in the log, a clean 400 out
            LOG.error("callback request failed: %s: %s", type(error).__name__, str(error)[:200])
            return _refuse("the request could not be answered")

    server.view_functions[endpoint] = guarded_dispatch
