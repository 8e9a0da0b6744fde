r"""Part 4 — the catalogue of functions and the data of the Taylor explorer.

:data:`CATALOGUE` holds the functions the Part 4 pages expand: each with a complex-safe numpy
implementation, the radius of convergence of its Taylor series at a point :math:`a` (the
distance from :math:`a` to the nearest singularity in the complex plane), and the ranges the
explorer shows. :func:`explorer_data` computes, with :func:`mlcalc.taylor.taylor_coefficients`,
the coefficients at a grid of expansion points and the function on a grid of :math:`x`; the
browser script on :doc:`/book/part4-taylor/07-taylor-explorer` only evaluates those polynomials
and draws. :func:`explorer_readout` is the Python twin of the script's readout.

CATALOGUE
    A dict from a short key (``"exp"``, ``"sin"``, ``"cos"``, ``"log1p"``, ``"geometric"``,
    ``"arctan"``, ``"sigmoid"``, ``"gaussian"``) to a :class:`CatalogueFunction`. What the pages
    use of an entry ``e = CATALOGUE["sigmoid"]``: ``e.f`` (the function, complex-safe, for
    :func:`~mlcalc.taylor.taylor_coefficients`), ``e.label`` (its name as text) and
    ``e.radius_at(a)`` (the radius of convergence of its series about ``a``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validate import as_finite_scalar, as_int, require_choice
from .taylor import taylor_coefficients

__all__ = [
    "Catalogue",
    "CatalogueFunction",
    "CATALOGUE",
    "catalogue",
    "EXPLORER_ORDER",
    "explorer_data",
    "explorer_json",
    "explorer_html",
    "explorer_readout",
    "grid_value",
    "probe_position",
    "EDGE_TOLERANCE",
]

#: The highest order the explorer offers.
EXPLORER_ORDER: int = 20

_FORMAT = "mlcalc-taylor-explorer"
_DIGITS = 15  # significant digits of the exported numbers


def _sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-z))


def _geometric(z: Any) -> Any:
    return 1.0 / (1.0 - z)


def _gaussian(z: Any) -> Any:
    return np.exp(-z * z)


@dataclass(frozen=True)
class CatalogueFunction:
    r"""A function of the catalogue: how to evaluate it and where its series converges.

    Attributes a reader uses: ``f`` (accepts complex arrays), ``label`` (the name shown),
    :meth:`radius_at` (the radius of convergence at ``a``, ``math.inf`` for an entire function).
    Also: ``radius`` (the same as a plain function), ``singularities`` (the nearest singular
    points, as text), ``x_range`` and ``a_range`` (what the explorer draws and lets the reader
    choose, on grids of spacing ``x_step`` and ``a_step``, chosen so that every grid value
    prints exactly with three and two decimals) and ``y_range`` (its vertical window).

    Introduced on :doc:`/book/part4-taylor/02-taylor-coefficients`.
    """

    key: str
    label: str
    f: Callable[[Any], Any]
    radius: Callable[[float], float]
    singularities: str
    x_range: tuple[float, float]
    a_range: tuple[float, float]
    y_range: tuple[float, float]
    a_step: float = 0.1
    x_step: float = 0.01

    def a_values(self, count: int | None = None) -> np.ndarray:
        """The explorer's expansion points: ``a_range`` in steps of ``a_step`` (or ``count`` points)."""
        return _even_grid(self.a_range, self.a_step, count)

    def x_values(self, count: int | None = None) -> np.ndarray:
        """The explorer's sample points: ``x_range`` in steps of ``x_step`` (or ``count`` points)."""
        return _even_grid(self.x_range, self.x_step, count)

    def radius_at(self, a: float) -> float:
        """The radius of convergence of the series at ``a`` (``inf`` if it converges everywhere)."""
        a_ = as_finite_scalar(a, "a")
        return float(self.radius(a_))


def grid_value(lo: float, hi: float, count: int, i: int) -> float:
    """Point ``i`` of ``count`` evenly spaced points from ``lo`` to ``hi``, rounded to 9 decimals
    so that a grid of step 0.1 holds 2.0 itself (the browser script rounds the same way).

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    lo_, hi_ = as_finite_scalar(lo, "lo"), as_finite_scalar(hi, "hi")
    n = as_int(count, "count", minimum=2)
    k = as_int(i, "i", minimum=0)
    if k >= n:
        raise ValueError(f"i must be below count = {n}, got {k}")
    return round(lo_ + (hi_ - lo_) * k / (n - 1), 9) + 0.0


def _even_grid(span: tuple[float, float], step: float, count: int | None) -> np.ndarray:
    lo, hi = span
    n = int(round((hi - lo) / step)) + 1 if count is None else count
    return np.array([grid_value(lo, hi, n, i) for i in range(n)])


_PI = math.pi

class Catalogue(dict[str, CatalogueFunction]):
    """The functions Part 4 expands, by key: ``"exp"``, ``"sin"``, ``"cos"``, ``"log1p"``,
    ``"geometric"`` (1/(1 - x)), ``"arctan"``, ``"sigmoid"``, ``"gaussian"`` (e^(-x^2)).

    Each value is a :class:`CatalogueFunction`; for ``e = CATALOGUE["sigmoid"]`` the pages use
    ``e.f`` (the function, complex-safe), ``e.label`` (its name as text) and ``e.radius_at(a)``
    (the radius of convergence of its series about ``a``).

    Introduced on :doc:`/book/part4-taylor/02-taylor-coefficients`.
    """


CATALOGUE: Catalogue = Catalogue({
    c.key: c
    for c in (
        CatalogueFunction("exp", "e^x", np.exp, lambda a: math.inf, "none (entire)",
                          (-4.0, 4.0), (-3.0, 3.0), (-2.0, 20.0), 0.2, 0.025),
        CatalogueFunction("sin", "sin x", np.sin, lambda a: math.inf, "none (entire)",
                          (-10.0, 10.0), (-6.0, 6.0), (-2.5, 2.5), 0.25, 0.05),
        CatalogueFunction("cos", "cos x", np.cos, lambda a: math.inf, "none (entire)",
                          (-10.0, 10.0), (-6.0, 6.0), (-2.5, 2.5), 0.25, 0.05),
        CatalogueFunction("log1p", "ln(1 + x)", np.log1p, lambda a: abs(1.0 + a), "x = -1",
                          (-1.0, 4.0), (-0.8, 3.2), (-3.0, 2.5), 0.1, 0.02),
        CatalogueFunction("geometric", "1/(1 - x)", _geometric, lambda a: abs(1.0 - a), "x = 1",
                          (-3.0, 1.0), (-3.2, 0.8), (-2.0, 8.0), 0.1, 0.01),
        CatalogueFunction("arctan", "arctan x", np.arctan, lambda a: math.hypot(a, 1.0), "x = ±i",
                          (-4.0, 4.0), (-3.0, 3.0), (-2.5, 2.5), 0.2, 0.025),
        CatalogueFunction("sigmoid", "σ(x) = 1/(1 + e^(−x))", _sigmoid, lambda a: math.hypot(a, _PI),
                          "x = ±iπ", (-10.0, 10.0), (-6.0, 6.0), (-0.5, 1.5), 0.25, 0.05),
        CatalogueFunction("gaussian", "e^(−x²)", _gaussian, lambda a: math.inf, "none (entire)",
                          (-3.0, 3.0), (-2.0, 2.0), (-0.5, 1.5), 0.1, 0.02),
    )
})


def catalogue(key: str) -> CatalogueFunction:
    """The catalogue entry named ``key`` (one of ``CATALOGUE``'s keys).

    Introduced on :doc:`/book/part4-taylor/02-taylor-coefficients`.
    """
    return CATALOGUE[require_choice(key, "key", CATALOGUE)]


def _round(values: Any) -> list[float | None]:
    out: list[float | None] = []
    for v in np.asarray(values, dtype=float).ravel():
        out.append(float(f"{v:.{_DIGITS}g}") if math.isfinite(v) else None)
    return out


def explorer_data(points: int | None = None, samples: int | None = None,
                  order: int = EXPLORER_ORDER) -> dict[str, Any]:
    r"""Everything the Taylor explorer needs, as a JSON-ready dict.

    For each catalogue function: the expansion points :math:`a` of its ``a_range`` in steps of
    its ``a_step`` (or ``points`` evenly spread points), with the coefficients
    :math:`c_0..c_{\text{order}}` at each (from :func:`~mlcalc.taylor.taylor_coefficients`) and
    the radius of convergence there (``None`` when infinite); and :math:`f` at the points of
    ``x_range`` in steps of ``x_step`` (or ``samples`` points; ``None`` where :math:`f` is
    undefined). Numbers keep 15 significant digits.

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    p = None if points is None else as_int(points, "points", minimum=2)
    s = None if samples is None else as_int(samples, "samples", minimum=2)
    n = as_int(order, "order", minimum=1)
    if (p is not None and p > 401) or (s is not None and s > 4001) or n > 40:
        raise ValueError("points must be at most 401, samples at most 4001 and order at most 40")
    functions = []
    for c in CATALOGUE.values():
        a_values = c.a_values(p)
        x_values = c.x_values(s)
        with np.errstate(all="ignore"):
            fx = np.real(c.f(x_values.astype(complex)))
            fx = np.where(np.isfinite(fx) & (np.abs(fx) < 1e6), fx, np.nan)
        if c.key == "log1p":
            fx[x_values <= -1] = np.nan
        functions.append({
            "key": c.key,
            "label": c.label,
            "singularities": c.singularities,
            "x": [c.x_range[0], c.x_range[1], len(x_values)],
            "a": [c.a_range[0], c.a_range[1], len(a_values)],
            "y": list(c.y_range),
            "f": _round(fx),
            "radius": [None if math.isinf(c.radius(float(a))) else _round([c.radius(float(a))])[0]
                       for a in a_values],
            "coefficients": [_round(taylor_coefficients(c.f, float(a), n)) for a in a_values],
        })
    return {"format": _FORMAT, "version": 2, "order": n, "functions": functions}


def explorer_json(data: dict[str, Any] | None = None) -> str:
    """:func:`explorer_data` as compact JSON, safe inside an HTML ``<script>`` element.

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    payload = explorer_data() if data is None else data
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise ValueError("data must be a dict made by explorer_data()")
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True, allow_nan=False).replace("</", "<\\/")


def explorer_html(data: dict[str, Any] | None = None, *, element_id: str = "taylor-explorer") -> str:
    """The HTML the page embeds: an empty container and its data as ``application/json``.

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    if not isinstance(element_id, str) or not element_id.replace("-", "").isalnum():
        raise ValueError("element_id must be letters, digits and hyphens")
    text = explorer_json(data)
    return (
        f'<div class="taylor-explorer" id="{element_id}" data-taylor="{element_id}-data">'
        '<p class="taylor-fallback">The Taylor explorer runs here once its script has loaded. '
        "Without JavaScript, use <code>mlcalc.taylor.taylor_polynomial</code> in Python.</p>"
        "</div>\n"
        f'<script type="application/json" id="{element_id}-data">{text}</script>'
    )


def _grid(spec: list[Any], i: int, name: str) -> float:
    lo, hi, count = spec
    k = as_int(i, name, minimum=0)
    if k >= count:
        raise ValueError(f"{name} must be below {count}, got {k}")
    return grid_value(lo, hi, count, k)


#: How close to the radius (relative) counts as "on the edge" of the interval of convergence.
EDGE_TOLERANCE: float = 1e-9


def probe_position(x: float, a: float, radius: float | None, f_defined: bool = True) -> str:
    """Where the probe ``x`` lies for the series about ``a`` with radius ``radius`` (None: infinite).

    ``"singular"`` where :math:`f` is undefined (the singularity itself), ``"edge"`` when
    :math:`|x - a|` is within ``EDGE_TOLERANCE`` times the radius of it, else ``"inside"`` or
    ``"outside"``. The browser script applies the same rule.

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    x_, a_ = as_finite_scalar(x, "x"), as_finite_scalar(a, "a")
    if radius is not None and not (isinstance(radius, (int, float)) and radius > 0):
        raise ValueError(f"radius must be a positive number or None, got {radius!r}")
    if not f_defined:
        return "singular"
    if radius is None or math.isinf(radius):
        return "inside"
    d = abs(x_ - a_)
    if abs(d - radius) <= EDGE_TOLERANCE * radius:
        return "edge"
    return "inside" if d < radius else "outside"


def explorer_readout(data: dict[str, Any], key: str, a_index: int, order: int, x_index: int) -> dict[str, Any]:
    r"""What the explorer's readout shows for the given slider positions, computed in Python.

    Evaluates the exported polynomial :math:`p_n(x) = \sum_{k\le n} c_k (x-a)^k` by Horner's
    rule, as the script does, and returns ``a``, ``x``, ``f`` (exported), ``p``,
    ``error`` :math:`= |f(x) - p_n(x)|` (NaN where :math:`f` is undefined) and ``position``
    (:func:`probe_position`: ``"inside"``, ``"edge"``, ``"outside"`` or ``"singular"``).

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError("data must be a dict made by explorer_data()")
    entry = next((e for e in data["functions"] if e["key"] == key), None)
    if entry is None:
        raise ValueError(f"key must be one of {[e['key'] for e in data['functions']]}; got {key!r}")
    n = as_int(order, "order", minimum=0)
    if n > data["order"]:
        raise ValueError(f"order must be at most {data['order']}, got {n}")
    a = _grid(entry["a"], a_index, "a_index")
    x = _grid(entry["x"], x_index, "x_index")
    coeffs = entry["coefficients"][a_index][: n + 1]
    p = 0.0
    for c in reversed(coeffs):
        p = p * (x - a) + c
    fx = entry["f"][x_index]
    f = math.nan if fx is None else float(fx)
    position = probe_position(x, a, entry["radius"][a_index], fx is not None)
    return {"a": a, "x": x, "f": f, "p": p, "error": abs(f - p), "position": position}

