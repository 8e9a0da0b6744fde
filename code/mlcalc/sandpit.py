r"""Part 2 — the Sandpit: find the deepest point of a hidden pit by probing it.

The pit is the square :math:`[-1, 1]^2` (metres from its centre, :math:`x` to the right,
:math:`y` up). The sand's surface is the graph of a smooth function :math:`f(x, y)`, its
height relative to the pit's rim, so that the **depth** at a point is :math:`-f(x, y)` and the
deepest point is where :math:`f` is smallest. A probe at :math:`(x, y)` reveals the depth and
(except in the depth-only scenario) the Jacobian

.. math:: J = \begin{bmatrix} \partial f/\partial x & \partial f/\partial y \end{bmatrix},

which points uphill; the arrow the game draws is :math:`-J`, downhill.

A probe has **found** the bottom when it lies within :data:`FOUND_RADIUS` of the true
minimum, and is **stuck** when it lies within that radius of a local minimum that is not the
global one. Both rules are defined here, once: :func:`browser_data` exports them (with every
scenario's depth and gradient on a grid) to the browser game on
:doc:`/book/part2-multivariate/05-sandpit`, whose script only draws and reads what it is sent.

From Python the same game is played with :func:`play` (probe by hand) or :func:`run` (let a
``next_step`` rule choose the probes), and :func:`reveal` draws the whole pit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import (
    as_finite_array,
    as_finite_scalar,
    as_int,
    as_positive_scalar,
    broadcast_pair,
    require_callable,
    require_choice,
)

__all__ = [
    "BOUNDS",
    "FOUND_RADIUS",
    "SCENARIOS",
    "BROWSER_GRID",
    "BROWSER_RANDOM_SEEDS",
    "Landscape",
    "Probe",
    "Sandpit",
    "Walk",
    "scenario",
    "random_pit",
    "play",
    "run",
    "reveal",
    "grid_nodes",
    "browser_data",
    "browser_json",
    "decode_grid",
    "EXPORT_STEP",
    "game_html",
]

#: The pit is the square ``[BOUNDS[0], BOUNDS[1]]`` in both :math:`x` and :math:`y` (metres).
BOUNDS: tuple[float, float] = (-1.0, 1.0)

#: A probe within this distance (metres) of the deepest point has found it.
FOUND_RADIUS: float = 0.05

#: The scenarios, in the order the game offers them.
SCENARIOS: tuple[str, ...] = ("bowl", "depth-only", "random", "several-minima", "rocks", "narrow-well")

#: Survey points per side of the grid the browser game probes on (spacing 2/80 = 0.025 m).
BROWSER_GRID: int = 81

#: Seeds of the random pits pre-generated for the browser's "New pit" button.
BROWSER_RANDOM_SEEDS: tuple[int, ...] = (1, 2, 3, 4, 5)

#: Status of a probe: at the bottom, at a local minimum that is not the bottom, or neither.
STATUSES: tuple[str, ...] = ("found", "stuck", "searching")

_SEARCH_GRID = 401  # nodes per side of the grid that locates the minima (spacing 0.005 m)
_FORMAT = "mlcalc-sandpit"
_FORMAT_VERSION = 1


# --------------------------------------------------------------------------------------------
# Building blocks of a landscape: each term has a value, a gradient and a Hessian, vectorised.
# --------------------------------------------------------------------------------------------


_A = NDArray[np.float64]


class _Term(Protocol):
    """A smooth piece of a landscape: its value, gradient and Hessian entries, elementwise."""

    def value(self, x: _A, y: _A) -> _A: ...

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]: ...

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]: ...


@dataclass(frozen=True)
class _Quadratic:
    r""":math:`\tfrac12 (p-c)^\top A (p-c)` with :math:`A = [[a, b], [b, d]]`."""

    cx: float
    cy: float
    a: float
    b: float
    d: float

    def value(self, x: _A, y: _A) -> _A:
        u, v = x - self.cx, y - self.cy
        return 0.5 * (self.a * u * u + 2 * self.b * u * v + self.d * v * v)

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]:
        u, v = x - self.cx, y - self.cy
        return self.a * u + self.b * v, self.b * u + self.d * v

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        one = np.ones_like(x)
        return self.a * one, self.b * one, self.d * one


@dataclass(frozen=True)
class _Gaussian:
    r""":math:`h \exp\bigl(-\tfrac12 (p-c)^\top P (p-c)\bigr)` with precision :math:`P = [[a, b], [b, d]]`."""

    cx: float
    cy: float
    a: float
    b: float
    d: float
    amplitude: float

    @classmethod
    def round(cls, cx: float, cy: float, sigma: float, amplitude: float) -> _Gaussian:
        return cls(cx, cy, 1 / sigma**2, 0.0, 1 / sigma**2, amplitude)

    def _parts(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        u, v = x - self.cx, y - self.cy
        pu = self.a * u + self.b * v
        pv = self.b * u + self.d * v
        g = self.amplitude * np.exp(-0.5 * (u * pu + v * pv))
        return g, pu, pv

    def value(self, x: _A, y: _A) -> _A:
        return self._parts(x, y)[0]

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]:
        g, pu, pv = self._parts(x, y)
        return -g * pu, -g * pv

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        g, pu, pv = self._parts(x, y)
        return g * (pu * pu - self.a), g * (pu * pv - self.b), g * (pv * pv - self.d)


@dataclass(frozen=True)
class _Ripples:
    r""":math:`h \sin(k_x x + \phi_x)\sin(k_y y + \phi_y)`: an egg-box of bumps and hollows."""

    amplitude: float
    kx: float
    ky: float
    px: float
    py: float

    def value(self, x: _A, y: _A) -> _A:
        return self.amplitude * np.sin(self.kx * x + self.px) * np.sin(self.ky * y + self.py)

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]:
        sx, cx = np.sin(self.kx * x + self.px), np.cos(self.kx * x + self.px)
        sy, cy = np.sin(self.ky * y + self.py), np.cos(self.ky * y + self.py)
        return self.amplitude * self.kx * cx * sy, self.amplitude * self.ky * sx * cy

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        sx, cx = np.sin(self.kx * x + self.px), np.cos(self.kx * x + self.px)
        sy, cy = np.sin(self.ky * y + self.py), np.cos(self.ky * y + self.py)
        h = self.amplitude
        return -h * self.kx**2 * sx * sy, h * self.kx * self.ky * cx * cy, -h * self.ky**2 * sx * sy


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _xy(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xa = as_finite_array(x, "x")
    ya = as_finite_array(y, "y")
    return broadcast_pair(xa, "x", ya, "y")


def _require_in_pit(xa: NDArray[np.float64], ya: NDArray[np.float64]) -> None:
    lo, hi = BOUNDS
    for arr, name in ((xa, "x"), (ya, "y")):
        bad = (arr < lo) | (arr > hi)
        if np.any(bad):
            raise ValueError(
                f"{name} = {arr[bad].flat[0]:.6g} is outside the pit; {name} must lie in [{lo:g}, {hi:g}]"
            )


def _point(value: Any, name: str) -> NDArray[np.float64]:
    p = as_finite_array(value, name, shape=(2,))
    _require_in_pit(p[:1], p[1:])
    return p


# --------------------------------------------------------------------------------------------
# Landscapes
# --------------------------------------------------------------------------------------------


class Landscape:
    r"""One hidden sandpit: the height :math:`f(x, y)` of its sand and where its minima are.

    Made by :func:`scenario` and :func:`random_pit` (the constructor takes private building blocks).

    :math:`f` is a sum of smooth terms (bowls, Gaussian hollows and mounds, ripples) shifted
    and scaled so that the highest sand on the pit is at :math:`f = 0` and the deepest at
    :math:`f = -\text{max depth}`. The minima are located numerically when the landscape is
    made: every point of a 401 × 401 grid that is no higher than its neighbours is refined by
    ever finer local grids and then by Newton steps :math:`p \leftarrow p - H^{-1}J^\top`.
    The tests check the result against an independent denser grid.

    Attributes
    ----------
    key, title, description
        The scenario's name (one of :data:`SCENARIOS`), a title and a one-line description.
    arrows
        Whether a probe reveals the downhill arrow :math:`-J` (false for ``"depth-only"``).
    radius
        The found/stuck radius, :data:`FOUND_RADIUS`.
    seed
        The seed of a random pit, else ``None``.
    minimum
        The deepest point :math:`(x^*, y^*)`, shape ``(2,)``.
    minimum_depth
        The depth there, :math:`-f(x^*, y^*)`.
    local_minima, local_depths
        The other local minima, shape ``(k, 2)``, deepest first, and their depths. A minimum on
        the rim (where the sand slopes down out of the pit) counts too.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    def __init__(
        self,
        key: str,
        title: str,
        description: str,
        terms: Sequence[_Term],
        *,
        max_depth: float,
        arrows: bool = True,
        seed: int | None = None,
    ) -> None:
        self.key = key
        self.title = title
        self.description = description
        self.arrows = bool(arrows)
        self.radius = FOUND_RADIUS
        self.seed = seed
        self._terms = tuple(terms)
        self._offset = 0.0
        self._scale = 1.0
        # scale so that the highest sand on the search grid is 0 and the deepest is -max_depth
        xs = np.linspace(*BOUNDS, _SEARCH_GRID)
        gx, gy = np.meshgrid(xs, xs)
        raw = self._raw(gx, gy)
        top, bottom = float(raw.max()), float(raw.min())
        self._offset = top
        self._scale = as_positive_scalar(max_depth, "max_depth") / (top - bottom)
        minima = _find_minima(self, xs, self._scale * (raw - top))
        heights = np.asarray(self.height(minima[:, 0], minima[:, 1]))
        order = np.argsort(heights, kind="stable")
        minima, heights = minima[order], heights[order]
        self.minimum: NDArray[np.float64] = minima[0]
        self.minimum_depth: float = float(-heights[0])
        self.local_minima: NDArray[np.float64] = minima[1:]
        self.local_depths: NDArray[np.float64] = -heights[1:]

    def __repr__(self) -> str:
        seed = f", seed={self.seed}" if self.seed is not None else ""
        return (
            f"Landscape({self.key!r}{seed}: deepest point {self.minimum_depth:.3f} m at "
            f"({self.minimum[0]:.3f}, {self.minimum[1]:.3f}), {len(self.local_minima)} other local minima)"
        )

    # -- the function and its derivatives ------------------------------------------------------

    def _raw(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        total = np.zeros_like(x)
        for term in self._terms:
            total = total + term.value(x, y)
        return total

    def height(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.float64] | float:
        r"""The height :math:`f(x, y)` of the sand (metres; negative inside the pit).

        ``x`` and ``y`` broadcast. Points outside the pit are allowed here (the formula goes on).
        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        xa, ya = _xy(x, y)
        out = self._scale * (self._raw(xa, ya) - self._offset)
        return float(out) if out.ndim == 0 else out

    def depth(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.float64] | float:
        r"""The depth :math:`-f(x, y)` of the sand below the rim (metres).

        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        h = self.height(x, y)
        return -h

    def jacobian(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
        r"""The Jacobian :math:`J = [\partial f/\partial x,\ \partial f/\partial y]`, exactly.

        Returns an array of shape ``(..., 2)`` (the broadcast shape of ``x`` and ``y`` plus one
        axis); :math:`J` points uphill and :math:`-J` downhill.
        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        xa, ya = _xy(x, y)
        gx = np.zeros_like(xa)
        gy = np.zeros_like(xa)
        for term in self._terms:
            tx, ty = term.gradient(xa, ya)
            gx = gx + tx
            gy = gy + ty
        return self._scale * np.stack([gx, gy], axis=-1)

    def hessian(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
        r"""The Hessian :math:`H = \begin{bmatrix} f_{xx} & f_{xy}\\ f_{xy} & f_{yy}\end{bmatrix}`, exactly.

        Returns an array of shape ``(..., 2, 2)``.
        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        xa, ya = _xy(x, y)
        hxx = np.zeros_like(xa)
        hxy = np.zeros_like(xa)
        hyy = np.zeros_like(xa)
        for term in self._terms:
            a, b, d = term.hessian(xa, ya)
            hxx, hxy, hyy = hxx + a, hxy + b, hyy + d
        row1 = np.stack([hxx, hxy], axis=-1)
        row2 = np.stack([hxy, hyy], axis=-1)
        return self._scale * np.stack([row1, row2], axis=-2)

    # -- the rules of the game -----------------------------------------------------------------

    def status(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.str_] | str:
        r"""``"found"``, ``"stuck"`` or ``"searching"`` for a probe at :math:`(x, y)`.

        *found*: within :attr:`radius` of the deepest point (distance ``<= radius``);
        *stuck*: not found, and within :attr:`radius` of one of :attr:`local_minima`;
        *searching*: neither. The browser game applies exactly these rules to the exported
        minima. Points must lie in the pit.
        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        xa, ya = _xy(x, y)
        _require_in_pit(xa, ya)
        r2 = self.radius**2
        found = (xa - self.minimum[0]) ** 2 + (ya - self.minimum[1]) ** 2 <= r2
        stuck = np.zeros(xa.shape, dtype=bool)
        for mx, my in self.local_minima:
            stuck |= (xa - mx) ** 2 + (ya - my) ** 2 <= r2
        out = np.where(found, "found", np.where(stuck, "stuck", "searching"))
        return str(out) if out.ndim == 0 else out

    def probe(self, x: float, y: float, number: int = 1) -> Probe:
        """Probe the pit at one point: depth, Jacobian and Hessian there, and the status.

        In a scenario without arrows the Jacobian and Hessian are ``None``.
        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        px = as_finite_scalar(x, "x")
        py = as_finite_scalar(y, "y")
        _require_in_pit(np.array([px]), np.array([py]))
        n = as_int(number, "number", minimum=1)
        jac = self.jacobian(px, py) if self.arrows else None
        hess = self.hessian(px, py) if self.arrows else None
        return Probe(
            number=n,
            x=px,
            y=py,
            depth=float(-self.height(px, py)),
            jacobian=jac,
            hessian=hess,
            status=str(self.status(px, py)),
        )


def _find_minima(land: Landscape, xs: NDArray[np.float64], f: NDArray[np.float64]) -> NDArray[np.float64]:
    """Local minima of ``land`` from its values ``f`` on the grid ``xs`` × ``xs`` (rows are y)."""
    padded = np.pad(f, 1, constant_values=np.inf)
    n = f.shape[0]
    is_min = np.ones_like(f, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di == 0 and dj == 0:
                continue
            is_min &= f <= padded[1 + di : 1 + di + n, 1 + dj : 1 + dj + n]
    rows, cols = np.nonzero(is_min)
    h = float(xs[1] - xs[0])
    found: list[NDArray[np.float64]] = []
    for r, c in zip(rows, cols):
        p = _refine(land, float(xs[c]), float(xs[r]), h)
        if p is None:
            continue
        if all(np.hypot(*(p - q)) > 1e-4 for q in found):
            found.append(p)
    if not found:  # pragma: no cover - a continuous function on a square always has a minimum
        raise RuntimeError("no minimum found")
    return np.array(found)


def _refine(land: Landscape, x0: float, y0: float, h: float) -> NDArray[np.float64] | None:
    """Refine a grid minimum by shrinking local grids, then Newton steps; None if not a minimum."""
    lo, hi = BOUNDS
    cx, cy = x0, y0
    half = h  # the grid minimum is no higher than its neighbours: the valley floor is within one spacing
    offsets = np.linspace(-1.0, 1.0, 9)
    for _ in range(30):
        gx = np.clip(cx + half * offsets, lo, hi)
        gy = np.clip(cy + half * offsets, lo, hi)
        X, Y = np.meshgrid(gx, gy)
        F = land.height(X, Y)
        k = int(np.argmin(F))
        cx, cy = float(X.flat[k]), float(Y.flat[k])
        half /= 2.5
    p = np.array([cx, cy])
    interior = lo + 1e-9 < cx < hi - 1e-9 and lo + 1e-9 < cy < hi - 1e-9
    if interior:
        for _ in range(6):
            J = land.jacobian(p[0], p[1])
            H = land.hessian(p[0], p[1])
            if np.any(np.linalg.eigvalsh(H) <= 0):
                break
            step = np.linalg.solve(H, J)
            if np.hypot(*step) > h:
                break
            q = np.clip(p - step, lo, hi)
            # rounding blurs heights near a minimum: accept a step that is not visibly uphill
            if land.height(q[0], q[1]) > land.height(p[0], p[1]) + 1e-13:
                break
            p = q
            if np.hypot(*step) < 1e-15:
                break
    # keep only true local minima: no lower sand on a small circle around p (within the pit)
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    for eps in (1e-3, 1e-5):
        rx = np.clip(p[0] + eps * np.cos(angles), lo, hi)
        ry = np.clip(p[1] + eps * np.sin(angles), lo, hi)
        if np.any(land.height(rx, ry) < land.height(p[0], p[1]) - 1e-13):
            return None
    return p


# --------------------------------------------------------------------------------------------
# The scenarios
# --------------------------------------------------------------------------------------------

_TITLES: dict[str, tuple[str, str]] = {
    "bowl": ("Bowl", "One smooth hollow. Follow the arrows down."),
    "depth-only": ("Depth only", "Another smooth hollow, but a probe shows only the depth: no arrow."),
    "random": ("Random pit", "A smooth random landscape of hollows and mounds."),
    "several-minima": ("Several minima", "Four hollows of different depths: only one is the deepest."),
    "rocks": ("Rocks", "A bowl strewn with rocks: small bumps and hollows everywhere."),
    "narrow-well": ("Narrow well", "A broad shallow basin, and somewhere a narrow, much deeper well."),
}


def _fixed_scenario(key: str) -> Landscape:
    title, text = _TITLES[key]
    if key == "bowl":
        terms: list[_Term] = [_Quadratic(0.38, -0.27, 1.0, 0.35, 1.6)]
        return Landscape(key, title, text, terms, max_depth=1.8)
    if key == "depth-only":
        terms = [_Quadratic(-0.42, 0.31, 1.3, -0.3, 0.9)]
        return Landscape(key, title, text, terms, max_depth=1.5, arrows=False)
    if key == "several-minima":
        terms = [
            _Quadratic(0.0, 0.0, 0.5, 0.0, 0.5),
            _Gaussian.round(-0.55, 0.5, 0.24, -0.75),
            _Gaussian.round(0.5, 0.45, 0.26, -0.6),
            _Gaussian.round(0.42, -0.52, 0.2, -0.95),
            _Gaussian.round(-0.5, -0.45, 0.28, -0.55),
        ]
        return Landscape(key, title, text, terms, max_depth=2.0)
    if key == "rocks":
        terms = [
            _Quadratic(-0.2, 0.25, 1.0, 0.2, 1.2),
            _Ripples(0.09, 17.0, 15.0, 0.4, 1.1),
            _Ripples(0.04, 29.0, 31.0, 2.0, 0.3),
        ]
        return Landscape(key, title, text, terms, max_depth=1.6)
    if key == "narrow-well":
        terms = [
            _Quadratic(0.0, 0.0, 0.3, 0.0, 0.3),
            _Gaussian.round(-0.35, -0.3, 0.45, -1.0),
            _Gaussian.round(0.55, 0.5, 0.07, -1.6),
        ]
        return Landscape(key, title, text, terms, max_depth=2.4)
    raise AssertionError(key)  # pragma: no cover


_CACHE: dict[tuple[str, int | None], Landscape] = {}


def random_pit(seed: int) -> Landscape:
    r"""A random smooth pit: a gentle bowl plus Gaussian hollows and mounds, from ``seed``.

    One main hollow (height :math:`-1`), three to five more hollows or mounds (heights in
    :math:`[-0.7, 0.4]`, widths :math:`\sigma \in [0.15, 0.4]`), centres in
    :math:`[-0.75, 0.75]^2`; the pit's depth is between 1.2 and 2.4 m. The same seed always
    gives the same pit (``np.random.default_rng(seed)``).
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    s = as_int(seed, "seed", minimum=0)
    if ("random", s) in _CACHE:
        return _CACHE[("random", s)]
    rng = np.random.default_rng(s)
    bx, by = rng.uniform(-0.3, 0.3, 2)
    terms: list[_Term] = [_Quadratic(float(bx), float(by), 0.4, 0.0, 0.4)]
    cx, cy = rng.uniform(-0.75, 0.75, 2)
    terms.append(_Gaussian.round(float(cx), float(cy), float(rng.uniform(0.18, 0.35)), -1.0))
    for _ in range(int(rng.integers(3, 6))):
        cx, cy = rng.uniform(-0.75, 0.75, 2)
        terms.append(
            _Gaussian.round(float(cx), float(cy), float(rng.uniform(0.15, 0.4)), float(rng.uniform(-0.7, 0.4)))
        )
    title, text = _TITLES["random"]
    land = Landscape(
        "random", f"{title} {s}", text, terms, max_depth=float(rng.uniform(1.2, 2.4)), seed=s
    )
    _CACHE[("random", s)] = land
    return land


def scenario(name: str, seed: int | None = None) -> Landscape:
    """The landscape of one scenario of :data:`SCENARIOS`.

    ``seed`` chooses the pit for ``"random"`` (default: the first of
    :data:`BROWSER_RANDOM_SEEDS`) and must be ``None`` for the others. Landscapes are cached:
    asking twice returns the same object.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    require_choice(name, "name", SCENARIOS)
    if name == "random":
        return random_pit(BROWSER_RANDOM_SEEDS[0] if seed is None else seed)
    if seed is not None:
        raise ValueError(f"seed is only used by the 'random' scenario, not by {name!r}")
    if (name, None) not in _CACHE:
        _CACHE[(name, None)] = _fixed_scenario(name)
    return _CACHE[(name, None)]


def _landscape(value: Any, seed: int | None = None) -> Landscape:
    if isinstance(value, Landscape):
        if seed is not None:
            raise ValueError("seed must be None when scenario is a Landscape")
        return value
    if not isinstance(value, str):
        raise TypeError(f"scenario must be a scenario name or a Landscape, not {type(value).__name__}")
    return scenario(value, seed)


# --------------------------------------------------------------------------------------------
# Playing: probes, a game, runs of a next_step rule
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Probe:
    r"""What one probe reveals.

    ``number`` counts probes from 1; ``depth`` is :math:`-f(x, y)`; ``jacobian`` is
    :math:`J = [f_x, f_y]` (shape ``(2,)``, pointing uphill) and ``hessian`` :math:`H`
    (shape ``(2, 2)``), both ``None`` in the depth-only scenario; ``status`` is
    ``"found"``, ``"stuck"`` or ``"searching"`` (see :meth:`Landscape.status`).

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    number: int
    x: float
    y: float
    depth: float
    jacobian: NDArray[np.float64] | None = field(compare=False)
    hessian: NDArray[np.float64] | None = field(compare=False)
    status: str

    @property
    def point(self) -> NDArray[np.float64]:
        """The probed point as an array ``[x, y]``."""
        return np.array([self.x, self.y])

    @property
    def height(self) -> float:
        """The height :math:`f(x, y) = -\\text{depth}`."""
        return -self.depth

    @property
    def downhill(self) -> NDArray[np.float64] | None:
        """The arrow the game draws, :math:`-J` (``None`` without arrows)."""
        return None if self.jacobian is None else -self.jacobian

    def __str__(self) -> str:
        text = f"Probe {self.number} at ({self.x:.3f}, {self.y:.3f}): depth {self.depth:.3f} m"
        if self.jacobian is not None:
            dx, dy = -self.jacobian
            text += f", downhill −J = ({dx:.3f}, {dy:.3f})"
        if self.status == "found":
            text += " — found the deepest point!"
        elif self.status == "stuck":
            text += " — stuck in a local minimum; the pit is deeper elsewhere"
        return text

    __repr__ = __str__


class Sandpit:
    """A game in Python: probe the hidden pit, count the probes, reveal it at the end.

    >>> game = Sandpit("bowl")          # doctest: +SKIP
    >>> game.probe(0.0, 0.0)            # doctest: +SKIP
    Probe 1 at (0.000, 0.000): depth ... m, downhill −J = (...)

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    def __init__(self, scenario: str | Landscape = "bowl", seed: int | None = None) -> None:
        self.landscape = _landscape(scenario, seed)
        self.probes: list[Probe] = []

    def __repr__(self) -> str:
        state = "found" if self.found else f"{len(self.probes)} probes so far"
        return f"Sandpit({self.landscape.title!r}: {state})"

    @property
    def found(self) -> bool:
        """Whether some probe has found the deepest point."""
        return any(p.status == "found" for p in self.probes)

    @property
    def n_probes(self) -> int:
        """How many probes have been made."""
        return len(self.probes)

    def probe(self, x: float, y: float) -> Probe:
        """Probe at :math:`(x, y)` (inside the pit) and return what it reveals.

        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        p = self.landscape.probe(x, y, number=len(self.probes) + 1)
        self.probes.append(p)
        return p

    def reset(self) -> None:
        """Forget every probe (the pit stays the same)."""
        self.probes.clear()

    def reveal(self, ax: Any = None) -> Any:
        """Draw the whole pit with every probe marked (see :func:`reveal`); returns the figure."""
        return reveal(self.landscape, probes=self.probes, ax=ax)


def play(scenario: str | Landscape = "bowl", seed: int | None = None) -> Sandpit:
    """Start a game of the Sandpit in Python: ``game = play("bowl"); game.probe(0.2, -0.5)``.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    return Sandpit(scenario, seed)


@dataclass(frozen=True)
class Walk:
    """The probes of one :func:`run`, in order, and how the run ended.

    ``reason`` is ``"found"`` (a probe found the deepest point), ``"max_probes"`` (out of
    probes) or ``"stalled"`` (the rule asked to stay where it was, e.g. a zero step or a step
    that the rim stopped). ``status`` is the status of the last probe.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    landscape: Landscape = field(repr=False)
    probes: tuple[Probe, ...] = field(repr=False)
    reason: str

    @property
    def points(self) -> NDArray[np.float64]:
        """The probed points, shape ``(n, 2)``."""
        return np.array([p.point for p in self.probes])

    @property
    def depths(self) -> NDArray[np.float64]:
        """The depths revealed, shape ``(n,)``."""
        return np.array([p.depth for p in self.probes])

    @property
    def n_probes(self) -> int:
        """How many probes the run used."""
        return len(self.probes)

    @property
    def found(self) -> bool:
        """Whether the run found the deepest point."""
        return self.reason == "found"

    @property
    def status(self) -> str:
        """The status of the last probe: ``"found"``, ``"stuck"`` or ``"searching"``."""
        return self.probes[-1].status

    def __str__(self) -> str:
        last = self.probes[-1]
        return (
            f"{self.n_probes} probes on {self.landscape.title!r}, ended {self.reason} "
            f"at ({last.x:.3f}, {last.y:.3f}), depth {last.depth:.3f} m ({last.status})"
        )


def run(
    next_step: Callable[[Probe], ArrayLike],
    scenario: str | Landscape = "bowl",
    start: ArrayLike = (-0.8, 0.8),
    max_probes: int = 50,
    *,
    seed: int | None = None,
) -> Walk:
    r"""Let a rule play the Sandpit: probe, ask ``next_step`` where to go, repeat.

    Starting at ``start``, each round probes the current point :math:`p_k` and stops if it
    has found the deepest point; otherwise it moves to :math:`p_{k+1} = p_k + s_k`, where
    :math:`s_k` = ``next_step(probe)`` is the step your rule returns (two numbers), clipped
    to the pit. Following the arrows with step size :math:`\gamma` is
    ``next_step = lambda probe: -gamma * probe.jacobian``; a rule that needs memory can be an
    object with a ``__call__`` method. The run ends when a probe finds the bottom, after
    ``max_probes`` probes, or when the next point equals the current one (``"stalled"``).

    Returns a :class:`Walk`.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    rule = require_callable(next_step, "next_step")
    land = _landscape(scenario, seed)
    p = _point(start, "start")
    limit = as_int(max_probes, "max_probes", minimum=1)
    lo, hi = BOUNDS
    probes: list[Probe] = []
    reason = "max_probes"
    for k in range(limit):
        pr = land.probe(float(p[0]), float(p[1]), number=k + 1)
        probes.append(pr)
        if pr.status == "found":
            reason = "found"
            break
        if k == limit - 1:
            break
        step = rule(pr)
        if step is None:
            raise TypeError(f"next_step must return a step (two numbers), but returned None at probe {k + 1}")
        s = as_finite_array(step, f"the step next_step returned at probe {k + 1}", shape=(2,))
        q = np.clip(p + s, lo, hi)
        if np.array_equal(q, p):
            reason = "stalled"
            break
        p = q
    return Walk(land, tuple(probes), reason)


# --------------------------------------------------------------------------------------------
# The reveal figure
# --------------------------------------------------------------------------------------------


def reveal(
    scenario: str | Landscape = "bowl",
    *,
    probes: Sequence[Probe] | Walk | None = None,
    ax: Any = None,
    resolution: int = 201,
    seed: int | None = None,
) -> Any:
    """Draw the whole pit: depth as colour (darker is deeper) with contours, the deepest point
    (a star), the other local minima (open circles) and the probes (dots joined in order,
    numbered where the numbers do not crowd each other). Returns the matplotlib figure.

    ``probes`` is a list of :class:`Probe`, a :class:`Walk`, or ``None``.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    import matplotlib.pyplot as plt

    from .plotting import COLORS

    land = _landscape(scenario, seed)
    n = as_int(resolution, "resolution", minimum=11)
    if isinstance(probes, Walk):
        plist: list[Probe] = list(probes.probes)
    elif probes is None:
        plist = []
    else:
        plist = list(probes)
        if not all(isinstance(p, Probe) for p in plist):
            raise TypeError("probes must be a Walk or a list of Probe objects")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, 4.4), layout="constrained")
    else:
        fig = ax.figure
    xs = np.linspace(*BOUNDS, n)
    X, Y = np.meshgrid(xs, xs)
    D = land.depth(X, Y)
    img = ax.imshow(
        D, origin="lower", extent=(*BOUNDS, *BOUNDS), cmap="viridis_r", interpolation="bilinear"
    )
    ax.contour(X, Y, D, levels=12, colors="white", linewidths=0.5, alpha=0.6)
    bar = fig.colorbar(img, ax=ax, shrink=0.9)
    bar.set_label("depth (m)")
    if len(land.local_minima):
        ax.plot(*land.local_minima.T, "o", mfc="none", mec=COLORS["sky"], mew=1.6, ms=9, label="local minimum")
    ax.plot(*land.minimum, "*", color=COLORS["orange"], mec=COLORS["ink"], ms=15, label="deepest point")
    if plist:
        pts = np.array([p.point for p in plist])
        ax.plot(*pts.T, "-", color=COLORS["vermillion"], lw=1.2, alpha=0.9)
        ax.plot(*pts.T, "o", color="white", mec=COLORS["vermillion"], mew=1.5, ms=5, label="probe")
        labelled: list[NDArray[np.float64]] = []
        for p in plist:  # number the probes, skipping any that would crowd an earlier label
            if all(np.hypot(*(p.point - q)) >= 0.08 for q in labelled):
                labelled.append(p.point)
                ax.annotate(
                    str(p.number), (p.x, p.y), xytext=(4, 4), textcoords="offset points",
                    fontsize=8, color="white",
                )
    ax.set_xlim(*BOUNDS)
    ax.set_ylim(*BOUNDS)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel("$x$ (m)")
    ax.set_ylabel("$y$ (m)")
    ax.set_title(land.title)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
    return fig


# --------------------------------------------------------------------------------------------
# Export for the browser game
# --------------------------------------------------------------------------------------------


def grid_nodes(n: int = BROWSER_GRID) -> NDArray[np.float64]:
    r"""The coordinates of the browser game's survey grid along one side: ``lo + (hi - lo) * i / (n - 1)``.

    The browser computes node coordinates with this same formula, so the two agree bit for bit.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    m = as_int(n, "n", minimum=3)
    lo, hi = BOUNDS
    return lo + (hi - lo) * np.arange(m) / (m - 1)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_INDEX = {c: i for i, c in enumerate(_B64)}

#: Quantisation step of the exported depths and Jacobians: the 3 decimals the game shows.
EXPORT_STEP: float = 1e-3


def _vlq(values: NDArray[np.int64]) -> str:
    """Base64 VLQ (as in source maps): sign in the lowest bit, 5 bits per character."""
    out: list[str] = []
    for v in values.tolist():
        z = (-v << 1) | 1 if v < 0 else v << 1
        while True:
            digit = z & 31
            z >>= 5
            out.append(_B64[digit | 32] if z else _B64[digit])
            if not z:
                break
    return "".join(out)


def _unvlq(text: str) -> NDArray[np.int64]:
    values: list[int] = []
    z = shift = 0
    for ch in text:
        digit = _B64_INDEX.get(ch)
        if digit is None:
            raise ValueError(f"data contains {ch!r}, which is not a base64 digit")
        z += (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            values.append(-(z >> 1) if z & 1 else z >> 1)
            z = shift = 0
    if shift:
        raise ValueError("data ends in the middle of a number")
    return np.array(values, dtype=np.int64)


def _predict(q: NDArray[np.int64]) -> NDArray[np.int64]:
    """The planar prediction left + below - below-left (zero outside the grid)."""
    p = np.pad(q, ((1, 0), (1, 0)))
    return p[1:, :-1] + p[:-1, 1:] - p[:-1, :-1]


def _encode(values: NDArray[np.float64], step: float = EXPORT_STEP) -> dict[str, Any]:
    """Quantise to integers ``q = round(value / step)``; send ``q`` minus its planar prediction as VLQ."""
    q = np.rint(values / step).astype(np.int64)
    return {"step": step, "vlq": _vlq((q - _predict(q)).ravel())}


def decode_grid(entry: dict[str, Any], n: int) -> NDArray[np.float64]:
    r"""Decode one exported grid to an ``(n, n)`` array (rows are :math:`y`, columns :math:`x`).

    The export stores integers :math:`q_{jk} = \operatorname{round}(v_{jk}/	ext{step})`, each
    sent as its difference from the prediction :math:`q_{j,k-1} + q_{j-1,k} - q_{j-1,k-1}`
    (zero outside the grid) in base64 VLQ, the variable-length code of source maps: smooth
    sand is predicted well, so most differences take one character. The decoded values are
    exact to half a step.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    if not isinstance(entry, dict) or not {"step", "vlq"} <= set(entry):
        raise ValueError("entry must be a dict with keys 'step' and 'vlq'")
    m = as_int(n, "n", minimum=3)
    step = as_positive_scalar(entry["step"], "step")
    if not isinstance(entry["vlq"], str):
        raise TypeError("entry['vlq'] must be a string")
    r = _unvlq(entry["vlq"])
    if r.size != m * m:
        raise ValueError(f"entry holds {r.size} values, expected n * n = {m * m}")
    r = r.reshape(m, m)
    q = np.zeros((m, m), dtype=np.int64)
    for j in range(m):  # undo the prediction row by row (each row needs the one below)
        below = q[j - 1] if j else np.zeros(m, dtype=np.int64)
        # q[j, k] = r[j, k] + q[j, k-1] + below[k] - below[k-1]  =>  cumulative sum along the row
        diff_below = below - np.concatenate(([0], below[:-1]))
        q[j] = np.cumsum(r[j] + diff_below)
    return q.astype(np.float64) * step


def _export_landscape(land: Landscape, n: int) -> dict[str, Any]:
    xs = grid_nodes(n)
    X, Y = np.meshgrid(xs, xs)
    out: dict[str, Any] = {
        "key": land.key if land.seed is None else f"random-{land.seed}",
        "scenario": land.key,
        "title": land.title,
        "description": land.description,
        "arrows": land.arrows,
        "radius": land.radius,
        "minimum": [float(v) for v in land.minimum],
        "minimum_depth": land.minimum_depth,
        "local_minima": [[float(a), float(b)] for a, b in land.local_minima],
        "depth": _encode(np.asarray(land.depth(X, Y))),
    }
    if land.arrows:
        J = land.jacobian(X, Y)
        out["jx"] = _encode(J[..., 0])
        out["jy"] = _encode(J[..., 1])
    return out


def browser_data(
    n: int = BROWSER_GRID,
    random_seeds: Sequence[int] = BROWSER_RANDOM_SEEDS,
) -> dict[str, Any]:
    r"""Everything the browser game needs, as a JSON-ready dict.

    For each scenario (and each random pit in ``random_seeds``): its title and description,
    whether arrows show, the found/stuck radius, the deepest point and the other local minima
    (full float64 precision, so the browser's status rule sees the same numbers as
    :meth:`Landscape.status`), and the depth and the two components of :math:`J` on an
    ``n`` × ``n`` grid (:func:`grid_nodes`), quantised to :data:`EXPORT_STEP` (the depth in
    millimetres) and compressed as :func:`decode_grid` describes.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    m = as_int(n, "n", minimum=3)
    seeds = [as_int(s, "random_seeds entry", minimum=0) for s in random_seeds]
    if not seeds:
        raise ValueError("random_seeds must not be empty (the random scenario needs a pit)")
    items: list[dict[str, Any]] = []
    for key in SCENARIOS:
        if key == "random":
            items.extend(_export_landscape(random_pit(s), m) for s in seeds)
        else:
            items.append(_export_landscape(scenario(key), m))
    return {
        "format": _FORMAT,
        "version": _FORMAT_VERSION,
        "bounds": list(BOUNDS),
        "n": m,
        "scenarios": list(SCENARIOS),
        "landscapes": items,
    }


def browser_json(data: dict[str, Any] | None = None) -> str:
    """:func:`browser_data` as compact JSON text, safe to put inside an HTML ``<script>`` element.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    payload = browser_data() if data is None else data
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise ValueError("data must be a dict made by browser_data()")
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return text.replace("</", "<\\/")


def game_html(data: dict[str, Any] | None = None, *, element_id: str = "sandpit-game") -> str:
    """The HTML the page embeds: an empty game container and its data as ``application/json``.

    The script (``sandpit.js``) fills the container; without it the container says how to
    play from Python instead.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    if not isinstance(element_id, str) or not element_id.replace("-", "").isalnum():
        raise ValueError("element_id must be letters, digits and hyphens")
    text = browser_json(data)
    return (
        f'<div class="sandpit" id="{element_id}" data-sandpit="{element_id}-data">'
        '<p class="sandpit-fallback">The Sandpit game runs here once its script has loaded. '
        "Without JavaScript, play it in Python: <code>mlcalc.sandpit.play(\"bowl\")</code>.</p>"
        "</div>\n"
        f'<script type="application/json" id="{element_id}-data">{text}</script>'
    )
