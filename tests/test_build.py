"""The book as a whole: a clean strict build passes, a failing cell fails it, a change to the
package re-executes the pages, and two clean builds give identical output."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from _bookbuild import ROOT, jupyter_book_build, toc_files

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


# ---- the real book --------------------------------------------------------------------------


def test_strict_build_has_no_warnings_and_every_page(book_build):
    if book_build.log:  # empty when MLCALC_BUILT_HTML reuses an earlier build
        warnings = [line for line in book_build.log.splitlines() if "WARNING" in line and ".md" in line]
        assert not warnings, "\n".join(warnings)
    for page in toc_files():
        assert (book_build.html / f"{page}.html").is_file(), f"{page} was not built"


def test_every_page_with_code_has_the_jupytext_header():
    for page in toc_files():
        text = (ROOT / f"{page}.md").read_text()
        if "{code-cell}" in text:
            assert "format_name: myst" in text and "kernelspec:" in text, page


# ---- a small book in a temporary folder ------------------------------------------------------


def make_mini_book(tmp: Path, page_body: str) -> Path:
    """A copy of the book's config, extension and package with a single page."""
    book = tmp / "mini"
    (book / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copy(ROOT / "book" / "references.bib", book / "book" / "references.bib")
    for folder in ("_ext", "_templates", "_site_assets"):
        shutil.copytree(ROOT / "book" / folder, book / "book" / folder)
    shutil.copytree(ROOT / "code", book / "code", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/page\n")
    (book / "book" / "page.md").write_text(HEADER + page_body)
    return book


def test_a_failing_cell_fails_the_build_and_names_the_page(tmp_path):
    body = "# A page that fails\n\n```{code-cell} ipython3\nimport mlcalc\n1 / 0\n```\n"
    book = make_mini_book(tmp_path, body)
    build = jupyter_book_build(book, tmp_path / "out", env={"PYTHONPATH": str(book / "code")})
    assert build.returncode != 0
    assert "book/page.md" in build.log
    assert "ZeroDivisionError" in build.log


def test_a_change_to_the_package_re_executes_the_pages(tmp_path):
    body = (
        "# Cache\n\n```{code-cell} ipython3\nfrom mlcalc.derivatives import optimal_step\n"
        "print(f\"step={optimal_step('central'):.6e}\")\n```\n"
    )
    book = make_mini_book(tmp_path, body)
    env = {"PYTHONPATH": str(book / "code")}  # the kernel imports this copy of mlcalc
    out = tmp_path / "out"

    def build_and_read() -> str:
        build = jupyter_book_build(book, out, env=env, clean=False)
        assert build.returncode == 0, build.log[-3000:]
        html = (build.html / "book" / "page.html").read_text()
        return re.search(r"step=([0-9.e+-]+)", html).group(1)

    before = build_and_read()
    assert float(before) == pytest.approx((2.0**-52) ** (1 / 3), rel=1e-6)
    again = build_and_read()  # nothing changed: served from the cache
    assert again == before

    module = book / "code" / "mlcalc" / "derivatives" / "steps.py"
    source = module.read_text()
    assert '_STEP_POWER = {"forward": 1 / 2, "central": 1 / 3}' in source
    module.write_text(source.replace('"central": 1 / 3}', '"central": 1 / 4}'))
    after = build_and_read()
    assert float(after) == pytest.approx((2.0**-52) ** 0.25, rel=1e-6), "stale output after a package change"


# ---- maths rendered at build time by KaTeX -------------------------------------------------


def test_a_tex_error_fails_the_build_and_names_the_page(tmp_path):
    body = "# Bad maths\n\nFine: $x^2$.\n\nBroken: $\\frac{1}{2$ here.\n"
    book = make_mini_book(tmp_path, body)
    build = jupyter_book_build(book, tmp_path / "out", env={"PYTHONPATH": str(book / "code")})
    assert build.returncode != 0, "a TeX error must fail the strict build"
    assert "book/page.md" in build.log and "KaTeX" in build.log, build.log[-3000:]
    assert re.search(r"book/page\.md:\d+.*KaTeX cannot render", build.log), build.log[-3000:]


def test_maths_is_html_at_build_time_with_macros_glue_outputs_and_numbers(tmp_path):
    body = r"""# Maths

Inline with the book's macros: $\vec{x} \in \R^n$.

$$
f(x) = x^2
$$ (eq-test-square)

Equation {eq}`eq-test-square` is numbered.

```{code-cell} ipython3
:tags: [remove-input]
from IPython.display import Markdown, Latex, display
from myst_nb import glue
display(Markdown(r"Output maths: $\R^2$"))
display(Latex(r"$$\int_0^1 t\,dt$$"))
glue("test-sq", Latex(r"$\sqrt{2}$"), display=False)
```

Glued:

```{glue:math} test-sq
```
"""
    book = make_mini_book(tmp_path, body)
    build = jupyter_book_build(book, tmp_path / "out", env={"PYTHONPATH": str(book / "code")})
    assert build.returncode == 0, build.log[-3000:]
    html = (build.html / "book" / "page.html").read_text()
    assert "mathjax" not in html.lower().replace("mathjax_ignore", "").replace("tex2jax_ignore", "")
    assert "<script" not in "".join(re.findall(r"<script[^>]*katex[^>]*>", html)), "a KaTeX script is loaded"
    # KaTeX's stylesheet is served from the site, in the page's one stylesheet bundle
    bundle = re.search(r'href="(?:\.\./)*(_static/site/bundle-[0-9a-f]+\.css)', html)
    assert bundle, "no stylesheet bundle"
    css = (build.html / bundle.group(1)).read_text()
    assert "/* _static/katex/katex.min.css */" in css and "KaTeX_Main" in css
    assert (build.html / "_static" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").is_file()
    assert "math-error" not in html and "katex-error" not in html
    # the macros: \R is blackboard bold, \vec bold (not KaTeX's arrow accent)
    assert "mathbb" in html and "mathbf" in html
    assert 'class="eqno">(1)' in html, "the equation is not numbered"
    assert re.search(r'href="#equation-eq-test-square"[^>]*>.*?\(1\)', html), "{eq} reference missing"
    for tex in (r"\R^2", r"\int_0^1", r"\sqrt{2}"):  # cell output, text/latex and glued maths
        assert f'encoding="application/x-tex">{tex}' in html.replace("&amp;", "&"), tex
    # no TeX left for a script to typeset
    assert "\\(" not in re.sub(r"<annotation.*?</annotation>", "", html, flags=re.S)


# ---- determinism ------------------------------------------------------------------------------

# Files that legitimately differ between two clean builds of identical sources: none so far.
HARMLESS: set[str] = set()


def test_two_clean_builds_are_byte_identical(book_build, tmp_path):
    if not book_build.log:
        pytest.fail("determinism needs a fresh build: unset MLCALC_BUILT_HTML")
    second = jupyter_book_build(ROOT, tmp_path / "second")
    assert second.returncode == 0, second.log[-3000:]
    differ = []
    for path in sorted(book_build.html.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(book_build.html).as_posix()
        other = second.html / rel
        if not other.exists():
            differ.append(f"{rel} (only in the first build)")
        elif not filecmp.cmp(path, other, shallow=False) and rel not in HARMLESS:
            differ.append(rel)
    extra = {p.relative_to(second.html).as_posix() for p in second.html.rglob("*") if p.is_file()} - {
        p.relative_to(book_build.html).as_posix() for p in book_build.html.rglob("*") if p.is_file()
    }
    differ += [f"{rel} (only in the second build)" for rel in sorted(extra)]
    assert not differ, "two clean builds differ in:\n" + "\n".join(differ[:40])
