"""Building the book from tests: a strict Jupyter Book build into a folder of our choosing."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Build:
    html: Path
    log: str
    returncode: int
    seconds: float


def jupyter_book_build(
    source: Path, output: Path, *, env: dict[str, str] | None = None, clean: bool = True
) -> Build:
    """Run a strict build of ``source`` into ``output``, from scratch unless ``clean=False``."""
    if clean and output.exists():
        shutil.rmtree(output)
    exe = shutil.which("jupyter-book") or pytest.fail(
        "jupyter-book is not on PATH: pip install -r requirements.txt"
    )
    cmd = [
        exe, "build", str(source),
        "-W", "-n", "--keep-going", "--path-output", str(output),
    ]
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=1800
    )
    seconds = time.perf_counter() - start
    return Build(output / "_build" / "html", proc.stdout + proc.stderr, proc.returncode, seconds)


def toc_files() -> list[str]:
    """Every page listed in _toc.yml, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(node):
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []) or []:
                if "file" in child:
                    files.append(child["file"])
                walk(child)

    walk(toc)
    return files
