"""Heavy bad inputs, too big for the unit suite: each must exit 2 in bounded time and memory.

Run ``python -m bench.badinput [--workdir DIR] [--keep] [--quick]``. Every case is written
to the work folder (the 2 M-row workbook by writing its sheet XML directly, so building it
takes seconds, not minutes), then imported with ``python -m data.ingest incidents FILE
--dry-run`` in a child process whose wall time and peak resident memory (``wait4``) are
reported. ``--quick`` skips the cases that write hundreds of MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = "Date;Région;Catégorie\n"
TIMEOUT_S = 600

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
SCHEMAS = "http://schemas.openxmlformats.org"
MIME = "application/vnd.openxmlformats-"
SHEET_MIME = f"{MIME}officedocument.spreadsheetml"
RELS = f"{SCHEMAS}/officeDocument/2006/relationships"
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{SCHEMAS}/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{MIME}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_MIME}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SHEET_MIME}.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    f'{XML}<Relationships xmlns="{SCHEMAS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'{XML}<workbook xmlns="{SCHEMAS}/spreadsheetml/2006/main" xmlns:r="{RELS}">'
    '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{XML}<Relationships xmlns="{SCHEMAS}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _xlsx_rows(path: Path, rows: int, dimension: bool) -> Path:
    """A workbook of ``rows`` data rows (inline strings), with or without a dimension tag."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{XML}<worksheet xmlns="{SCHEMAS}/spreadsheetml/2006/main">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="A1:C{rows + 1}"/>'.encode())
            sheet.write(b"<sheetData>")
            cells = ("Date", "Région", "Catégorie")
            for number in range(1, rows + 2):
                if number > 1:
                    cells = ("2020-01-01", "Mopti", "VBG")
                row = "".join(
                    f'<c r="{col}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for col, text in zip("ABC", cells, strict=True)
                )
                sheet.write(f'<row r="{number}">{row}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def _write_lines(path: Path, head: str, line: str, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(head)
        block = line * 10_000
        for _ in range(count // 10_000):
            handle.write(block)
        handle.write(line * (count % 10_000))
    return path


def case_long_line(folder: Path) -> Path:
    """One 200 MB field (a quote never closed, or a runaway export)."""
    path = folder / "long_line.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + "01/02/2020;Mopti;")
        chunk = "V" * 1_000_000
        for _ in range(200):
            handle.write(chunk)
        handle.write("\n")
    return path


def case_million_columns(folder: Path) -> Path:
    path = folder / "million_columns.csv"
    path.write_text(";".join(f"c{i}" for i in range(1_000_000)) + "\n1;2\n", encoding="utf-8")
    return path


def case_dev_zero(folder: Path) -> Path:
    path = folder / "zero.csv"
    path.symlink_to("/dev/zero")
    return path


def case_fifo(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def case_sparse_600mb(folder: Path) -> Path:
    """Over the 512 MiB byte limit (sparse: costs no disk)."""
    path = folder / "huge.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
        handle.truncate(600 * 1024 * 1024)
    return path


def case_csv_rows(folder: Path) -> Path:
    """1.1 M rows: over Excel's 1,048,576 rows."""
    return _write_lines(folder / "rows.csv", HEADER, "01/02/2020;Mopti;VBG\n", 1_100_000)


def case_xlsx_2m_dimension(folder: Path) -> Path:
    """22 MB, 2 M rows, as Excel writes it (the dimension tag announces the size)."""
    return _xlsx_rows(folder / "rows_2m.xlsx", 2_000_000, dimension=True)


def case_xlsx_2m_no_dimension(folder: Path) -> Path:
    """The same without a dimension tag: rows are counted while read, up to the limit."""
    return _xlsx_rows(folder / "rows_2m_nodim.xlsx", 2_000_000, dimension=False)


def case_zip_bomb(folder: Path) -> Path:
    """A small workbook whose sheet unpacks to more than the byte limit."""
    return _xlsx_rows(folder / "bomb.xlsx", 6_500_000, dimension=False)


CASES: list[tuple[str, Callable[[Path], Path], bool]] = [
    ("link to /dev/zero", case_dev_zero, False),
    ("named pipe", case_fifo, False),
    ("1,000,000 columns", case_million_columns, False),
    ("600 MB file (sparse)", case_sparse_600mb, False),
    ("200 MB line", case_long_line, True),
    ("1.1 M-row CSV", case_csv_rows, True),
    ("2 M-row XLSX, dimension", case_xlsx_2m_dimension, True),
    ("2 M-row XLSX, no dimension", case_xlsx_2m_no_dimension, True),
    ("XLSX unpacking over the limit", case_zip_bomb, True),
]


CHILD = (
    "import resource, sys\n"
    "from data.ingest import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def run_case(path: Path) -> tuple[int, float, float, str]:
    """Exit code, seconds, peak RSS in MB and the stderr of one import, in a fresh process
    that reports its own peak memory."""
    env = {**os.environ, "MALI_DASHBOARD_STORE": str(path.parent / "store")}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, "incidents", str(path), "--dry-run"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return -1, TIMEOUT_S, float("nan"), "timed out"
    seconds = time.perf_counter() - started
    last = done.stdout.strip().splitlines()[-1:] or ["nan"]
    return done.returncode, seconds, float(last[0]) / 1024, done.stderr.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="where to write the cases (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the written files")
    parser.add_argument("--quick", action="store_true", help="skip the cases of hundreds of MB")
    args = parser.parse_args(argv)
    folder = Path(args.workdir or tempfile.mkdtemp(prefix="badinput-"))
    folder.mkdir(parents=True, exist_ok=True)
    failures = 0
    print(f"{'case':32} {'build s':>8} {'exit':>4} {'run s':>7} {'peak MB':>8}  message")
    try:
        for name, build, heavy in CASES:
            if heavy and args.quick:
                continue
            started = time.perf_counter()
            path = build(folder)
            built = time.perf_counter() - started
            code, seconds, peak, message = run_case(path)
            failures += code != 2 or len(message.splitlines()) != 1
            print(f"{name:32} {built:8.1f} {code:4d} {seconds:7.1f} {peak:8.0f}  {message[:110]}")
            if not args.keep and path.is_file() and not path.is_symlink():
                path.unlink()
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
    print("all cases exit 2 with one line" if not failures else f"{failures} case(s) FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
