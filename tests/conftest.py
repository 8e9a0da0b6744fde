"""Shared fixtures: a clean, strict build of the whole book, made once per test session.

Set MLCALC_BUILT_HTML=/path/to/_build/html to reuse a build you already made (for quick local
iterations on browser tests); CI never sets it, so there every run starts from a clean build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from _bookbuild import ROOT, Build, jupyter_book_build


@pytest.fixture(scope="session")
def book_build(tmp_path_factory) -> Build:
    """The whole book, built from scratch with ``-W -n --keep-going`` (the README's build)."""
    reuse = os.environ.get("MLCALC_BUILT_HTML")
    if reuse:
        return Build(Path(reuse), "", 0, 0.0)
    out = tmp_path_factory.mktemp("book") / "out"
    build = jupyter_book_build(ROOT, out)
    if build.returncode != 0:
        pytest.fail(f"the strict build of the book failed:\n{build.log[-6000:]}")
    return build


@pytest.fixture(scope="session")
def built_html(book_build) -> Path:
    return book_build.html
