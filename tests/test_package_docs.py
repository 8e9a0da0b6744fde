"""The package and the book point at each other: every public function and class of mlcalc
names, in its docstring, the page that introduces it, and that page exists in the book."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import mlcalc
from _bookbuild import toc_files

MODULES = sorted(
    m.name for m in pkgutil.iter_modules(mlcalc.__path__) if not m.name.startswith("_")
)
PAGE = re.compile(r"Introduced on :doc:`(/book/[^`]+)`")


def public_objects():
    for name in MODULES:
        module = importlib.import_module(f"mlcalc.{name}")
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"mlcalc.{name}.{attr}", obj


def test_every_part_module_is_found_and_declares_its_public_names():
    assert {"derivatives", "multivariate", "neural", "plotting"} <= set(MODULES)
    for name in MODULES:
        assert hasattr(importlib.import_module(f"mlcalc.{name}"), "__all__"), f"mlcalc.{name} has no __all__"


@pytest.mark.parametrize("qualname, obj", list(public_objects()), ids=lambda v: v if isinstance(v, str) else "")
def test_docstring_names_an_existing_page(qualname, obj):
    doc = inspect.getdoc(obj) or ""
    match = PAGE.search(doc)
    assert match, f"{qualname}: the docstring does not say 'Introduced on :doc:`/book/...`'"
    assert match.group(1).lstrip("/") in toc_files(), f"{qualname} names {match.group(1)}, not a page of the book"
