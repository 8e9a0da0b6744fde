"""Sphinx extension: re-execute every page when the ``mlcalc`` package changes.

jupyter-cache keys a page on its code cells and kernelspec only, so an edit to ``code/``
would leave stale outputs (and stale glued numbers) in the book. This extension hashes the
package sources and

1. stores the hash in the config value ``mlcalc_source_hash`` (registered with
   ``rebuild="env"``), so Sphinx re-reads every page when it changes; and
2. moves the execution cache into a sub-folder named by the hash, so the re-read pages find
   no cached outputs and are executed again.

Old cache folders are kept, so switching back to an earlier version of the package is a
cache hit again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

#: Files whose content decides the hash, relative to the book's root folder.
PACKAGE_GLOBS = ("code/pyproject.toml", "code/mlcalc/**/*")


def package_hash(root: Path) -> str:
    """Return a SHA-256 over the names and bytes of the package's source and data files."""
    digest = hashlib.sha256()
    files = sorted(
        {p for pattern in PACKAGE_GLOBS for p in root.glob(pattern) if p.is_file()}
    )
    for path in files:
        if "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _key_the_cache(app: Sphinx, config: Config) -> None:
    root = Path(app.confdir)
    key = package_hash(root)[:16]
    config.mlcalc_source_hash = key
    base = config.nb_execution_cache_path or str(Path(app.outdir).parent / ".jupyter_cache")
    config.nb_execution_cache_path = str(Path(base) / f"mlcalc-{key}")
    LOGGER.info(f"mlcalc sources hash {key}: execution cache {config.nb_execution_cache_path}")


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("mlcalc_source_hash", "", "env")
    # after myst-nb has registered nb_execution_cache_path, before it reads it (builder-inited)
    app.connect("config-inited", _key_the_cache, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
