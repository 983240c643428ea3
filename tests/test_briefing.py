"""Briefing packs: the CLI writes PDF, PPTX and an offline HTML file for Mali and a région in
French and English; the files are opened and checked (pages, slides, texts, pictures), the PDF
pages are rendered to PNG with pdftoppm, and the public pack never shows a small sensitive count
that the member pack shows."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from analysis import gate
from analysis.dataset import load_data
from analysis.protection import ProtectionPolicy
from briefing import cli
from briefing.content import briefing_state, collect
from briefing.pack import pack_bytes

REPO = Path(__file__).resolve().parent.parent
PERIOD = ("2019-10", "2019-12")
CASES = [("ML", "fr"), ("ML", "en"), ("ML05", "fr"), ("ML05", "en")]
SCOPE_TEXT = {"ML": "Mali", "ML05": "Mopti"}
PERIOD_TEXT = {"fr": "oct. 2019 – déc. 2019", "en": "Oct 2019 – Dec 2019"}
DEMO = {"fr": "DONNÉES DE DÉMONSTRATION", "en": "DEMO DATA"}
MEMBERS_ONLY = {"fr": "réservé aux membres", "en": "members only"}
GBV = {"fr": "Violences basées sur le genre (VBG)", "en": "Gender-based violence (GBV)"}


@pytest.fixture(scope="module")
def data():
    """Demo data with a fixed publishing key (the CLI reads the deployment's; see below)."""
    return load_data(use_store=False, policy=ProtectionPolicy(key=b"briefing-test-key"))


def _name(scope: str, lang: str, role: str, fmt: str) -> str:
    return f"briefing_{scope}_{PERIOD[0]}_{PERIOD[1]}_{lang}_{role}.{fmt}"


@pytest.fixture(scope="module")
def packs(data, tmp_path_factory):
    """Every case written by the CLI entry point (in-process, sharing the loaded data), plus a
    member pack of Mopti."""
    out = tmp_path_factory.mktemp("packs")
    for scope, lang in CASES:
        argv = ["--scope", scope, "--from", PERIOD[0], "--to", PERIOD[1], "--lang", lang]
        assert cli.main([*argv, "--format", "pdf,pptx,html", "--out", str(out)], data=data) == 0
    member = ["--scope", "ML05", "--from", PERIOD[0], "--to", PERIOD[1], "--role", "member"]
    assert cli.main([*member, "--format", "pdf,pptx", "--out", str(out)], data=data) == 0
    return out


def _pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _slide_texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


@pytest.mark.parametrize(("scope", "lang"), CASES)
def test_cli_writes_a_pdf_a_pptx_and_an_html_file_per_scope_and_language(packs, scope, lang):
    for fmt, magic in (("pdf", b"%PDF"), ("pptx", b"PK"), ("html", b"<!DOCTYPE html>")):
        path = packs / _name(scope, lang, "public", fmt)
        assert path.read_bytes().startswith(magic), path


@pytest.mark.parametrize(("scope", "lang"), CASES)
def test_pdf_is_a4_landscape_with_title_figures_maps_trends_method_and_demo_mark(
    packs, scope, lang
):
    path = packs / _name(scope, lang, "public", "pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 5
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    pages = _pdf_text(path)
    for text in pages:
        assert DEMO[lang] in text  # the demo mark on every page
    first = pages[0]
    assert SCOPE_TEXT[scope] in first and PERIOD_TEXT[lang] in first
    assert ("Données : janv. 2018" if lang == "fr" else "Data: Jan 2018") in first
    assert "geoBoundaries" in first  # sources on the title page
    assert ("Chiffres clés" if lang == "fr" else "Key figures") in first
    assert ("Incidents" in first) and ("Retournés" if lang == "fr" else "Returnees") in first
    assert "Bandiagara" in pages[1] if scope == "ML05" else "Tombouctou" in pages[1]
    assert ("Cercles prioritaires" if lang == "fr" else "Priority cercles") in pages[2]
    assert ("Tendances" if lang == "fr" else "Trends") in pages[3]
    assert ("Protection des données" if lang == "fr" else "Data protection") in pages[4]
    assert ("Ne pas nuire" if lang == "fr" else "Do no harm") in pages[4]
    for number in (1, 2, 3):  # incidents map, gap map, two trend charts
        assert len(reader.pages[number].images) >= 1


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
@pytest.mark.parametrize(("scope", "lang"), [("ML", "fr"), ("ML05", "en")])
def test_pdf_pages_render_to_png(packs, scope, lang, tmp_path):
    path = packs / _name(scope, lang, "public", "pdf")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 5
    for png in pngs:
        image = Image.open(png).convert("L")
        assert image.width > image.height  # landscape
        low, high = image.getextrema()
        assert high - low > 100  # something is drawn, not a blank page


@pytest.mark.parametrize(("scope", "lang"), CASES)
def test_pptx_is_16_9_with_texts_tables_pictures_and_the_demo_mark(packs, scope, lang):
    prs = Presentation(str(packs / _name(scope, lang, "public", "pptx")))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert len(slides) == 6
    for slide in slides:
        assert any(DEMO[lang] in text for text in _slide_texts(slide))
    first = " ".join(_slide_texts(slides[0]))
    assert SCOPE_TEXT[scope] in first and PERIOD_TEXT[lang] in first
    pictures = [
        sum(1 for shape in slide.shapes if shape.shape_type == 13) for slide in slides
    ]  # 13 = picture
    assert pictures == [0, 0, 1, 1, 2, 0]
    assert any(shape.has_table for shape in slides[1].shapes)  # key figures
    assert any(shape.has_table for shape in slides[3].shapes)  # priorities
    method = " ".join(_slide_texts(slides[5]))
    assert ("Ne pas nuire" if lang == "fr" else "Do no harm") in method


def _assert_inside(prs) -> None:
    """Every shape of every slide lies inside the slide (tables: at their set row heights)."""
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (number, shape.name)


@pytest.mark.parametrize(("scope", "lang"), CASES)
def test_pptx_shapes_stay_inside_the_slides(packs, scope, lang):
    _assert_inside(Presentation(str(packs / _name(scope, lang, "public", "pptx"))))


def test_every_category_selected_continues_the_table_on_further_slides_and_pages(data):
    state = {**briefing_state(data, "ML05", *PERIOD, "en"), "cats": data.categories()}
    content = collect(data, state, "public")
    assert len(content.unit_tables) >= 3
    shown = [c for table in content.unit_tables for c in table.columns[1:]]
    assert "Battles" in shown and "Gender-based violence (GBV)" in shown
    _, body = pack_bytes(data, state, "public", "pptx")
    prs = Presentation(io.BytesIO(body))
    assert len(prs.slides) == 6 + len(content.unit_tables) - 1
    _assert_inside(prs)


def _gbv_cells(prs) -> dict[str, str]:
    """Cercle -> GBV cell of the incidents-by-category table (third slide)."""
    table = next(s.table for s in prs.slides[2].shapes if s.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    column = next(i for i, text in enumerate(header) if "VBG" in text or "GBV" in text)
    return {row.cells[0].text: row.cells[column].text for row in list(table.rows)[1:]}


def test_public_pack_withholds_cercle_sensitive_counts_that_the_member_pack_shows(packs, data):
    public = _gbv_cells(Presentation(str(packs / _name("ML05", "fr", "public", "pptx"))))
    member = _gbv_cells(Presentation(str(packs / _name("ML05", "fr", "member", "pptx"))))
    assert set(public) == set(member) and "Bandiagara" in public
    assert set(public.values()) == {MEMBERS_ONLY["fr"]}
    state = briefing_state(data, "ML05", *PERIOD, "fr")
    names = data.names(2)
    exact = {}
    for unit in gate.scope_units(data, state):
        rows = gate.unit_rows(data, {**state, "unit": unit}, "member")
        exact[names[unit]] = next((r["value"] for r in rows if r["key"] == "cat:pm_gbv"), "0")
    assert member == exact
    assert any(value in {"1", "2", "3", "4"} for value in member.values())  # small counts
    public_pdf = " ".join(_pdf_text(packs / _name("ML05", "fr", "public", "pdf")))
    member_pdf = " ".join(_pdf_text(packs / _name("ML05", "fr", "member", "pdf")))
    assert MEMBERS_ONLY["fr"] in public_pdf and MEMBERS_ONLY["fr"] not in member_pdf
    assert "RÉSERVÉ AUX MEMBRES DU CLUSTER" in member_pdf
    assert "RÉSERVÉ AUX MEMBRES DU CLUSTER" not in public_pdf


def test_pack_figures_are_the_gates_for_the_role(data):
    state = briefing_state(data, "", *PERIOD, "en")
    for role in ("public", "member"):
        content = collect(data, state, role)
        figures = gate.key_figures(data, state, role).figures
        assert content.key_figures[0].value == f"{figures[0]['value']:,.0f}"
        assert [n for n in content.incidents_map.labels] == [
            v.replace("\u202f", ",")
            for v in gate.indicator_values(data, {**state, "ind": "incidents"}, role).display
        ]
    content = collect(data, state, "public")
    assert content.view == "Public view"
    ranks = [row[0] for row in content.priorities.rows]
    assert [rank for _, rank in content.gap_map.marks] == ranks == [str(n) for n in range(1, 11)]


@pytest.mark.parametrize(("scope", "lang"), [("ML", "en"), ("ML05", "fr")])
def test_snapshot_is_one_file_with_no_external_url_script_or_link(packs, scope, lang):
    html = (packs / _name(scope, lang, "public", "html")).read_text("utf-8")
    assert not re.search(r"https?://", html)
    assert not re.search(r"<script|<link|<iframe|@import|url\(", html, re.IGNORECASE)
    sources = re.findall(r'src="([^"]*)"', html)
    assert len(sources) == 4 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert DEMO[lang] in html and SCOPE_TEXT[scope] in html
    assert ("Cercles prioritaires" if lang == "fr" else "Priority cercles") in html


@pytest.mark.parametrize(
    "argv",
    [
        ["--scope", "XX99", "--from", "2019-10", "--to", "2019-12"],
        ["--scope", "ML05", "--from", "2017-10", "--to", "2019-12"],
        ["--scope", "ML05", "--from", "2019-13", "--to", "2019-12"],
        ["--scope", "ML05", "--from", "2019-12", "--to", "2019-10"],
        ["--scope", "ML05", "--from", "2019-10", "--to", "2019-12", "--format", "docx"],
        ["--scope", "ML05", "--from", "2019-10", "--to", "2019-12", "--role", "admin"],
        ["--scope", "ML05", "--to", "2019-12"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, data, capsys, tmp_path):
    assert cli.main([*argv, "--out", str(tmp_path)], data=data) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefing: ") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_an_out_folder_that_cannot_be_made_exits_2(data, capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    argv = ["--from", "2019-10", "--to", "2019-12", "--out", str(blocker / "packs")]
    assert cli.main(argv, data=data) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefing: --out ") and err.count("\n") == 1


def test_role_defaults_to_public():
    args = cli.parser().parse_args(["--from", "2019-10", "--to", "2019-12"])
    assert args.role == "public" and args.scope == "ML"


def test_cli_uses_the_deployments_publishing_key(monkeypatch, tmp_path):
    monkeypatch.setenv("MALI_DASHBOARD_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("MALI_DASHBOARD_PUBLISHING_KEY", "deployment-key")
    loaded = cli._load()
    assert loaded.policy.key == b"deployment-key" and loaded.is_demo


def test_pack_bytes_gives_a_file_name_and_the_bytes(data):
    state = briefing_state(data, "ML05", *PERIOD, "en")
    name, body = pack_bytes(data, state, "public", "html")
    assert name == _name("ML05", "en", "public", "html")
    assert body.startswith(b"<!DOCTYPE html>")
    with pytest.raises(ValueError):
        pack_bytes(data, state, "public", "docx")


def test_python_m_briefing_runs_as_a_scheduled_job_would(tmp_path):
    env = {
        **os.environ,
        "MALI_DASHBOARD_STORE": str(tmp_path / "store"),  # empty: the demo data
        "MALI_DASHBOARD_DB_PATH": str(tmp_path / "accounts.sqlite3"),
        "PYTHONPATH": str(REPO),
    }
    argv = ["--scope", "ML05", "--from", "2019-10", "--to", "2019-12", "--lang", "en"]
    done = subprocess.run(
        [sys.executable, "-m", "briefing", *argv, "--format", "html", "--out", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    written = Path(done.stdout.strip())
    assert written.name == _name("ML05", "en", "public", "html") and written.exists()
