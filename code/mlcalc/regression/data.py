r"""Galton's family heights (1886), shipped with the package, and histograms of them.

The file ``data/galton_families.csv`` beside this module is the table ``GaltonFamilies`` of the R
package HistData: 934 adult children of 205 families, heights in inches. ``data/PROVENANCE.md``
says where it comes from, what each column means and how it was extracted. The loader reads it
with the standard library only and checks every row, so a damaged file fails with a message that
names the file, the line and the column.

Sons and daughters differ in height by about 8 %. The book follows Galton: a daughter's height
is multiplied by :data:`DAUGHTER_FACTOR` = 1.08 (the same factor that the mid-parent column
applies to the mother), which puts daughters on the sons' scale.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_positive_scalar, require_choice

__all__ = [
    "DATA_FILE",
    "DATA_SHA256",
    "DAUGHTER_FACTOR",
    "COLUMNS",
    "GaltonFamilies",
    "load_galton",
    "file_sha256",
    "child_heights",
    "Histogram",
    "histogram",
]

#: The CSV file shipped with the package.
DATA_FILE: Path = Path(__file__).resolve().parent / "data" / "galton_families.csv"
#: SHA-256 of the shipped file, as recorded in ``data/PROVENANCE.md``.
DATA_SHA256 = "95042f8856ec0b53f8957943137645d2410d935125f78e790aaadd49747ace30"
#: Galton's factor that puts a woman's height on the men's scale.
DAUGHTER_FACTOR = 1.08
#: The columns of the file, in order.
COLUMNS = ("family", "father", "mother", "midparentHeight", "children", "childNum", "gender", "childHeight")

_HEIGHTS = ("father", "mother", "midparentHeight", "childHeight")
_COUNTS = ("children", "childNum")
_PLAUSIBLE_INCHES = (48.0, 90.0)  # four to seven and a half feet


@dataclass(frozen=True)
class GaltonFamilies:
    """Galton's table as numpy arrays, one entry per adult child (heights in inches).

    ``midparent`` is Galton's mid-parent height :math:`(\\text{father} + 1.08\\,\\text{mother})/2`;
    ``male`` is true for sons. ``len(data)`` is the number of children.

    Introduced on :doc:`/book/part6-regression/01-linear-regression`.
    """

    family: NDArray[np.str_] = field(repr=False)
    father: NDArray[np.float64] = field(repr=False)
    mother: NDArray[np.float64] = field(repr=False)
    midparent: NDArray[np.float64] = field(repr=False)
    children: NDArray[np.int64] = field(repr=False)
    child_number: NDArray[np.int64] = field(repr=False)
    male: NDArray[np.bool_] = field(repr=False)
    child: NDArray[np.float64] = field(repr=False)

    def __len__(self) -> int:
        return int(self.child.size)

    @property
    def n_families(self) -> int:
        """The number of distinct families."""
        return int(np.unique(self.family).size)


def _fail(path: Path, line: int, message: str) -> ValueError:
    return ValueError(f"{path.name}, line {line}: {message} (is the file damaged? compare it with DATA_SHA256)")


def load_galton(path: str | Path | None = None) -> GaltonFamilies:
    """Read Galton's family heights from the shipped CSV file (or from ``path``).

    Every row is checked: eight columns with the header :data:`COLUMNS`, heights that are
    numbers between 48 and 90 inches, positive whole counts, a gender of ``male`` or
    ``female``, and a mid-parent height equal to :math:`(\\text{father} + 1.08\\,\\text{mother})/2`.
    A missing file raises ``FileNotFoundError``; a malformed one ``ValueError`` naming the line
    and the column.

    Introduced on :doc:`/book/part6-regression/01-linear-regression`.
    """
    if path is not None and not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file name (str or pathlib.Path), not {type(path).__name__}")
    file = DATA_FILE if path is None else Path(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"Galton's data file was not found at {file}"
            + (" (the package was installed without its data: reinstall mlcalc)" if path is None else "")
        )
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{file.name} is not a UTF-8 text file (is the file damaged?)") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or tuple(rows[0]) != COLUMNS:
        got = rows[0] if rows else "nothing"
        raise ValueError(f"{file.name}, line 1: the header must be {','.join(COLUMNS)}; got {got}")
    if len(rows) < 2:
        raise ValueError(f"{file.name} has a header but no data rows")
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(COLUMNS):
            raise _fail(file, line, f"expected {len(COLUMNS)} comma-separated values, got {len(row)}")
        for name, value in zip(COLUMNS, row):
            if name in _HEIGHTS:
                try:
                    number = float(value)
                except ValueError:
                    raise _fail(file, line, f"column {name} must be a number, got {value!r}") from None
                low, high = _PLAUSIBLE_INCHES
                if not low <= number <= high:
                    raise _fail(file, line, f"column {name} = {value} inches is outside {low:g}–{high:g}")
                columns[name].append(number)
            elif name in _COUNTS:
                if not value.isdigit() or int(value) < 1:
                    raise _fail(file, line, f"column {name} must be a positive whole number, got {value!r}")
                columns[name].append(int(value))
            elif name == "gender":
                if value not in ("male", "female"):
                    raise _fail(file, line, f"column gender must be 'male' or 'female', got {value!r}")
                columns[name].append(value == "male")
            else:
                if not value:
                    raise _fail(file, line, "column family is empty")
                columns[name].append(value)
        father, mother, mid = (columns[c][-1] for c in ("father", "mother", "midparentHeight"))
        if abs(mid - (father + DAUGHTER_FACTOR * mother) / 2) > 1e-6:
            raise _fail(file, line, f"midparentHeight {mid} is not (father + 1.08 mother)/2 = {(father + 1.08 * mother) / 2:.4f}")
        if columns["childNum"][-1] > columns["children"][-1]:
            raise _fail(file, line, "childNum is larger than children")
    return GaltonFamilies(
        family=np.array(columns["family"], dtype=str),
        father=np.array(columns["father"]),
        mother=np.array(columns["mother"]),
        midparent=np.array(columns["midparentHeight"]),
        children=np.array(columns["children"], dtype=np.int64),
        child_number=np.array(columns["childNum"], dtype=np.int64),
        male=np.array(columns["gender"], dtype=bool),
        child=np.array(columns["childHeight"]),
    )


def file_sha256(path: str | Path | None = None) -> str:
    """The SHA-256 of the data file (hex), to compare with :data:`DATA_SHA256`.

    Introduced on :doc:`/book/part6-regression/01-linear-regression`.
    """
    return hashlib.sha256((DATA_FILE if path is None else Path(path)).read_bytes()).hexdigest()


def child_heights(data: GaltonFamilies | None = None, who: str = "all") -> NDArray[np.float64]:
    """The children's heights in inches, daughters put on the sons' scale.

    ``who="all"`` gives every child, each daughter's height multiplied by :data:`DAUGHTER_FACTOR`
    (Galton's "transmuted" heights); ``"sons"`` the sons only; ``"daughters"`` the daughters'
    heights as measured (not transmuted).

    Introduced on :doc:`/book/part6-regression/01-linear-regression`.
    """
    if data is None:
        data = load_galton()
    elif not isinstance(data, GaltonFamilies):
        raise TypeError(f"data must be a GaltonFamilies (from load_galton()), not {type(data).__name__}")
    require_choice(who, "who", ("all", "sons", "daughters"))
    if who == "sons":
        return data.child[data.male].copy()
    if who == "daughters":
        return data.child[~data.male].copy()
    return np.where(data.male, data.child, DAUGHTER_FACTOR * data.child)


@dataclass(frozen=True)
class Histogram:
    r"""A histogram as the data of a fit: bin centres, densities and their uncertainties.

    ``density[i]`` is :math:`n_i/(N w)` for :math:`n_i` of the :math:`N` values in a bin of width
    :math:`w`, so that it compares with a probability density. ``uncertainty[i]`` is the Poisson
    estimate :math:`\sqrt{\max(n_i, 1)}/(N w)` (an empty bin still has an uncertainty of one count).

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """

    edges: NDArray[np.float64] = field(repr=False)
    centres: NDArray[np.float64] = field(repr=False)
    counts: NDArray[np.int64] = field(repr=False)
    density: NDArray[np.float64] = field(repr=False)
    uncertainty: NDArray[np.float64] = field(repr=False)
    n_values: int = 0


def histogram(values: ArrayLike, width: float = 1.0, start: float | None = None) -> Histogram:
    """Bin ``values`` into bins of the given ``width`` starting at ``start``.

    By default the first edge lies a quarter of a bin above a multiple of ``width``, just below
    the smallest value, so that values recorded to the nearest half inch (most of Galton's) fall
    inside bins, not on their edges. Values that were rescaled after recording (the daughters'
    heights times 1.08) are no longer on the half inches and can land near an edge. Every value
    lands in a bin.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    v = as_finite_array(values, "values", ndim=1)
    w = as_positive_scalar(width, "width")
    lo = float(np.floor(v.min() / w) * w - 0.75 * w) if start is None else float(start)
    if start is not None:
        lo = float(np.asarray(as_finite_array(start, "start", ndim=0)))
        if lo > v.min():
            raise ValueError(f"start = {lo:g} is above the smallest value {v.min():g}: some values would be left out")
    n_bins = int(np.floor((v.max() - lo) / w)) + 1
    if n_bins > 100_000:
        raise ValueError(f"width = {w:g} gives {n_bins} bins for these values; choose a wider bin")
    edges = lo + w * np.arange(n_bins + 1)
    counts, _ = np.histogram(v, bins=edges)
    n = int(v.size)
    return Histogram(
        edges=edges,
        centres=(edges[:-1] + edges[1:]) / 2,
        counts=counts.astype(np.int64),
        density=counts / (n * w),
        uncertainty=np.sqrt(np.maximum(counts, 1)) / (n * w),
        n_values=n,
    )
