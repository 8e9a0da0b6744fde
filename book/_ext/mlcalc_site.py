"""Sphinx extension: small fixes to the HTML that Jupyter Book 1 writes.

* sphinx-thebe 0.3.1 registers its inline configuration script once per read of the
  environment, so a page can carry ``const THEBE_JS_URL = …`` twice, and the second copy throws
  "Identifier 'THEBE_JS_URL' has already been declared" in the browser. Here identical script
  entries are kept once per page.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _script_key(script: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    attributes = getattr(script, "attributes", {}) or {}
    # the copies differ only in filename None versus "" for an inline script
    filename = getattr(script, "filename", script) or ""
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # in place: it is the builder's own list, to which later handlers (MathJax) still add
    scripts[:] = unique


def setup(app: Sphinx) -> dict[str, object]:
    # early: a later handler may return a template name, which ends the event (emit_firstresult)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
