"""The Hessian of a scalar function of several variables by second differences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import call_checked, require_callable
from ..derivatives import CHECK_ABOVE, EPS
from .differences import MAX_HESSIAN_DIM, _SECOND_POWER, _as_point, _default_step, _fmt, _rounded, _scalar_value, _shifted, _steps

__all__ = ["hessian"]


def hessian(f: Callable[..., Any], x: ArrayLike, h: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""The Hessian matrix :math:`H_{ij} = \partial^2 f/\partial x_i\partial x_j` of a scalar function.

    With forward and backward steps :math:`a_j, b_j` (both :math:`\approx h_j`; they differ only
    by the rounding that makes :math:`x_j + a_j` and :math:`x_j - b_j` exact), the diagonal is the
    central second difference and the off-diagonal entries the four-point mixed difference:

    .. math::
       H_{jj} &\approx \frac{2}{a_j + b_j}\left(\frac{f(\vec x + a_j\vec e_j) - f(\vec x)}{a_j}
                 - \frac{f(\vec x) - f(\vec x - b_j\vec e_j)}{b_j}\right),\\
       H_{ij} &\approx \frac{f_{++} - f_{+-} - f_{-+} + f_{--}}{(a_i + b_i)(a_j + b_j)},
       \quad f_{\pm\pm} = f(\vec x \pm \vec e_i \pm \vec e_j)\ \text{(steps } a \text{ or } b).

    Each pair :math:`i<j` is computed once and mirrored, so the result is exactly symmetric.
    ``h`` is one positive step or one per coordinate; ``None`` takes
    :math:`h_j = \varepsilon^{1/4}\max(1, |x_j|)`, and where :math:`|x_j| > 32` checks it (the
    diagonal entry at half the step measures the truncation error) and shrinks it, never below
    :math:`\varepsilon^{1/4}`, when ``f`` changes faster than on the scale of :math:`|x_j|`. Costs
    :math:`2n^2 + 1` evaluations, plus two or more for each coordinate with :math:`|x_j| > 32`.
    A step so small that ``f`` does not change over it (while the default step sees curvature),
    or whose square underflows, raises ``ValueError``; so does a result that overflows.

    Introduced on :doc:`/book/part2-multivariate/06-hessian`.
    """
    require_callable(f, "f")
    xa = _as_point(x, MAX_HESSIAN_DIM)
    up, down = _steps(xa, h, _SECOND_POWER)
    n = xa.size
    with np.errstate(under="ignore"):
        area = (up + down)[:, None] * (up + down)[None, :]
    if np.any(area == 0):
        raise ValueError("h is too small for a second difference: h squared underflows to 0 (use h >= 1e-150)")
    f0 = _scalar_value(f, xa, "hessian")

    seen: dict[tuple[tuple[int, float], ...], float] = {}

    def value(*moves: tuple[int, float]) -> float:
        if moves not in seen:
            seen[moves] = float(call_checked(f, _shifted(xa, *moves), "f", shape=()))
        return seen[moves]

    if h is None:  # check the default step of every coordinate with |x_j| > 32
        for j in np.flatnonzero(np.abs(xa) > CHECK_ABOVE):
            up[j], down[j] = _refine_second(value, xa, int(j), f0, up[j], down[j])

    H = np.empty((n, n))
    for j in range(n):
        fp, fm = value((j, up[j])), value((j, -down[j]))
        H[j, j] = 2.0 * ((fp - f0) / up[j] - (f0 - fm) / down[j]) / (up[j] + down[j])
        for i in range(j):
            mixed = (
                value((i, up[i]), (j, up[j]))
                - value((i, up[i]), (j, -down[j]))
                - value((i, -down[i]), (j, up[j]))
                + value((i, -down[i]), (j, -down[j]))
            )
            H[i, j] = H[j, i] = mixed / ((up[i] + down[i]) * (up[j] + down[j]))
        if h is not None and fp == f0 == fm and f0 != 0:
            _check_not_flat_second(f, xa, j, f0)
    if not np.all(np.isfinite(H)):
        raise ValueError(
            "a second derivative overflowed: f changes by more than the largest float over the steps "
            f"(at x = {_fmt(xa)}); the Hessian there is too large to represent"
        )
    return H


def _refine_second(
    value: Callable[..., float], xa: NDArray[np.float64], j: int, f0: float, up: float, down: float
) -> tuple[float, float]:
    r"""Shrink the step of coordinate ``j`` while the truncation error of :math:`H_{jj}` says so.

    The second difference has truncation :math:`h^2|f^{(4)}|/12` and rounding :math:`4\varepsilon|f|/h^2`;
    comparing it at :math:`h` and :math:`h/2` measures :math:`f^{(4)}`, and the balance of the two
    errors gives the step :math:`(48\varepsilon|f|/|f^{(4)}|)^{1/4}`, never below :math:`\varepsilon^{1/4}`.
    """
    floor = EPS**_SECOND_POWER

    def second(a: float, b: float) -> tuple[float, float]:
        fp, fm = value((j, a)), value((j, -b))
        return 2.0 * ((fp - f0) / a - (f0 - fm) / b) / (a + b), max(abs(fp), abs(fm), abs(f0))

    d, size = second(up, down)
    h = (up + down) / 2
    for _ in range(8):
        if h <= floor:
            break
        a, b = _rounded(xa[j], h / 2)
        half, size2 = second(a, b)
        change = abs(d - half)
        if change == 0 or not np.isfinite(change):
            break
        fourth = 16 * change / h**2  # D(h) - D(h/2) = h^2 f^(4)/16
        best = float((48 * EPS * max(size, size2) / fourth) ** 0.25)
        if not best < h / 4:
            break
        h = max(best, floor)
        up, down = _rounded(xa[j], h)
        d, size = second(up, down)
    return up, down


def _check_not_flat_second(f: Callable[..., Any], xa: NDArray[np.float64], j: int, f0: float) -> None:
    """``f`` took one value at x and both sides of a caller's step in x[j]: if the default step
    sees curvature there, the zero on the diagonal is wrong, so raise."""
    h = float(_default_step(xa[j : j + 1], _SECOND_POWER)[0])
    up, down = _rounded(xa[j], h)
    fp = float(call_checked(f, _shifted(xa, (j, up)), "f", shape=()))
    fm = float(call_checked(f, _shifted(xa, (j, -down)), "f", shape=()))
    ref = 2.0 * ((fp - f0) / up - (f0 - fm) / down) / (up + down)
    if abs(ref) > 16 * EPS * max(abs(fp), abs(fm), abs(f0)) / (up * down):
        raise ValueError(
            f"h is too small for f at x = {_fmt(xa)}: f does not change over the step in x[{j}] in "
            f"floating point, so H[{j}, {j}] comes out 0, but the default step sees a curvature of about "
            f"{ref:.6g}; use a larger h"
        )
