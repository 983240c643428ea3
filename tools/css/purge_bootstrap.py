"""Bootstrap without the rules the dashboard never uses: ``python tools/css/purge_bootstrap.py``.

Reads the full ``bootstrap-5.3.3.min.css`` beside this file and writes
``assets/00-bootstrap-5.3.3.min.css`` (the file the page, the accounts and import pages link) with
only the selectors whose classes all occur as words in the project's code (``SOURCES``): a
word list is a superset of the classes in use, so nothing used is lost. Element, variable and
``@keyframes`` rules stay; ``@media``/``@supports`` blocks are purged inside. ``tests/
test_static_headers.py`` checks the committed file is this script's output.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FULL = Path(__file__).with_name("bootstrap-5.3.3.min.css")
PURGED = ROOT / "assets" / "00-bootstrap-5.3.3.min.css"
SOURCES = ("app.py", "layouts", "callbacks", "accounts", "imports", "assets")
CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
# classes the code builds from a template, so no word of it names them (accounts/web/pages.py:
# class="alert alert-{{ level }}")
TEMPLATED_PREFIXES = ("alert-",)


def words() -> set[str]:
    """Every word (letters, digits, "-", "_") of the project's code and page templates."""
    out: set[str] = set()
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            scanned = file.suffix in (".py", ".js", ".css", ".html")
            if scanned and file != PURGED and "min." not in file.name:
                out.update(re.findall(r"[\w-]+", file.read_text(encoding="utf-8")))
    return out


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet (quotes respected)."""
    out, depth, start, prelude, quote = [], 0, 0, "", ""
    for i, ch in enumerate(css):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            if depth == 0:
                prelude, start = css[start:i], i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append((prelude.strip(), css[start:i]))
                start = i + 1
    return out


def _used(name: str, used: set[str]) -> bool:
    return name in used or name.startswith(TEMPLATED_PREFIXES)


def purge(css: str, used: set[str]) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for prelude, body in _blocks(css):
        if prelude.startswith(("@media", "@supports", "@container", "@layer")):
            inner = purge(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in prelude.split(",") if all(_used(c, used) for c in CLASS.findall(s))]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def main() -> int:
    banner = "/*! Bootstrap v5.3.3 (MIT, see BOOTSTRAP-LICENSE.txt), rules the dashboard uses */\n"
    PURGED.write_text(banner + purge(FULL.read_text(encoding="utf-8"), words()) + "\n")
    print(f"wrote {PURGED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
