"""Small server-rendered pages (login, admin, errors), with the locally served Bootstrap CSS.

No CDN and no web fonts: the dashboard must work on field connections and offline networks.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Response, request
from jinja2 import DictLoader, Environment, select_autoescape

from accounts.web.i18n import texts

BOOTSTRAP_CSS = "/assets/00-bootstrap-5.3.3.min.css"

_TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }} · {{ t.site }}</title>
<link rel="stylesheet" href="{{ root }}{{ css }}">
</head>
<body class="bg-light">
<main class="container py-5" style="max-width: {{ width }}">
<div class="d-flex justify-content-between align-items-baseline mb-4">
  <h1 class="h3 mb-0">{{ title }}</h1>
  <a class="small" href="?{{ other_query }}" hreflang="{{ other_lang }}">{{ t.other_language }}</a>
</div>
{% block content %}{% endblock %}
<p class="mt-4 small"><a href="{{ root }}/">{{ t.back }}</a></p>
</main>
</body>
</html>""",
    "login.html": """{% extends "base.html" %}{% block content %}
<p class="text-secondary">{{ t.login_intro }}</p>
{% if error %}<div class="alert alert-danger" role="alert">{{ error }}</div>{% endif %}
{% if username_now %}
<p class="small">{{ t.logged_in_as }} <strong>{{ username_now }}</strong></p>
{% endif %}
<form method="post" action="{{ root }}/login" class="card card-body shadow-sm">
  <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
  <input type="hidden" name="next" value="{{ next }}">
  <input type="hidden" name="lang" value="{{ lang }}">
  <div class="mb-3">
    <label class="form-label" for="username">{{ t.username }}</label>
    <input class="form-control" id="username" name="username" value="{{ username }}"
           autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
  </div>
  <div class="mb-3">
    <label class="form-label" for="password">{{ t.password }}</label>
    <input class="form-control" id="password" name="password" type="password"
           autocomplete="current-password" required>
  </div>
  <button class="btn btn-primary" type="submit">{{ t.login }}</button>
</form>
{% endblock %}""",
    "message.html": """{% extends "base.html" %}{% block content %}
<div class="alert alert-{{ level }}" role="alert">{{ message }}</div>
{% endblock %}""",
    "admin.html": """{% extends "base.html" %}{% block content %}
<div class="d-flex justify-content-between align-items-center mb-3">
  <span>{{ t.logged_in_as }} <strong>{{ username_now }}</strong></span>
  <form method="post" action="{{ root }}/logout">
    <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
    <input type="hidden" name="lang" value="{{ lang }}">
    <button class="btn btn-outline-secondary btn-sm" type="submit">{{ t.logout }}</button>
  </form>
</div>
<h2 class="h5">{{ t.users }}</h2>
<table class="table table-sm align-middle bg-white">
<thead><tr><th>{{ t.username }}</th><th>{{ t.role }}</th><th>{{ t.status }}</th>
<th>{{ t.last_login }}</th><th></th></tr></thead>
<tbody>
{% for user in users %}
<tr>
  <td>{{ user.username }}</td>
  <td>{{ t["role_" ~ user.role.value] }}</td>
  <td>{{ t.active if user.active else t.disabled }}</td>
  <td>{{ user.last_login.strftime("%Y-%m-%d %H:%M") if user.last_login else t.never }}</td>
  <td>
    <form method="post" action="{{ root }}/admin/role" class="d-flex gap-2">
      <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
      <input type="hidden" name="lang" value="{{ lang }}">
      <input type="hidden" name="username" value="{{ user.username }}">
      <select class="form-select form-select-sm" name="role"
              aria-label="{{ t.role }} {{ user.username }}">
        {% for role in roles %}
        <option value="{{ role.value }}"{% if role == user.role %} selected{% endif %}>
          {{- t["role_" ~ role.value] -}}
        </option>
        {% endfor %}
      </select>
      <button class="btn btn-sm btn-primary" type="submit">{{ t.change }}</button>
    </form>
  </td>
</tr>
{% endfor %}
</tbody>
</table>
<h2 class="h5 mt-4">{{ t.audit }}</h2>
<table class="table table-sm small bg-white">
<thead><tr><th>{{ t.when }}</th><th>{{ t.action }}</th><th>{{ t.who }}</th>
<th>{{ t.address }}</th><th>{{ t.detail }}</th></tr></thead>
<tbody>
{% for event in events %}
<tr><td>{{ event.at.strftime("%Y-%m-%d %H:%M:%S") }}</td><td>{{ event.action }}</td>
<td>{{ event.username }}</td><td>{{ event.remote_addr }}</td>
<td><code>{{ detail(event.detail) }}</code></td></tr>
{% endfor %}
</tbody>
</table>
{% endblock %}""",
}

_env = Environment(loader=DictLoader(_TEMPLATES), autoescape=select_autoescape(default=True))


def _detail(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def render(
    template: str,
    lang: str,
    title_key: str,
    *,
    status: int = 200,
    width: str = "32rem",
    **context: Any,
) -> Response:
    """A complete HTML page; every value is escaped. Never cached (it may show a user name)."""
    t = texts(lang)
    other = "fr" if lang == "en" else "en"
    args = request.args.to_dict()
    args["lang"] = other
    html = _env.get_template(template).render(
        lang=lang,
        t=t,
        title=t[title_key],
        root=request.script_root,
        css=BOOTSTRAP_CSS,
        width=width,
        other_lang=other,
        other_query=urlencode(args),
        detail=_detail,
        **context,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def message(
    lang: str, title_key: str, message_key: str, status: int, level: str = "danger"
) -> Response:
    """An error or notice page: 400, 403, 429..."""
    return render(
        "message.html",
        lang,
        title_key,
        status=status,
        message=texts(lang)[message_key],
        level=level,
    )
