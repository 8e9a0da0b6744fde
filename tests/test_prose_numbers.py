"""No computed number typed by hand: the prose of every page quotes results through glue.

The book's promise is that every number a page quotes was computed when the page was built. A
number typed into the prose goes stale silently when the code changes, so this test reads every
page in ``_toc.yml`` and fails on a decimal number (``12.0006``, ``3e-8``, ``6×10⁻⁶``) that stands

* in prose, outside a glue role, a code span, a role's target or a link;
* in an image's alt text or a figure's caption (alt text cannot hold a glue role: say less);
* in maths after an approximation sign (``\\approx``, ``≈``): maths that *defines* the setup
  (``h = 0.1``) is allowed, maths that reports a result is not.

Numbers the author chose (steps, sizes, seeds, physical constants of an example) are allowed per
page in ``ALLOWED`` below, each with its reason. Keep the list short: a computed result belongs
in a glue role.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from _bookbuild import ROOT, toc_files

# page (as in _toc.yml) -> {literal number as typed: why it is the author's choice, not a result}
ALLOWED: dict[str, dict[str, str]] = {
    "book/intro": {"4.0": "the licence's name, CC BY 4.0", "3.11": "the Python version the book needs"},
    "book/backmatter/glossary": {"2.2\\times10^{-16}": "machine epsilon, a constant of float64"},
    "book/part3-neural-networks/02-neural-networks": {"0.25": "the sigmoid's slope at 0 is exactly 1/4"},
    "book/part6-regression/03-fitting-heights": {
        "70.25": "a bin edge the author chose (edges a quarter inch off the heaps)",
        "71.25": "a bin edge the author chose",
    },
}

DECIMAL = re.compile(
    r"(?<![\w.\-])"  # not inside a word, a longer number or a version string
    r"(?:\d+\.\d+(?:[eE][-+]?\d+)?"  # 12.0006, 2.5e-3
    r"|\d+[eE][-+]?\d+"  # 3e-8
    r"|\d+(?:\.\d+)?\s*[×x]\s*10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)"  # 6×10⁻⁶
    r"(?!\w|\.\d)"
)
# inline maths that is nothing but a decimal number reports a result when it has trailing dots or
# four or more significant digits ("the code gives $12.0006\ldots$"); "$0.001$" is a set-up value
BARE_NUMBER_MATH = re.compile(r"^\s*[-+]?\d+\.\d+\s*(\\ldots|\\dots|\.\.\.)?\s*$")


def _bare_result(chunk: str) -> bool:
    m = BARE_NUMBER_MATH.match(chunk)
    if not m:
        return False
    digits = re.sub(r"\D", "", chunk.split("\\")[0]).lstrip("0")
    return bool(m.group(1)) or len(digits) >= 4
SUPERSCRIPT_POWER = re.compile(r"10[⁻][⁰¹²³⁴⁵⁶⁷⁸⁹]+")
APPROX_IN_MATH = re.compile(r"(?:\\approx|≈|\\simeq)\s*([-+]?\s*\d[\d.,]*(?:\\times\s*10\^\{?-?\d+\}?)?)")

RESULT_WORDS = re.compile(
    r"(about|near|nearly|approximately|roughly|around|≈|~|below|above|under|over|peaks? at|"
    r"bottoms?( out)?( at)?|reaches|falls to|rises to|drops to|gives|is|of)\s*[-−]?\s*$"
)

FENCE = re.compile(r"^(```+|~~~+)")


def _strip_blocks(text: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """Split a page into prose lines, display-maths lines and figure metadata (alt, caption)."""
    lines = text.splitlines()
    prose: list[str] = []
    maths: list[str] = []
    meta: list[tuple[str, str]] = []
    i = 0
    # front matter
    if lines and lines[0].strip() == "---":
        i = 1
        while i < len(lines) and lines[i].strip() != "---":
            i += 1
        i += 1
    fence: str | None = None
    in_code_cell = False
    cell_yaml: list[str] | None = None
    in_math = False
    in_script = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and stripped.strip("`~") == "":
                fence = None
                in_code_cell = False
                cell_yaml = None
            elif in_code_cell:
                # a code cell's leading YAML block holds the figure caption and alt text
                if cell_yaml is None and stripped == "---":
                    cell_yaml = []
                elif cell_yaml is not None and stripped == "---":
                    meta.extend(_figure_text("\n".join(cell_yaml)))
                    cell_yaml = []  # done; later '---' lines are code
                    in_code_cell = False
                elif cell_yaml is not None:
                    cell_yaml.append(line)
            i += 1
            continue
        m = FENCE.match(stripped)
        if m:
            fence = m.group(1)
            # a MyST directive in backticks with prose inside (admonitions, exercises) is prose
            if re.match(r"^`{3,}\{(code-cell|code|code-block|literalinclude|include|raw)\}", stripped) or re.match(
                r"^`{3,}[\w-]*$", stripped
            ):
                in_code_cell = stripped.startswith(fence + "{code-cell}")
            else:
                fence = None  # a prose directive: keep reading its body as prose
            i += 1
            continue
        if stripped.startswith("<script"):
            in_script = True
        if in_script:
            if "</script>" in stripped:
                in_script = False
            i += 1
            continue
        if stripped.startswith("$$"):
            if in_math:
                in_math = False
            elif stripped.count("$$") >= 2 and len(stripped) > 2:
                maths.append(stripped)
            else:
                in_math = True
            i += 1
            continue
        if in_math:
            maths.append(line)
            i += 1
            continue
        if stripped.startswith(":") and re.match(r"^:[\w-]+:", stripped):
            i += 1  # a directive option (:label:, :class:)
            continue
        prose.append(line)
        i += 1
    return "\n".join(prose), maths, meta


def _figure_text(block: str) -> list[str]:
    try:
        data = yaml.safe_load(block) or {}
    except yaml.YAMLError:
        return []
    mystnb = data.get("mystnb", {}) if isinstance(data, dict) else {}
    out = []
    for key, field in (("figure", "caption"), ("image", "alt")):
        value = (mystnb.get(key) or {}).get(field)
        if isinstance(value, str):
            out.append((field, value))
    return out


INLINE_STRIP = [
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # roles: {glue:text}`key:.2f`, {eq}`…`, {doc}`…`
    re.compile(r"``[^`]*``"),
    re.compile(r"`[^`]*`"),  # code spans
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"^\([\w-]+\)=\s*$", re.M),  # labels
]
INLINE_MATH = re.compile(r"(?<!\\)\$(?!\$)([^$]+?)(?<!\\)\$")


def typed_numbers(text: str) -> list[tuple[str, str, str]]:
    """Every hand-typed decimal result of one page, as ``(where, number, context)``."""
    prose, maths, meta = _strip_blocks(text)
    # a caption is prose (it may hold glue roles and set-up maths)
    prose += "\n" + "\n".join(value for field, value in meta if field == "caption")
    for pattern in INLINE_STRIP:
        prose = pattern.sub(" ", prose)
    inline_maths = INLINE_MATH.findall(prose)
    prose = INLINE_MATH.sub(" ", prose)
    found = []
    spans = []
    for m in DECIMAL.finditer(prose):
        spans.append(m.span())
        found.append(("prose", m.group(0), prose[max(0, m.start() - 40): m.end() + 20]))
    for m in SUPERSCRIPT_POWER.finditer(prose):
        if not any(a <= m.start() < b for a, b in spans):  # "around 10⁻¹²", no mantissa
            found.append(("prose", m.group(0), prose[max(0, m.start() - 40): m.end() + 20]))
    # alt text cannot hold a glue role: it may name the set-up (axis ranges, a chosen step) but
    # not report a result ("bottoms out near 1e-11", "slope about 1.08")
    for field, chunk in meta:
        if field != "alt":
            continue
        for m in DECIMAL.finditer(chunk):
            before = chunk[max(0, m.start() - 24): m.start()].lower()
            if RESULT_WORDS.search(before):
                found.append(("alt text", m.group(0), chunk[max(0, m.start() - 40): m.end() + 20]))
    for chunk in inline_maths:
        if _bare_result(chunk):
            found.append(("maths", chunk.strip(), chunk))
    for chunk in inline_maths + maths:
        for m in APPROX_IN_MATH.finditer(chunk):
            if re.search(r"\d\.\d|\\times\s*10", m.group(1)):
                found.append(("maths", m.group(1).strip(), chunk[max(0, m.start() - 40): m.end() + 20]))
    return found


@pytest.mark.parametrize("page", toc_files())
def test_no_hand_typed_numbers(page):
    text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    allowed = ALLOWED.get(page, {})
    typed = [
        f"{where}: {number} in …{' '.join(context.split())}…"
        for where, number, context in typed_numbers(text)
        if number not in allowed
    ]
    assert not typed, (
        f"{page}.md quotes numbers typed by hand; glue them from code (or, for a constant the "
        f"author chose, add it to ALLOWED in {Path(__file__).name} with the reason):\n  "
        + "\n  ".join(typed)
    )


def test_the_check_catches_typed_numbers():
    """The scanner itself: it must flag results and pass glue, code and set-up maths."""
    page = "\n".join([
        "# T",
        "The code gives 12.0006, and the error is 6×10⁻⁶ or 3e-8. It gives $0.125\\ldots$ too.",
        "Glued {glue:text}`k:.3f`, code `x = 0.5`, set-up $h = 0.1$, result $f' \\approx 0.277$.",
        "```{code-cell} ipython3",
        "---",
        "mystnb:",
        "  image:",
        "    alt: on x from -2.5 to 2.5 the error bottoms out near 1.5 at the default step",
        "---",
        "y = 2.5",
        "```",
        "$$",
        "x = 0.25",
        "$$",
    ])
    numbers = [number for _, number, _ in typed_numbers(page)]
    assert sorted(numbers) == sorted(["12.0006", "6×10⁻⁶", "3e-8", "0.125\\ldots", "1.5", "0.277"]), numbers
