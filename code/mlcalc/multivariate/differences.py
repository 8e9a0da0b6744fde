"""First derivatives of functions of several variables by central differences: gradient, Jacobian, total derivative."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_finite_scalar, call_checked, require_callable
from ..derivatives import CHECK_ABOVE, EPS

__all__ = ["first_step", "gradient", "jacobian", "total_derivative"]


_FIRST_POWER = 1 / 3


_SECOND_POWER = 1 / 4


#: The most coordinates a point may have here: a numerical Jacobian costs 2n + 1 evaluations of
#: f (a Hessian 2n^2 + 1, so it allows :data:`MAX_HESSIAN_DIM`); more would run for hours, not fail.
MAX_DIM: int = 10_000
MAX_HESSIAN_DIM: int = 1_000


def _as_point(x: ArrayLike, limit: int = MAX_DIM) -> NDArray[np.float64]:
    """``x`` as a 1-D float vector, or an error that says what a point looks like here."""
    xa = np.array(as_finite_array(x, "x", ndim=1), dtype=np.float64)
    if xa.size > limit:
        raise ValueError(
            f"x has {xa.size:,} coordinates, more than the {limit:,} this numerical method is meant for "
            "(it evaluates f about 2n + 1 times, 2n^2 + 1 for a Hessian)"
        )
    return xa


def _default_step(xa: NDArray[np.float64], power: float) -> NDArray[np.float64]:
    return EPS**power * np.maximum(1.0, np.abs(xa))


def first_step(x: ArrayLike) -> NDArray[np.float64]:
    r"""The steps :math:`h_j = \varepsilon^{1/3}\max(1, |x_j|)` that :func:`jacobian` takes by default.

    The central-difference step of Part 1, one per coordinate: it balances the truncation
    error :math:`\tfrac{h^2}{6}|f'''|` against the rounding error :math:`\varepsilon|f|/h`.

    Introduced on :doc:`/book/part2-multivariate/07-reality-is-hard`.
    """
    return _default_step(_as_point(x), _FIRST_POWER)


def _steps(
    xa: NDArray[np.float64], h: ArrayLike | None, power: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The forward and backward steps actually taken, ``(x + h) - x`` and ``x - (x - h)``."""
    if h is None:
        ha = _default_step(xa, power)
    else:
        ha = as_finite_array(h, "h")
        if ha.ndim > 1 or (ha.ndim == 1 and ha.shape != xa.shape):
            raise ValueError(
                f"h must be one number or one step per coordinate (shape {xa.shape}), got shape {ha.shape}"
            )
        if np.any(ha <= 0):
            raise ValueError("h must be positive")
        ha = np.broadcast_to(ha, xa.shape)
    up = (xa + ha) - xa
    down = xa - (xa - ha)
    tiny = (up == 0) | (down == 0)
    if np.any(tiny):
        j = int(np.flatnonzero(tiny)[0])
        raise ValueError(
            f"h is too small for x: x[{j}] + h == x[{j}] (x[{j}] = {xa[j]:.6g}); use a larger h"
        )
    return up, down


def _shifted(xa: NDArray[np.float64], *moves: tuple[int, float]) -> NDArray[np.float64]:
    out = xa.copy()
    for j, step in moves:
        out[j] += step
    return out


def _scalar_value(f: Callable[..., Any], x: NDArray[np.float64], who: str) -> float:
    """``f(x)`` as a float; ``f`` must return one number (``who`` names the caller)."""
    value = call_checked(f, x.copy(), "f")  # a copy: f may not change our point
    if value.ndim != 0:
        raise ValueError(
            f"{who} needs f to return a single number (a scalar), but f(x) at x = "
            f"{np.array2string(x, precision=6, separator=', ', threshold=8)} returned shape {value.shape}; "
            "for a vector-valued f use jacobian(f, x)"
        )
    return float(value)


def jacobian(f: Callable[..., Any], x: ArrayLike, h: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""The Jacobian matrix of :math:`f:\R^n\to\R^m` at :math:`\vec x`, by central differences.

    .. math:: J_{ij} = \frac{\partial f_i}{\partial x_j}(\vec x) \approx
       \frac{f_i(\vec x + h_j\vec e_j) - f_i(\vec x - h_j\vec e_j)}{2h_j}

    Parameters
    ----------
    f
        A function of one vector of shape ``(n,)`` returning a number (then :math:`m = 1`) or
        a vector of shape ``(m,)``.
    x
        The point, shape ``(n,)``.
    h
        The step: one positive number or one per coordinate. ``None`` takes :func:`first_step`,
        :math:`h_j = \varepsilon^{1/3}\max(1, |x_j|)`; where :math:`|x_j| > 32` that step
        assumes ``f`` changes on the scale of :math:`|x_j|`, so it is checked (the column at
        half the step measures the truncation error) and shrunk, never below
        :math:`\varepsilon^{1/3}`, when ``f`` changes faster. Each step is rounded so that
        :math:`x_j \pm h_j` is exactly representable, and the quotient divides by the step taken.
        A step so small that ``f`` does not change over it, while the default step sees a
        slope, raises ``ValueError``; so does a result that overflows.

    Returns
    -------
    The ``(m, n)`` matrix: row :math:`i` holds the partial derivatives of output :math:`i`, column
    :math:`j` the rates of change with respect to input :math:`j`. A scalar ``f`` gives a ``(1, n)`` row.
    It costs :math:`2n + 1` evaluations of ``f`` (one at :math:`\vec x` checks the output shape),
    plus two for each coordinate with :math:`|x_j| > 32` (more if its step shrinks).

    Introduced on :doc:`/book/part2-multivariate/03-jacobian-scalar`.
    """
    require_callable(f, "f")
    xa = _as_point(x)
    up, down = _steps(xa, h, _FIRST_POWER)
    return _jacobian(f, xa, up, down, call_checked(f, xa.copy(), "f"), adapt=h is None)


def _jacobian(
    f: Callable[..., Any],
    xa: NDArray[np.float64],
    up: NDArray[np.float64],
    down: NDArray[np.float64],
    f0: NDArray[np.float64],
    *,
    adapt: bool = False,
    name: str = "f",
    arg: str = "x",
) -> NDArray[np.float64]:
    """Central differences column by column. With ``adapt`` (the default steps), the step of a
    coordinate with :math:`|x_j| > 32` is checked and shrunk as in :func:`mlcalc.derivatives.derivative`;
    with a step the caller chose, a column that is 0 only because ``f`` did not change over a
    tiny step raises."""
    if f0.ndim > 1:
        raise ValueError(
            f"{name} must return a number or a 1-D vector ({name} maps R^n to R^m), "
            f"but {name}({arg}) returned shape {f0.shape}"
        )
    J = np.empty((f0.size, xa.size))
    for j in range(xa.size):
        col, size, same = _column(f, xa, j, up[j], down[j], f0.shape, name, arg)
        if adapt and abs(xa[j]) > CHECK_ABOVE:
            col = _refine_column(f, xa, j, up[j] + down[j], col, size, f0.shape, name, arg)
        elif not adapt and same and size > 0:
            _check_not_flat(f, xa, j, up[j] + down[j], f0.shape, name, arg)
        J[:, j] = col
    return J


def _column(
    f: Callable[..., Any], xa: NDArray[np.float64], j: int, up: float, down: float,
    shape: tuple[int, ...], name: str, arg: str,
) -> tuple[NDArray[np.float64], float, bool]:
    """Column ``j`` of the Jacobian at steps ``up``/``down``, the size of ``f`` there, and whether
    ``f`` took the same value at both points."""
    plus = call_checked(f, _shifted(xa, (j, up)), name, shape=shape, arg=arg)
    minus = call_checked(f, _shifted(xa, (j, -down)), name, shape=shape, arg=arg)
    with np.errstate(over="ignore", invalid="ignore"):
        col = np.reshape(plus - minus, -1) / (up + down)
    if not np.all(np.isfinite(col)):
        raise ValueError(
            f"a partial derivative overflowed: {name} changes by more than the largest float over the "
            f"step in {arg}[{j}] (at {arg}[{j}] = {xa[j]:.6g})"
        )
    size = float(max(np.max(np.abs(plus)), np.max(np.abs(minus))))
    return col, size, bool(np.all(plus == minus))


def _refine_column(
    f: Callable[..., Any], xa: NDArray[np.float64], j: int, run: float, col: NDArray[np.float64],
    size: float, shape: tuple[int, ...], name: str, arg: str,
) -> NDArray[np.float64]:
    """Shrink the step of coordinate ``j`` while the truncation error says it is too large for f."""
    floor = EPS**_FIRST_POWER
    h = run / 2
    for _ in range(8):
        if h <= floor:
            break
        up, down = _rounded(xa[j], h / 2)
        half, size2, _ = _column(f, xa, j, up, down, shape, name, arg)
        change = float(np.max(np.abs(col - half)))
        if change == 0:
            break
        third = 8 * change / h**2  # D(h) - D(h/2) = h^2 f'''/8
        best = float(np.cbrt(3 * EPS * max(size, size2) / third))
        if not best < h / 4:
            break
        h = max(best, floor)
        up, down = _rounded(xa[j], h)
        col, size, _ = _column(f, xa, j, up, down, shape, name, arg)
    return col


def _rounded(xj: float, h: float) -> tuple[float, float]:
    return (xj + h) - xj, xj - (xj - h)


def _check_not_flat(
    f: Callable[..., Any], xa: NDArray[np.float64], j: int, run: float,
    shape: tuple[int, ...], name: str, arg: str,
) -> None:
    """``f`` took the same value on both sides of a step chosen by the caller: if the default
    step sees a slope there, the zero column is wrong, so raise."""
    h = float(_default_step(xa[j : j + 1], _FIRST_POWER)[0])
    up, down = _rounded(xa[j], h)
    if up + down <= run:
        return
    ref, size, _ = _column(f, xa, j, up, down, shape, name, arg)
    if np.max(np.abs(ref)) > 4 * EPS * size / (up + down):
        raise ValueError(
            f"h is too small for {name} at {arg} = {_fmt(xa)}: {name} does not change over the step in "
            f"{arg}[{j}] in floating point, so that column is 0, but the default step sees a slope of "
            f"about {float(np.max(np.abs(ref))):.6g}; use a larger h"
        )


def gradient(f: Callable[..., Any], x: ArrayLike, h: ArrayLike | None = None) -> NDArray[np.float64]:
    r"""The gradient :math:`\nabla f(\vec x)` of a scalar function, by central differences.

    The vector of partial derivatives :math:`\bigl(\partial f/\partial x_1, \dots,
    \partial f/\partial x_n\bigr)`, shape ``(n,)``: the entries of the one-row Jacobian of
    :func:`jacobian`, with the same steps. ``f`` must return a single number; for a
    vector-valued ``f`` use :func:`jacobian`.

    Introduced on :doc:`/book/part2-multivariate/01-partial-derivatives`.
    """
    require_callable(f, "f")
    xa = _as_point(x)
    up, down = _steps(xa, h, _FIRST_POWER)
    f0 = _scalar_value(f, xa, "gradient")
    return _jacobian(f, xa, up, down, np.asarray(f0), adapt=h is None)[0]


def total_derivative(f: Callable[..., Any], path: Callable[..., Any], t: float) -> float:
    r"""The total derivative :math:`\frac{d}{dt} f\bigl(\vec x(t)\bigr)` by the chain of partials.

    .. math:: \frac{df}{dt} = \sum_{j=1}^n \frac{\partial f}{\partial x_j}\,\frac{dx_j}{dt}
       = \nabla f\bigl(\vec x(t)\bigr)\cdot\vec x\,'(t)

    ``f`` is a scalar function of a vector of shape ``(n,)``; ``path`` maps a number ``t`` to a
    point of shape ``(n,)``. The gradient comes from :func:`gradient` and the velocity
    :math:`\vec x\,'(t)` from a central difference in :math:`t` (step :math:`\varepsilon^{1/3}\max(1,|t|)`,
    checked and shrunk where :math:`|t| > 32`, as in :func:`jacobian`).

    Introduced on :doc:`/book/part2-multivariate/02-total-derivative`.
    """
    require_callable(f, "f")
    require_callable(path, "path")
    t0 = as_finite_scalar(t, "t")
    x0 = call_checked(path, t0, "path", arg="t")
    if x0.ndim != 1:
        raise ValueError(f"path(t) must return a point, a vector of shape (n,); it returned shape {x0.shape}")
    ta = np.array([t0])
    up, down = _steps(ta, None, _FIRST_POWER)
    velocity = _jacobian(
        lambda s: path(float(s[0])), ta, up, down, x0, adapt=True, name="path", arg="t"
    )[:, 0]
    with np.errstate(over="ignore", invalid="ignore"):
        out = float(gradient(f, x0) @ velocity)
    if not np.isfinite(out):
        raise ValueError("the total derivative overflowed: the gradient times the velocity exceeds the largest float")
    return out


def _fmt(point: Any) -> str:
    return "(" + ", ".join(f"{v:.4g}" for v in np.asarray(point, dtype=float)) + ")"
