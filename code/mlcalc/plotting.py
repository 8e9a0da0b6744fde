"""The book's figure style, shared by every page.

Figures are drawn on an opaque white card with dark ink, so that they read the same in the
site's light and dark modes, and their colours come from the Okabe–Ito palette, which stays
distinguishable for the common forms of colour blindness. Every page starts with
``from mlcalc.plotting import use_book_style; use_book_style()``.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt

from ._validate import as_int

__all__ = ["COLORS", "use_book_style", "new_figure"]

#: Okabe–Ito colours by role. ``ink`` is for axes and text.
COLORS: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "ink": "#222222",
    "grey": "#777777",
}

#: The most rows (or columns) of panels :func:`new_figure` draws: a book figure is read on a phone.
MAX_PANELS: int = 12

_CYCLE = ["blue", "vermillion", "green", "orange", "purple", "sky"]


def use_book_style() -> None:
    """Set matplotlib's defaults to the book's style.

    White opaque background, dark ink, the Okabe–Ito colour cycle, a light grid, and fixed
    metadata so that two builds write byte-identical images.

    Introduced on :doc:`/book/part1-derivatives/01-rise-over-run`.
    """
    plt.rcParams.update(
        {
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "savefig.transparent": False,
            "axes.edgecolor": COLORS["ink"],
            "axes.labelcolor": COLORS["ink"],
            "text.color": COLORS["ink"],
            "xtick.color": COLORS["ink"],
            "ytick.color": COLORS["ink"],
            "axes.grid": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=[COLORS[c] for c in _CYCLE]),
            "lines.linewidth": 2.0,
            # 13 pt on a 7-inch, 700-pixel figure: shrunk to a 340 px phone column its tick
            # labels are about 9 px high (11 pt gave 7.5 px)
            "font.size": 13,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7.0, 4.0),
            "svg.hashsalt": "mlcalc",
            "image.cmap": "viridis",
        }
    )


def new_figure(ncols: int = 1, nrows: int = 1, **kwargs: Any) -> tuple[Any, Any]:
    """Return ``(fig, axes)`` in the book's style with a layout that leaves room for labels.

    ``ncols`` and ``nrows`` are between 1 and :data:`MAX_PANELS`; the other keyword arguments
    go to :func:`matplotlib.pyplot.subplots`.

    Introduced on :doc:`/book/part1-derivatives/01-rise-over-run`.
    """
    cols = as_int(ncols, "ncols", minimum=1, maximum=MAX_PANELS)
    rows = as_int(nrows, "nrows", minimum=1, maximum=MAX_PANELS)
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(rows, cols, **kwargs)
