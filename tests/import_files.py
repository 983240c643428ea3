"""Real-format import files for the upload tests, built from the vendored gazetteer: French
headers, semicolons, accents, a BOM, dd/mm/yyyy dates, some bad rows and unknown place names."""

from __future__ import annotations

from geo.gazetteer import load_gazetteer

HEADER = "Date;Région;Cercle;Catégorie;Nombre de victimes"
UNKNOWN_CERCLE = "Secteur Kel Ansar"  # a local name no gazetteer knows (in Tombouctou)
UNKNOWN_REGION = "Tombouctou"
TEACH_AS = "ML0602"  # the cercle an IMO says it is (Goundam)
BAD_ROWS = (
    "31/02/2024;Mopti;Bandiagara;Atteinte à la propriété;1",  # no 31 February
    "xx/03/2024;Gao;Ansongo;VBG;1",  # unreadable date
    "05/03/2024;Gao;Ansongo;VBG;-4",  # negative count
)


def incidents_csv(month: str = "03/2024", per_cercle: int = 2, unknown_rows: int = 2) -> bytes:
    """One "atteinte à la propriété" incident per cercle and day for ``per_cercle`` days of
    ``month`` (``mm/yyyy``), the :data:`BAD_ROWS`, and ``unknown_rows`` rows placed in the
    unknown cercle :data:`UNKNOWN_CERCLE`; UTF-8 with a BOM, CRLF, as Excel saves it."""
    gazetteer = load_gazetteer()
    lines = [HEADER]
    for cercle in gazetteer.cercles():
        region = gazetteer.name(cercle.parent)
        for day in range(1, per_cercle + 1):
            lines.append(f"{day:02d}/{month};{region};{cercle.name};Atteinte à la propriété;1")
    lines.extend(BAD_ROWS)
    for day in range(1, unknown_rows + 1):
        lines.append(f"{day:02d}/{month};{UNKNOWN_REGION};{UNKNOWN_CERCLE};Atteinte à la vie;2")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def accepted_rows(per_cercle: int = 2, unknown_rows: int = 2) -> int:
    """Rows of :func:`incidents_csv` that are accepted (placed or not)."""
    return len(load_gazetteer().cercles()) * per_cercle + unknown_rows
