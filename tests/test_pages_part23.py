"""Page-level checks for Parts 2 and 3 (issues 11 and 12): what a reader sees, not the maths.

- every decimal number in the prose is glued (or in maths, a code span, or the short allow-list of
  constants the author chose);
- exercise templates are runnable code cells after the exercise box, not code blocks inside it;
- the package's `Network.gradients` is never shown before the exercises that ask for it;
- cells that only glue or format are not shown; the "Run this page" box replaces rocket sentences;
- no raw equation label leaks into the text; glossary entries link back to their page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
PAGES = [
    "part2-multivariate/01-partial-derivatives.md",
    "part2-multivariate/02-total-derivative.md",
    "part2-multivariate/03-jacobian-scalar.md",
    "part2-multivariate/04-jacobian-vector.md",
    "part2-multivariate/06-hessian.md",
    "part2-multivariate/07-reality-is-hard.md",
    "part3-neural-networks/01-multivariate-chain-rule.md",
    "part3-neural-networks/02-neural-networks.md",
    "part3-neural-networks/03-backpropagation.md",
    "part3-neural-networks/04-training-the-heart.md",
]
# decimals the author chose (constants of the setup) that may stand in prose or alt text outside
# maths, per page; everything else must be glued. Today the prose needs none: they are all in maths.
ALLOWED: dict[str, set[str]] = {}
ALLOWED_IN_ALT = {
    "part2-multivariate/04-jacobian-vector.md": {"0.5", "1.75"},   # the two squares' corners
    "part2-multivariate/06-hessian.md": {"2.2"},                   # the plotted square
    "part3-neural-networks/02-neural-networks.md": {"0.5", "0.25"},  # sigma(0) and sigma'(0), exact
}
CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


def read(page: str) -> str:
    return (BOOK / page).read_text(encoding="utf-8")


def prose(text: str) -> str:
    """The page without its header, code cells, code blocks, maths, code spans and glue roles."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = CODE_CELL.sub("", text)
    text = re.sub(r"```[a-z]*\n.*?```", "", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\$[^$]+\$", "", text)
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", "", text)
    text = re.sub(r"`[^`]*`", "", text)
    return text


def code_cells(text: str) -> list[tuple[str, str]]:
    """(options, body) of every code cell: options are the ':tags:' line or the YAML block."""
    cells = []
    for body in CODE_CELL.findall(text):
        if body.startswith("---\n"):
            end = body.index("\n---\n", 4)
            cells.append((body[: end + 5], body[end + 5 :]))
        elif body.startswith(":tags:"):
            first, _, rest = body.partition("\n")
            cells.append((first, rest))
        else:
            cells.append(("", body))
    return cells


@pytest.mark.parametrize("page", PAGES)
def test_every_decimal_in_the_prose_is_glued(page):
    found = re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", prose(read(page)))
    unexpected = sorted(set(found) - ALLOWED.get(page, set()))
    assert not unexpected, f"{page}: typed numbers {unexpected}; glue them"


@pytest.mark.parametrize("page", PAGES)
def test_alt_texts_quote_no_computed_decimals(page):
    alts = re.findall(r"alt: (.*?)\n---", read(page), flags=re.S)
    found = {n for alt in alts for n in re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", alt)}
    assert not found - ALLOWED_IN_ALT.get(page, set()), f"{page}: {sorted(found)} in alt text"


@pytest.mark.parametrize("page", PAGES)
def test_exercise_templates_are_code_cells_after_the_box(page):
    text = read(page)
    for box in re.findall(r":::\{exercise\}\n(.*?)\n:::\n", text, flags=re.S):
        assert "```python" not in box and "```{code-cell" not in box, box[:80]


@pytest.mark.parametrize("page", PAGES)
def test_plumbing_cells_are_hidden_and_run_this_page_is_included(page):
    text = read(page)
    for options, body in code_cells(text):
        if re.search(r"\bglue\(|display\(Markdown|from myst_nb import", body):
            assert re.search(r"remove-input|hide-cell", options), body[:120]
    assert "rocket" not in text.lower()
    assert "```{include} ../_includes/run-this-page.md\n```" in text


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_label_leaks(page):
    text = re.sub(r"\$\$ \(eq-[\w-]+\)", "", read(page))        # label lines of display equations
    text = re.sub(r"\{(eq|numref|ref|doc)\}`[^`]*`", "", text)
    assert not re.search(r"\beq-p\d", text), re.search(r".{40}\beq-p\d.{20}", text)


def test_backprop_source_only_after_the_exercises():
    text = read("part3-neural-networks/03-backpropagation.md")
    last_exercise = text.rindex(":::{exercise}")
    assert text.index("getsource") > last_exercise
    options = [o for o, body in code_cells(text) if "getsource" in body]
    assert len(options) == 1 and "remove-input" in options[0] and "hide-output" in options[0]
    # and no line of the package's loop is printed in the prose or the solutions before that
    before = text[: text.index("## The package's version")]
    assert "for i in range(self.n_layers" not in before


def test_glossary_entries_of_parts_2_and_3_link_back():
    text = (BOOK / "backmatter" / "glossary.md").read_text(encoding="utf-8")
    for part in ("## Part 2", "## Part 3"):
        block = text[text.index(part) :]
        block = block[block.index(":::{glossary}") + 14 : block.index("\n:::\n")]
        entries = re.split(r"\n\n(?=\S)", block.strip())
        assert len(entries) > 10
        for entry in entries:
            assert re.search(r"Defined on \{doc\}`/book/part[23]-[^`]+`", entry), entry[:60]
