"""Sphinx extension: small fixes to the HTML that Jupyter Book 1 writes.

* The downloadable notebooks (``_sources/**/*.ipynb``) are converted from the MyST pages by
  jupytext, which gives every cell a random id, so two builds of the same sources differ. Here
  each id is replaced by a hash of the cell's position and source, after the build.

* The repository's address is set once, as ``repository.url`` in ``_config.yml`` (Jupyter Book
  turns it into ``html_theme_options["repository_url"]``). Here it is also made the MyST
  substitution ``{{ repo_url }}``, so a page (or the shared "Run this page" box) can name it, and
  ``{{ pip_install_mlcalc }}`` is the command that installs the package from it.

* sphinx-thebe 0.3.1 registers its inline configuration script once per read of the
  environment, so a page can carry ``const THEBE_JS_URL = …`` twice, and the second copy throws
  "Identifier 'THEBE_JS_URL' has already been declared" in the browser. Here identical script
  entries are kept once per page.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
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


def stable_cell_ids(notebook: dict[str, Any]) -> dict[str, Any]:
    """Give every cell an id that depends only on its position and source."""
    for index, cell in enumerate(notebook.get("cells", [])):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        cell["id"] = hashlib.sha256(f"{index}\0{text}".encode()).hexdigest()[:8]
    return notebook


def _stabilise_notebooks(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    for path in sorted(Path(app.outdir, "_sources").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(stable_cell_ids(notebook), indent=1, ensure_ascii=False, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")


def _repo_url_substitution(app: Sphinx, config: Any) -> None:
    url = (config.html_theme_options or {}).get("repository_url", "")
    substitutions = dict(config.myst_substitutions or {})
    substitutions.setdefault("repo_url", url)
    # a code span is literal, so the install command is a substitution of its own
    substitutions.setdefault(
        "pip_install_mlcalc", f'`pip install "mlcalc @ git+{url}#subdirectory=code"`'
    )
    config.myst_substitutions = substitutions


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("config-inited", _repo_url_substitution)
    # early: a later handler may return a template name, which ends the event (emit_firstresult)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("build-finished", _stabilise_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
