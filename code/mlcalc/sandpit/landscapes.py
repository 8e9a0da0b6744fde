r"""The Sandpit's landscapes: the hidden sand, what a probe reveals, and the scenarios.

The pit is the square :math:`[-1, 1]^2` (metres from its centre, :math:`x` to the right,
:math:`y` up). The sand's surface is the graph of a smooth function :math:`f(x, y)`, its
height relative to the pit's rim, so that the **depth** at a point is :math:`-f(x, y)` and the
deepest point is where :math:`f` is smallest. A probe at :math:`(x, y)` reveals the depth and
(except in the depth-only scenario) the row :math:`J_f = [\partial f/\partial x,\ \partial f/\partial y]`;
its transpose, the gradient :math:`\nabla f = J_f^{\mathsf T}`, points uphill, and the arrow the
game draws is :math:`-\nabla f`, downhill.

The scenarios themselves are made in :mod:`mlcalc.sandpit.scenarios`. The rules, defined here once (the browser game applies them to exported data):

* **found**: the probe lies within :data:`FOUND_RADIUS` of the deepest point;
* **stuck**: not found, within :data:`FOUND_RADIUS` of another local minimum :math:`\mathbf m` (a
  trap), *and* the arrow is short for that hollow, :math:`\lVert\nabla f\rVert \le s_{\mathbf m}`
  with :math:`s_{\mathbf m} = \lVert\nabla f(\mathbf m)\rVert + \lambda_{\max}(H(\mathbf m))\,r`,
  the slope of the trap's quadratic model at the ring's edge (:attr:`Landscape.stuck_slopes`).
  Inside a trap's ring that holds almost everywhere; it fails on a neighbouring rock's steeper side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import (
    as_finite_array,
    as_finite_scalar,
    as_int,
    as_positive_scalar,
    broadcast_pair,
)
from ._minima import find_minima
from ._terms import _Term

__all__ = [
    "BOUNDS",
    "FOUND_RADIUS",
    "SCENARIOS",
    "STATUSES",
    "Landscape",
    "Probe",
]

#: The pit is the square ``[BOUNDS[0], BOUNDS[1]]`` in both :math:`x` and :math:`y` (metres).
BOUNDS: tuple[float, float] = (-1.0, 1.0)

#: A probe within this distance (metres) of the deepest point has found it. On a phone-width
#: page (a pit about 350 px across) the found disc is about 28 px wide: a fingertip's target.
FOUND_RADIUS: float = 0.08

#: The scenarios, in the order the game offers them.
SCENARIOS: tuple[str, ...] = ("bowl", "depth-only", "random", "several-minima", "rocks", "narrow-well")

#: Status of a probe: at the bottom, stuck at a local minimum that is not the bottom, or neither.
STATUSES: tuple[str, ...] = ("found", "stuck", "searching")

_SEARCH_GRID = 401  # nodes per side of the grid that locates the minima (spacing 0.005 m)


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


#: The formulas are defined a little beyond the pit (for differences taken at its rim), up to here.
_REACH = 2.0


def _xy(x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xa = as_finite_array(x, "x")
    ya = as_finite_array(y, "y")
    for arr, name in ((xa, "x"), (ya, "y")):
        far = np.abs(arr) > _REACH
        if np.any(far):
            raise ValueError(
                f"{name} = {arr[far].flat[0]:.6g} is far outside the pit; the sand is defined for "
                f"{name} in [{-_REACH:g}, {_REACH:g}] (the pit itself is [{BOUNDS[0]:g}, {BOUNDS[1]:g}])"
            )
    return broadcast_pair(xa, "x", ya, "y")


def _require_in_pit(xa: NDArray[np.float64], ya: NDArray[np.float64], names: tuple[str, str] = ("x", "y")) -> None:
    lo, hi = BOUNDS
    for arr, name in zip((xa, ya), names):
        bad = (arr < lo) | (arr > hi)
        if np.any(bad):
            raise ValueError(
                f"{name} = {arr[bad].flat[0]:.6g} is outside the pit; it must lie in [{lo:g}, {hi:g}]"
            )


def _point(value: Any, name: str) -> NDArray[np.float64]:
    p = as_finite_array(value, name, shape=(2,))
    _require_in_pit(p[:1], p[1:], (f"{name}[0]", f"{name}[1]"))
    return p


# --------------------------------------------------------------------------------------------
# What a probe reveals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Probe:
    r"""What one probe reveals.

    ``number`` counts probes from 1; ``depth`` is :math:`-f(x, y)`; ``jacobian`` is the row
    :math:`J_f = [f_x, f_y]` (shape ``(2,)``), ``gradient`` the same numbers as the column
    :math:`\nabla f = J_f^{\mathsf T}` (it points uphill), ``hessian`` :math:`H` (shape
    ``(2, 2)``); all three are ``None`` in the depth-only scenario. ``status`` is ``"found"``,
    ``"stuck"`` or ``"searching"`` (see :meth:`Landscape.status`).

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
    def gradient(self) -> NDArray[np.float64] | None:
        r"""The gradient :math:`\nabla f = J_f^{\mathsf T}`, pointing uphill (``None`` without arrows)."""
        return None if self.jacobian is None else self.jacobian.copy()

    @property
    def downhill(self) -> NDArray[np.float64] | None:
        r"""The arrow the game draws, :math:`-\nabla f` (``None`` without arrows)."""
        return None if self.jacobian is None else -self.jacobian

    @property
    def slope(self) -> float | None:
        r"""The steepness :math:`\lVert\nabla f\rVert`, the arrow's length (``None`` without arrows)."""
        return None if self.jacobian is None else float(np.hypot(*self.jacobian))

    def __str__(self) -> str:
        text = f"Probe {self.number} at ({self.x:.3f}, {self.y:.3f}): depth {self.depth:.3f} m"
        if self.jacobian is not None:
            dx, dy = -self.jacobian
            text += f", downhill −∇f = ({dx:.3f}, {dy:.3f})"
        if self.status == "found":
            text += " — found the deepest point!"
        elif self.status == "stuck":
            text += " — stuck at a local minimum; the pit is deeper elsewhere"
        return text

    __repr__ = __str__


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
    ever finer local grids and then by Newton steps :math:`p \leftarrow p - H^{-1}\nabla f`.
    The tests check the result against an independent denser grid.

    Attributes
    ----------
    key, title, description
        The scenario's name (one of :data:`SCENARIOS`), a title and a one-line description.
    arrows
        Whether a probe reveals the downhill arrow :math:`-\nabla f` (false for ``"depth-only"``).
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
    stuck_slopes
        Per local minimum :math:`\mathbf m`, the largest slope at which a probe within r of it is
        stuck: :math:`s_{\mathbf m} = \lVert\nabla f(\mathbf m)\rVert + \lambda_{\max}(H(\mathbf m))\,r`.

    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """

    bounds: tuple[float, float] = BOUNDS

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
        minima = find_minima(self, xs, self._scale * (raw - top))
        heights = np.asarray(self.height(minima[:, 0], minima[:, 1]))
        order = np.argsort(heights, kind="stable")
        minima, heights = minima[order], heights[order]
        self.minimum: NDArray[np.float64] = minima[0]
        self.minimum_depth: float = float(-heights[0])
        self.local_minima: NDArray[np.float64] = minima[1:]
        self.local_depths: NDArray[np.float64] = -heights[1:]
        self.stuck_slopes: NDArray[np.float64] = self._stuck_slopes()

    def _stuck_slopes(self) -> NDArray[np.float64]:
        r"""Per trap :math:`\mathbf m`: :math:`s_{\mathbf m} = \lVert\nabla f(\mathbf m)\rVert +
        \lambda_{\max}(H(\mathbf m))\,r`, the slope of the trap's quadratic model at distance r."""
        m = self.local_minima
        if len(m) == 0:
            return np.zeros(0)
        J = self.jacobian(m[:, 0], m[:, 1])
        lam = np.linalg.eigvalsh(self.hessian(m[:, 0], m[:, 1]))[:, -1]
        return np.hypot(J[:, 0], J[:, 1]) + np.maximum(lam, 0.0) * self.radius

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

        ``x`` and ``y`` broadcast. Points a little outside the pit are allowed here (the formula
        goes on, up to 2 m from the centre), so that differences can be taken at the rim.
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
        r"""The row :math:`J_f = [\partial f/\partial x,\ \partial f/\partial y]`, exactly.

        Returns an array of shape ``(..., 2)`` (the broadcast shape of ``x`` and ``y`` plus one
        axis). Its transpose :math:`\nabla f` points uphill and :math:`-\nabla f` downhill.
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
        *stuck*: not found, within :attr:`radius` of one of :attr:`local_minima`, :math:`\mathbf m`,
        and the slope there no larger than that trap's :attr:`stuck_slopes` entry,
        :math:`\lVert\nabla f\rVert \le s_{\mathbf m} = \lVert\nabla f(\mathbf m)\rVert + \lambda_{\max}(H(\mathbf m))\,r`;
        *searching*: neither. The browser game applies exactly these rules to the exported
        minima and slopes. Points must lie in the pit.
        Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
        """
        xa, ya = _xy(x, y)
        _require_in_pit(xa, ya)
        r2 = self.radius**2
        found = (xa - self.minimum[0]) ** 2 + (ya - self.minimum[1]) ** 2 <= r2
        near = np.zeros(xa.shape, dtype=bool)
        if len(self.local_minima):
            J = self.jacobian(xa, ya)
            slope2 = J[..., 0] ** 2 + J[..., 1] ** 2
            for (mx, my), s in zip(self.local_minima, self.stuck_slopes):
                near |= ((xa - mx) ** 2 + (ya - my) ** 2 <= r2) & (slope2 <= s**2)
        out = np.where(found, "found", np.where(near, "stuck", "searching"))
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
        return self._probe(px, py, n)

    def _probe(self, px: float, py: float, n: int) -> Probe:
        """:meth:`probe` without the input checks (for :func:`~mlcalc.sandpit.game.run`'s loop)."""
        gx = gy = hxx = hxy = hyy = value = 0.0
        for term in self._terms:
            v, tx, ty, a, b, d = term.at(px, py)
            value, gx, gy, hxx, hxy, hyy = value + v, gx + tx, gy + ty, hxx + a, hxy + b, hyy + d
        k = self._scale
        jac = np.array([float(gx), float(gy)]) * k
        slope2 = float(jac @ jac)
        status = "searching"
        if (px - self.minimum[0]) ** 2 + (py - self.minimum[1]) ** 2 <= self.radius**2:
            status = "found"
        elif len(self.local_minima):
            d2 = (self.local_minima[:, 0] - px) ** 2 + (self.local_minima[:, 1] - py) ** 2
            if np.any((d2 <= self.radius**2) & (slope2 <= self.stuck_slopes**2)):
                status = "stuck"
        show = self.arrows
        return Probe(
            number=n,
            x=px,
            y=py,
            depth=float(-k * (value - self._offset)),
            jacobian=jac if show else None,
            hessian=k * np.array([[float(hxx), float(hxy)], [float(hxy), float(hyy)]]) if show else None,
            status=status,
        )
