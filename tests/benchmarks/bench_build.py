"""Benchmark: how long the book takes to build.

Prints a table (run: python tests/benchmarks/bench_build.py): a clean strict build (every page
executed), a rebuild with no change (pages served from the execution cache and Sphinx's
environment), and a rebuild after a change to the mlcalc package (every page re-executed).
Builds go to a temporary folder; the repository is not touched.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _bookbuild import ROOT, jupyter_book_build, toc_files  # noqa: E402


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "out"
        clean = jupyter_book_build(ROOT, out)
        if clean.returncode != 0:
            sys.exit("the clean build failed:\n" + clean.log[-3000:])
        rows.append(("clean build (all pages executed)", clean.seconds))
        again = jupyter_book_build(ROOT, out, clean=False)
        rows.append(("rebuild, no change", again.seconds))

        # a copy of the repository whose package differs by a comment: every page re-executes
        copy = tmp / "copy"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("_build", ".git", "__pycache__", "*.egg-info"))
        init = copy / "code" / "mlcalc" / "__init__.py"
        first = jupyter_book_build(copy, tmp / "out2", env={"PYTHONPATH": str(copy / "code")})
        init.write_text(init.read_text() + "\n# touched by bench_build.py\n")
        changed = jupyter_book_build(copy, tmp / "out2", env={"PYTHONPATH": str(copy / "code")}, clean=False)
        if first.returncode == 0 and changed.returncode == 0:
            rows.append(("rebuild after a package change", changed.seconds))
        size = sum(p.stat().st_size for p in clean.html.rglob("*") if p.is_file())

    pages = len(toc_files())
    print(f"{pages} pages; built HTML {size / 1e6:.1f} MB\n")
    width = max(len(r[0]) for r in rows)
    print(f"{'build'.ljust(width)}  seconds")
    print(f"{'-' * width}  -------")
    for name, seconds in rows:
        print(f"{name.ljust(width)}  {seconds:7.1f}")


if __name__ == "__main__":
    main()
