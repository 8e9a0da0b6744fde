"""The Part 5 pages run in Binder and in the publish build, which install only the top-level
`requirements.txt`: every module a page imports must come from a package pinned there (or from the
standard library, or be installed by one of them)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "book" / "part5-optimisation").glob("*.md"))

# modules that a pinned package provides under another name, or installs as its own dependency
PROVIDED_BY = {
    "IPython": "ipykernel",
    "myst_nb": "myst-nb",
    "mlcalc": "-e ./code",
}


def pinned() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[=<>~! ]", line, maxsplit=1)[0].lower() if not line.startswith("-e") else line)
    return names


def imported_modules(text: str) -> set[str]:
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, flags=re.S)
    mods = set()
    for cell in cells:
        for m in re.finditer(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", cell, flags=re.M):
            mods.add((m.group(1) or m.group(2)).split(".")[0])
    return mods


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_imports_are_in_requirements(page):
    req = pinned()
    missing = []
    for mod in sorted(imported_modules(page.read_text(encoding="utf-8"))):
        if mod in sys.stdlib_module_names:
            continue
        dist = PROVIDED_BY.get(mod, mod).lower()
        if dist not in req:
            missing.append(mod)
    assert not missing, f"{page.name} imports {missing}, which requirements.txt does not pin"


def test_the_check_can_fail():
    assert imported_modules("```{code-cell} ipython3\nimport mpmath\nfrom scipy import optimize\n```") == {"mpmath", "scipy"}
    assert "sympy" not in pinned()
