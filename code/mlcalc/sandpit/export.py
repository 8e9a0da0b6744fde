r"""The Sandpit's data for the browser: the game's pits and the strategy viewer's paths, as JSON.

The browser script (``book/_static_sandpit/sandpit.js``) knows no formulas: everything it shows
comes from the JSON made here when the book is built. A grid of values (depths, the two
components of :math:`\nabla f`) travels as plain JSON integers: each value is quantised to
:data:`EXPORT_STEP`, :math:`q = \operatorname{round}(v/\text{step})`, and sent as its difference
from the planar prediction :math:`q_{j,k-1} + q_{j-1,k} - q_{j-1,k-1}`. Smooth sand is predicted
well, so the numbers are small and compress well (the page is served gzip-compressed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validate import as_int, as_positive_scalar
from .game import Walk
from .landscapes import BOUNDS, SCENARIOS, Landscape
from .scenarios import random_pit, scenario
from .strategies import MEDIAN_AT_LEAST, STRATEGIES, Score, Strategy, score

__all__ = [
    "BROWSER_GRID",
    "BROWSER_RANDOM_SEEDS",
    "EXPORT_STEP",
    "VIEWER_STARTS",
    "grid_nodes",
    "arrow_scale",
    "ARROW_CAP",
    "ARROW_MIN_PX",
    "decode_grid",
    "browser_data",
    "strategy_data",
    "browser_json",
    "game_html",
]

#: Survey points per side of the grid the browser game probes on (spacing 2/60 ≈ 0.033 m).
BROWSER_GRID: int = 61

#: Seeds of the random pits pre-generated for the browser's "New pit" button.
BROWSER_RANDOM_SEEDS: tuple[int, ...] = (1, 2, 3, 4, 5)

#: Quantisation step of the exported depths and gradients: the 3 decimals the game shows.
EXPORT_STEP: float = 1e-3

#: How many of the scorer's starts the strategy viewer offers (the first ones of :func:`starts`).
VIEWER_STARTS: int = 12

_FORMAT = "mlcalc-sandpit"
_FORMAT_VERSION = 2
_MAX_GRID = 401


def grid_nodes(n: int = BROWSER_GRID) -> NDArray[np.float64]:
    r"""The coordinates of the browser game's survey grid along one side: ``lo + (hi - lo) * i / (n - 1)``.

    The browser computes node coordinates with this same formula, so the two agree bit for bit.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    m = as_int(n, "n", minimum=3)
    if m > _MAX_GRID:
        raise ValueError(f"n must be at most {_MAX_GRID}, got {m}")
    lo, hi = BOUNDS
    return lo + (hi - lo) * np.arange(m) / (m - 1)


#: The game draws no arrow longer than this (metres of the pit), and none shorter than
#: :data:`ARROW_MIN_PX` pixels, so that every arrow stays visible on a phone.
ARROW_CAP: float = 0.6
#: The shortest arrow the game draws, in CSS pixels (a nonzero slope is never invisible).
ARROW_MIN_PX: float = 6.0


def arrow_scale(land: Landscape, n: int = BROWSER_GRID) -> float:
    r"""How long the game draws the arrow of a slope of 1, in metres of the pit: one scale per pit.

    The arrow for :math:`-\nabla f` is drawn :math:`\lVert\nabla f\rVert \times` scale long, so
    lengths compare directly. The scale is the largest of 0.05, 0.1, 0.2, 0.5, 1 (times a power of
    ten) for which the arrow of the 95th percentile of the slopes on the survey grid is at most a
    quarter of the pit's width (0.5 m) long. A percentile, not the maximum, so that one steep wall
    (the narrow well's) does not shrink every other arrow to nothing; the game draws the few longer
    arrows cut at :data:`ARROW_CAP` m (the log gives their true slope).
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    if not isinstance(land, Landscape):
        raise TypeError(f"land must be a Landscape, not {type(land).__name__}")
    xs = grid_nodes(n)
    X, Y = np.meshgrid(xs, xs)
    steep = float(np.percentile(np.hypot(*np.moveaxis(land.jacobian(X, Y), -1, 0)), 95))
    target = 0.25 * (BOUNDS[1] - BOUNDS[0]) / steep
    power = 10.0 ** np.floor(np.log10(target))
    nice = max(m for m in (1.0, 2.0, 5.0) if m * power <= target * (1 + 1e-12))
    return float(nice * power)


def _predict(q: NDArray[np.int64]) -> NDArray[np.int64]:
    """The planar prediction left + below - below-left (zero outside the grid)."""
    p = np.pad(q, ((1, 0), (1, 0)))
    return p[1:, :-1] + p[:-1, 1:] - p[:-1, :-1]


def _encode(values: NDArray[np.float64], step: float = EXPORT_STEP) -> dict[str, Any]:
    q = np.rint(values / step).astype(np.int64)
    return {"step": step, "residuals": (q - _predict(q)).ravel().tolist()}


def decode_grid(entry: dict[str, Any], n: int) -> NDArray[np.float64]:
    r"""Decode one exported grid to an ``(n, n)`` array (rows are :math:`y`, columns :math:`x`).

    ``entry`` holds ``step`` and ``residuals``, the integers
    :math:`r_{jk} = q_{jk} - (q_{j,k-1} + q_{j-1,k} - q_{j-1,k-1})` (zero outside the grid) of
    :math:`q_{jk} = \operatorname{round}(v_{jk}/\text{step})`, row by row. The decoded values
    are exact to half a step.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    if not isinstance(entry, dict) or not {"step", "residuals"} <= set(entry):
        raise ValueError("entry must be a dict with keys 'step' and 'residuals'")
    m = as_int(n, "n", minimum=3)
    step = as_positive_scalar(entry["step"], "entry['step']")
    res = entry["residuals"]
    if not isinstance(res, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in res):
        raise TypeError("entry['residuals'] must be a list of integers")
    if len(res) != m * m:
        raise ValueError(f"entry['residuals'] holds {len(res)} values, expected n * n = {m * m}")
    r = np.array(res, dtype=np.int64).reshape(m, m)
    # q = r + left + below - below-left: cumulative sums along both axes undo the prediction
    q = np.cumsum(np.cumsum(r, axis=0), axis=1)
    return q.astype(np.float64) * step


def _export_landscape(land: Landscape, n: int, gradients: bool = True) -> dict[str, Any]:
    xs = grid_nodes(n)
    X, Y = np.meshgrid(xs, xs)
    out: dict[str, Any] = {
        "key": land.key if land.seed is None else f"random-{land.seed}",
        "scenario": land.key,
        "title": land.title,
        "description": land.description,
        "arrows": land.arrows,
        "radius": land.radius,
        "stuck_slopes": [float(v) for v in land.stuck_slopes],
        "minimum": [float(v) for v in land.minimum],
        "minimum_depth": land.minimum_depth,
        "local_minima": [[float(a), float(b)] for a, b in land.local_minima],
        "depth": _encode(np.asarray(land.depth(X, Y))),
    }
    if land.arrows and gradients:
        J = land.jacobian(X, Y)
        out["arrow_scale"] = arrow_scale(land, n)
        out["arrow_cap"] = ARROW_CAP
        out["arrow_min_px"] = ARROW_MIN_PX
        out["gx"] = _encode(J[..., 0])
        out["gy"] = _encode(J[..., 1])
    return out


def _seeds(random_seeds: Any) -> list[int]:
    if isinstance(random_seeds, (str, bytes)) or not isinstance(random_seeds, Sequence):
        raise TypeError("random_seeds must be a list of integers")
    seeds = [as_int(s, "random_seeds entry", minimum=0) for s in random_seeds]
    if not seeds:
        raise ValueError("random_seeds must not be empty (the random scenario needs a pit)")
    if len(seeds) > 50:
        raise ValueError(f"random_seeds may hold at most 50 seeds, got {len(seeds)}")
    return seeds


def browser_data(
    n: int = BROWSER_GRID,
    random_seeds: Sequence[int] = BROWSER_RANDOM_SEEDS,
) -> dict[str, Any]:
    r"""Everything the browser game needs, as a JSON-ready dict.

    For each scenario (and each random pit in ``random_seeds``): its title and description,
    whether arrows show, the found radius and the stuck slope, the deepest point and the other
    local minima (full float64 precision, so the browser's status rule sees the same numbers as
    :meth:`Landscape.status`), the arrow scale (:func:`arrow_scale`), and the depth and the two
    components of :math:`\nabla f` on an ``n`` × ``n`` grid (:func:`grid_nodes`), quantised to
    :data:`EXPORT_STEP` and sent as :func:`decode_grid` describes.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    m = as_int(n, "n", minimum=3)
    grid_nodes(m)  # checks the upper limit
    seeds = _seeds(random_seeds)
    items: list[dict[str, Any]] = []
    for key in SCENARIOS:
        if key == "random":
            items.extend(_export_landscape(random_pit(s), m) for s in seeds)
        else:
            items.append(_export_landscape(scenario(key), m))
    return {
        "format": _FORMAT,
        "version": _FORMAT_VERSION,
        "kind": "game",
        "bounds": list(BOUNDS),
        "n": m,
        "scenarios": list(SCENARIOS),
        "landscapes": items,
    }


def _path(walk: Walk) -> dict[str, Any]:
    mm = np.rint(walk.points * 1000).astype(np.int64)
    return {"mm": mm.ravel().tolist(), "probes": walk.n_probes, "reason": walk.reason, "trapped": walk.trapped}


def strategy_data(
    scores: dict[str, Score] | None = None,
    *,
    n: int = BROWSER_GRID,
    viewer_starts: int = VIEWER_STARTS,
) -> dict[str, Any]:
    r"""The strategy viewer's data: each scenario's pit, and each strategy's paths and score.

    ``scores`` maps a strategy name of :data:`~mlcalc.sandpit.strategies.STRATEGIES` to its
    :func:`~mlcalc.sandpit.strategies.score` (default: score each with the defaults). For every
    scored scenario the data holds the depth grid, the minima, the first ``viewer_starts``
    starts and, per strategy, the scenario's row of the score (success rate, median probes,
    stuck rate) and the walk from each of those starts (points in millimetres, probe count, how
    it ended, whether it ended in a trap). The page's table and the viewer are made from the same walks.
    Introduced on :doc:`/book/part5-optimisation/04-sandpit-strategies`.
    """
    if scores is None:
        scores = {name: score(rule) for name, rule in STRATEGIES.items()}
    if not isinstance(scores, dict) or not scores or not all(
        isinstance(k, str) and k in STRATEGIES and isinstance(v, Score) for k, v in scores.items()
    ):
        raise ValueError(
            f"scores must map strategy names ({', '.join(STRATEGIES)}) to what score() returned"
        )
    m = as_int(n, "n", minimum=3)
    grid_nodes(m)
    k = as_int(viewer_starts, "viewer_starts", minimum=1)
    first = next(iter(scores.values()))
    names = [row.scenario for row in first.rows]
    if any([row.scenario for row in s.rows] != names for s in scores.values()):
        raise ValueError("scores must all cover the same scenarios")
    if k > first.rows[0].n_starts:
        raise ValueError(f"viewer_starts must be at most the number of starts scored, {first.rows[0].n_starts}")
    landscapes = []
    for i, name in enumerate(names):
        land = first.rows[i].walks[0].landscape
        item = _export_landscape(land, m, gradients=False)
        item["starts"] = [[float(v) for v in w.probes[0].point] for w in first.rows[i].walks[:k]]
        item["strategies"] = {}
        for sname, s in scores.items():
            row = s.rows[i]
            item["strategies"][sname] = {
                "success_rate": row.success_rate,
                "median_probes": row.median_probes,
                "n_found": row.n_found,
                "median_at_least": MEDIAN_AT_LEAST,
                "stuck_rate": row.stuck_rate,
                "n_starts": row.n_starts,
                "paths": [_path(w) for w in row.walks[:k]],
            }
        landscapes.append(item)
    strategies: list[Strategy] = [STRATEGIES[s] for s in scores]
    return {
        "format": _FORMAT,
        "version": _FORMAT_VERSION,
        "kind": "strategies",
        "bounds": list(BOUNDS),
        "n": m,
        "max_probes": first.max_probes,
        "scenarios": names,
        "strategies": [{"key": s.name, "title": s.title, "formula": s.formula} for s in strategies],
        "landscapes": landscapes,
    }


def browser_json(data: dict[str, Any] | None = None) -> str:
    """:func:`browser_data` (or :func:`strategy_data`) as compact JSON, safe inside an HTML ``<script>``.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    payload = browser_data() if data is None else data
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise ValueError("data must be a dict made by browser_data() or strategy_data()")
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return text.replace("</", "<\\/")


def game_html(data: dict[str, Any] | None = None, *, element_id: str = "sandpit-game") -> str:
    """The HTML a page embeds: an empty container and its data as ``application/json``.

    The script (``sandpit.js``) fills the container with the game (data from
    :func:`browser_data`) or the strategy viewer (data from :func:`strategy_data`); without the
    script the container says how to play from Python instead.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    if not isinstance(element_id, str) or not element_id or not element_id.replace("-", "").isalnum():
        raise ValueError("element_id must be letters, digits and hyphens")
    text = browser_json(data)
    kind = "strategies" if (data or {}).get("kind") == "strategies" else "game"
    python = 'mlcalc.sandpit.score(mlcalc.sandpit.newton())' if kind == "strategies" else 'mlcalc.sandpit.play("bowl")'
    return (
        f'<div class="sandpit" id="{element_id}" data-sandpit="{element_id}-data">'
        f'<p class="sandpit-fallback">The Sandpit {"viewer" if kind == "strategies" else "game"} runs here '
        "once its script has loaded. "
        f"Without JavaScript, use it from Python: <code>{python}</code>.</p>"
        "</div>\n"
        f'<script type="application/json" id="{element_id}-data">{text}</script>'
    )
