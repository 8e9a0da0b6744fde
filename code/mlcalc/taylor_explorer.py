r"""Part 4 — the catalogue of functions and the data of the Taylor explorer.

:data:`CATALOGUE` holds the functions the Part 4 pages expand: each with a complex-safe numpy
implementation, the radius of convergence of its Taylor series at a point :math:`a` (the
distance from :math:`a` to the nearest singularity in the complex plane), and the ranges the
explorer shows. :func:`explorer_data` computes, with :func:`mlcalc.taylor.taylor_coefficients`,
the coefficients at a grid of expansion points and the function on a grid of :math:`x`; the
browser script on :doc:`/book/part4-taylor/07-taylor-explorer` only evaluates those polynomials
and draws. :func:`explorer_readout` is the Python twin of the script's readout.
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
    "CatalogueFunction",
    "CATALOGUE",
    "catalogue",
    "EXPLORER_ORDER",
    "explorer_data",
    "explorer_json",
    "explorer_html",
    "explorer_readout",
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

    ``f`` accepts complex arrays; ``radius(a)`` is the radius of convergence at ``a``
    (``math.inf`` for an entire function); ``singularities`` lists the nearest singular points
    as text; ``x_range`` and ``a_range`` are what the explorer draws and lets the reader choose;
    ``y_range`` is its vertical window.

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

    def radius_at(self, a: float) -> float:
        """The radius of convergence of the series at ``a`` (``inf`` if it converges everywhere)."""
        a_ = as_finite_scalar(a, "a")
        return float(self.radius(a_))


_PI = math.pi

CATALOGUE: dict[str, CatalogueFunction] = {
    c.key: c
    for c in (
        CatalogueFunction("exp", "e^x", np.exp, lambda a: math.inf, "none (entire)",
                          (-4.0, 4.0), (-3.0, 3.0), (-2.0, 20.0)),
        CatalogueFunction("sin", "sin x", np.sin, lambda a: math.inf, "none (entire)",
                          (-10.0, 10.0), (-6.0, 6.0), (-2.5, 2.5)),
        CatalogueFunction("cos", "cos x", np.cos, lambda a: math.inf, "none (entire)",
                          (-10.0, 10.0), (-6.0, 6.0), (-2.5, 2.5)),
        CatalogueFunction("log1p", "ln(1 + x)", np.log1p, lambda a: abs(1.0 + a), "x = -1",
                          (-1.0, 4.0), (-0.8, 3.0), (-3.0, 2.5)),
        CatalogueFunction("geometric", "1/(1 - x)", _geometric, lambda a: abs(1.0 - a), "x = 1",
                          (-3.0, 1.0), (-2.5, 0.8), (-2.0, 8.0)),
        CatalogueFunction("arctan", "arctan x", np.arctan, lambda a: math.hypot(a, 1.0), "x = ±i",
                          (-4.0, 4.0), (-3.0, 3.0), (-2.5, 2.5)),
        CatalogueFunction("sigmoid", "σ(x) = 1/(1 + e^(−x))", _sigmoid, lambda a: math.hypot(a, _PI),
                          "x = ±iπ", (-10.0, 10.0), (-6.0, 6.0), (-0.5, 1.5)),
        CatalogueFunction("gaussian", "e^(−x²)", _gaussian, lambda a: math.inf, "none (entire)",
                          (-3.0, 3.0), (-2.0, 2.0), (-0.5, 1.5)),
    )
}


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


def explorer_data(points: int = 41, samples: int = 321, order: int = EXPLORER_ORDER) -> dict[str, Any]:
    r"""Everything the Taylor explorer needs, as a JSON-ready dict.

    For each catalogue function: ``points`` expansion points :math:`a` evenly spread over its
    ``a_range``, with the coefficients :math:`c_0..c_{\text{order}}` at each (from
    :func:`~mlcalc.taylor.taylor_coefficients`) and the radius of convergence there (``None``
    when infinite); and :math:`f` at ``samples`` evenly spaced :math:`x` over ``x_range``
    (``None`` where :math:`f` is undefined). Numbers keep 15 significant digits.

    Introduced on :doc:`/book/part4-taylor/07-taylor-explorer`.
    """
    p = as_int(points, "points", minimum=2)
    s = as_int(samples, "samples", minimum=2)
    n = as_int(order, "order", minimum=1)
    if p > 401 or s > 4001 or n > 40:
        raise ValueError("points must be at most 401, samples at most 4001 and order at most 40")
    functions = []
    for c in CATALOGUE.values():
        a_values = np.linspace(*c.a_range, p)
        x_values = np.linspace(*c.x_range, s)
        with np.errstate(all="ignore"):
            fx = np.real(c.f(x_values.astype(complex)))
            fx = np.where(np.isfinite(fx) & (np.abs(fx) < 1e6), fx, np.nan)
        if c.key == "log1p":
            fx[x_values <= -1] = np.nan
        functions.append({
            "key": c.key,
            "label": c.label,
            "singularities": c.singularities,
            "x": [c.x_range[0], c.x_range[1], s],
            "a": [c.a_range[0], c.a_range[1], p],
            "y": list(c.y_range),
            "f": _round(fx),
            "radius": [None if math.isinf(c.radius(float(a))) else _round([c.radius(float(a))])[0]
                       for a in a_values],
            "coefficients": [_round(taylor_coefficients(c.f, float(a), n)) for a in a_values],
        })
    return {"format": _FORMAT, "version": 1, "order": n, "functions": functions}


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
    return lo + (hi - lo) * k / (count - 1)


def explorer_readout(data: dict[str, Any], key: str, a_index: int, order: int, x_index: int) -> dict[str, float]:
    r"""What the explorer's readout shows for the given slider positions, computed in Python.

    Evaluates the exported polynomial :math:`p_n(x) = \sum_{k\le n} c_k (x-a)^k` by Horner's
    rule, as the script does, and returns ``a``, ``x``, ``f`` (exported), ``p`` and
    ``error`` :math:`= |f(x) - p_n(x)|` (NaN where :math:`f` is undefined).

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
    return {"a": a, "x": x, "f": f, "p": p, "error": abs(f - p)}

