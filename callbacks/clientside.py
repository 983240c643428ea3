"""Callbacks that run in the browser only (no request to the server, nothing to protect).

- **Copier le lien**: copies the address of the current view with the clipboard API and says
  "Lien copié"; where the API is missing or refused (a plain-http address other than
  localhost is not a secure context), the link is shown selected in a read-only box, copied
  with the older ``execCommand("copy")`` when the browser allows it, and the viewer is told
  to copy it by hand otherwise.
"""

from __future__ import annotations

import json

from dash import Dash, Input, Output, State

from layouts import ids
from layouts.i18n import LANGUAGES, t

STATUS_SECONDS = 4

COPY_LINK_JS = """
async function (n, lang) {
    const dc = window.dash_clientside;
    if (!n) { return [dc.no_update, dc.no_update, dc.no_update]; }
    clearTimeout(window.copyLinkTimer);
    const all = TEXTS;
    const texts = all[lang] || all.fr;
    const url = window.location.href;
    const hidden = {display: "none"};
    const clear = () => {  // the confirmation goes after a few seconds (one timer at a time)
        clearTimeout(window.copyLinkTimer);
        window.copyLinkTimer = setTimeout(() => {
            if (dc.set_props) { dc.set_props("STATUS_ID", {children: ""}); }
        }, SECONDS * 1000);
    };
    try {
        if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.writeText) {
            throw new Error("no clipboard API");
        }
        await navigator.clipboard.writeText(url);
        clear();
        return [texts.copied, url, hidden];
    } catch (error) {
        setTimeout(() => {
            const box = document.getElementById("URL_ID");
            if (!box) { return; }
            box.focus();
            box.select();
            let copied = false;
            try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
            if (copied && dc.set_props) {
                dc.set_props("STATUS_ID", {children: texts.copied});
                clear();
            }
        }, 60);
        return [texts.manual, url, {display: "inline-block", width: "24em"}];
    }
}
"""


def register_clientside(app: Dash) -> None:
    texts = {
        lang: {"copied": t("link_copied", lang), "manual": t("link_copy_manual", lang)}
        for lang in LANGUAGES
    }
    copy_js = (
        COPY_LINK_JS.replace("TEXTS", json.dumps(texts, ensure_ascii=False))
        .replace("STATUS_ID", ids.COPY_LINK_STATUS)
        .replace("URL_ID", ids.COPY_LINK_URL)
        .replace("SECONDS", str(STATUS_SECONDS))
    )
    app.clientside_callback(
        copy_js,
        Output(ids.COPY_LINK_STATUS, "children"),
        Output(ids.COPY_LINK_URL, "value"),
        Output(ids.COPY_LINK_URL, "style"),
        Input(ids.COPY_LINK, "n_clicks"),
        State(ids.ROOT, "lang"),
        prevent_initial_call=True,
    )
