r"""Part 2 — gradients, Jacobians and Hessians of functions of several variables, numerically.

A function :math:`f:\R^n\to\R^m` has, at a point :math:`\vec x`, an :math:`m\times n` matrix of
partial derivatives, the Jacobian :math:`J_{ij} = \partial f_i/\partial x_j`. This module finds
it by central differences, one coordinate at a time:

.. math:: \frac{\partial f}{\partial x_j}(\vec x) \approx
   \frac{f(\vec x + h_j\vec e_j) - f(\vec x - h_j\vec e_j)}{2h_j},
   \qquad h_j = \varepsilon^{1/3}\max(1, |x_j|),

and the Hessian :math:`H_{ij} = \partial^2 f/\partial x_i\partial x_j` of a scalar function by
central second differences with :math:`h_j = \varepsilon^{1/4}\max(1, |x_j|)` (a second
difference divides by :math:`h^2`, so rounding error :math:`\varepsilon|f|/h^2` balances truncation
:math:`h^2|f''''|` at :math:`h\sim\varepsilon^{1/4}`). The steps balance
truncation against rounding exactly as on :doc:`/book/part1-derivatives/02-derivative-as-limit`;
each is rounded so that :math:`x_j \pm h_j` is a float, and the quotient divides by the step
actually taken. On smooth functions of moderate scale the error is about :math:`10^{-10}`–:math:`10^{-8}`
of the largest entry for gradients and Jacobians and about :math:`10^{-8}`–:math:`10^{-6}` for Hessians.

Every function takes ``f`` as a function of one vector ``x`` of shape ``(n,)``, as in the
book: ``f = lambda x: x[0]**2 * x[1]``. The check functions :func:`check_jacobian` and
:func:`check_hessian` compare a Jacobian or Hessian you derived by hand with the numerical one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import (
    as_finite_array,
    as_finite_scalar,
    as_int,
    as_positive_scalar,
    as_seed,
    broadcast_pair,
    call_checked,
    require_callable,
)
from .derivatives import EPS, MAX_POINTS

__all__ = [
    "first_step",
    "gradient",
    "jacobian",
    "hessian",
    "total_derivative",
    "polar_to_cartesian",
    "classify_stationary_point",
    "noise_error_model",
    "noise_optimal_step",
    "MatrixCheck",
    "check_jacobian",
    "check_hessian",
]

#: The most coordinates a check draws points in (each costs evaluations of f).
MAX_DIM = 10_000

_FIRST_POWER = 1 / 3
_SECOND_POWER = 1 / 4


# --------------------------------------------------------------------------- steps


def _as_point(x: ArrayLike) -> NDArray[np.float64]:
    """``x`` as a 1-D float vector, or an error that says what a point looks like here."""
    return np.array(as_finite_array(x, "x", ndim=1), dtype=np.float64)


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


# --------------------------------------------------------------------------- derivatives


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
        :math:`h_j = \varepsilon^{1/3}\max(1, |x_j|)`; where :math:`|x_j| > 1` that step
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
    plus two for each coordinate with :math:`|x_j| > 1` (more if its step shrinks).

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
    coordinate with :math:`|x_j| > 1` is checked and shrunk as in :func:`mlcalc.derivatives.derivative`;
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
        if adapt and abs(xa[j]) > 1.0:
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
    :math:`h_j = \varepsilon^{1/4}\max(1, |x_j|)`, and where :math:`|x_j| > 1` checks it (the
    diagonal entry at half the step measures the truncation error) and shrinks it, never below
    :math:`\varepsilon^{1/4}`, when ``f`` changes faster than on the scale of :math:`|x_j|`. Costs
    :math:`2n^2 + 1` evaluations, plus two or more for each coordinate with :math:`|x_j| > 1`.
    A step so small that ``f`` does not change over it (while the default step sees curvature),
    or whose square underflows, raises ``ValueError``; so does a result that overflows.

    Introduced on :doc:`/book/part2-multivariate/06-hessian`.
    """
    require_callable(f, "f")
    xa = _as_point(x)
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

    if h is None:  # check the default step of every coordinate with |x_j| > 1
        for j in np.flatnonzero(np.abs(xa) > 1.0):
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


def total_derivative(f: Callable[..., Any], path: Callable[..., Any], t: float) -> float:
    r"""The total derivative :math:`\frac{d}{dt} f\bigl(\vec x(t)\bigr)` by the chain of partials.

    .. math:: \frac{df}{dt} = \sum_{j=1}^n \frac{\partial f}{\partial x_j}\,\frac{dx_j}{dt}
       = \nabla f\bigl(\vec x(t)\bigr)\cdot\vec x\,'(t)

    ``f`` is a scalar function of a vector of shape ``(n,)``; ``path`` maps a number ``t`` to a
    point of shape ``(n,)``. The gradient comes from :func:`gradient` and the velocity
    :math:`\vec x\,'(t)` from a central difference in :math:`t` (step :math:`\varepsilon^{1/3}\max(1,|t|)`,
    checked and shrunk where :math:`|t| > 1`, as in :func:`jacobian`).

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


# --------------------------------------------------------------------------- examples and helpers


def polar_to_cartesian(r: ArrayLike, theta: ArrayLike) -> NDArray[np.float64]:
    r"""Map polar coordinates to Cartesian ones: :math:`(x, y) = (r\cos\theta,\ r\sin\theta)`.

    ``r`` and ``theta`` (radians) broadcast; the result has shape ``(2, *broadcast_shape)``, so
    ``x, y = polar_to_cartesian(r, theta)`` unpacks it and, for a point ``q = (r, theta)``,
    ``jacobian(lambda q: polar_to_cartesian(*q), q)`` is the ``(2, 2)`` Jacobian
    :math:`\begin{pmatrix}\cos\theta & -r\sin\theta\\ \sin\theta & r\cos\theta\end{pmatrix}`,
    whose determinant is :math:`r`. Any real ``r`` is accepted (a negative radius points the
    other way).

    Introduced on :doc:`/book/part2-multivariate/04-jacobian-vector`.
    """
    ra = as_finite_array(r, "r")
    ta = as_finite_array(theta, "theta")
    ra, ta = broadcast_pair(ra, "r", ta, "theta")
    return np.stack([ra * np.cos(ta), ra * np.sin(ta)])


def classify_stationary_point(H: ArrayLike, *, tol: float = 1e-8, atol: float = 1e-6) -> str:
    r"""Name a stationary point from its Hessian: ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"unknown"``.

    At a point where the gradient vanishes, the symmetric Hessian's eigenvalues are the
    curvatures along its principal directions. An eigenvalue counts as zero when
    :math:`|\lambda| \le \max(\text{tol}\cdot\max_k|\lambda_k|,\ \text{atol})`: the relative part
    allows for rounding, the absolute part for the error of a numerical Hessian, which is
    about :math:`10^{-8}`–:math:`10^{-6}` even when the true Hessian is 0 (pass ``atol=0`` for an exact
    Hessian of a function whose curvatures are that small). Then: eigenvalues of both signs
    (a zero one or not), a saddle; all positive, a minimum; all negative, a maximum; otherwise
    (some zero, the rest of one sign) the second-derivative test is ``"unknown"`` and higher
    derivatives decide. In two dimensions this is the test :math:`\det H > 0` (then the sign
    of :math:`H_{11}`) or :math:`\det H < 0` (saddle). ``H`` must be square; it is symmetrised
    first. Entries up to the largest float are handled (the matrix is scaled before its
    eigenvalues are found).

    Introduced on :doc:`/book/part2-multivariate/06-hessian`.
    """
    Ha = as_finite_array(H, "H", ndim=2)
    if Ha.shape[0] != Ha.shape[1]:
        raise ValueError(f"H must be square, got shape {Ha.shape}")
    tol = as_finite_scalar(tol, "tol")
    if tol < 0:
        raise ValueError("tol must be non-negative")
    atol = as_finite_scalar(atol, "atol")
    if atol < 0:
        raise ValueError("atol must be non-negative")
    big = float(np.max(np.abs(Ha)))
    if big == 0:
        return "unknown"
    scaled = Ha / big  # entries in [-1, 1]: no overflow below
    eig = np.linalg.eigvalsh(scaled / 2 + scaled.T / 2)  # eigenvalues of H, divided by big
    zero = np.abs(eig) <= max(tol * float(np.max(np.abs(eig))), atol / big)
    positive, negative = (eig > 0) & ~zero, (eig < 0) & ~zero
    if np.any(positive) and np.any(negative):
        return "saddle"
    if np.any(zero):
        return "unknown"
    return "minimum" if np.all(positive) else "maximum"


def noise_error_model(h: ArrayLike, noise: float, third_derivative: float = 1.0) -> NDArray[np.float64]:
    r"""Typical error of a central difference of a noisy function: :math:`\frac{\sigma}{\sqrt2\,h} + \frac{h^2}{6}|f'''|`.

    If every evaluation of ``f`` carries independent noise of standard deviation
    :math:`\sigma` (``noise``), the difference of two noisy values divided by :math:`2h` has
    standard deviation :math:`\sigma/(\sqrt2\,h)`: it *grows* as the step shrinks. The second
    term is the truncation error of the central difference.

    Introduced on :doc:`/book/part2-multivariate/07-reality-is-hard`.
    """
    hs = as_finite_array(h, "h")
    if np.any(hs <= 0):
        raise ValueError("h must be positive")
    sigma = as_finite_scalar(noise, "noise")
    if sigma < 0:
        raise ValueError("noise must be non-negative")
    d = abs(as_finite_scalar(third_derivative, "third_derivative"))
    with np.errstate(over="ignore"):
        out = sigma / (np.sqrt(2.0) * hs) + hs**2 / 6 * d
    if not np.all(np.isfinite(out)):
        raise ValueError("the modelled error overflows: h, noise or third_derivative is too extreme")
    return out


def noise_optimal_step(noise: float, third_derivative: float = 1.0) -> float:
    r"""The step that minimises :func:`noise_error_model`: :math:`h^* = \bigl(3\sigma/(\sqrt2\,|f'''|)\bigr)^{1/3}`.

    Setting the derivative of :math:`\sigma/(\sqrt2 h) + h^2|f'''|/6` to zero gives
    :math:`h^3 = 3\sigma/(\sqrt2|f'''|)`. With :math:`\sigma = 10^{-6}` and :math:`|f'''|\approx 1`
    that is :math:`h^*\approx 0.013`, two thousand times the noise-free step.

    Introduced on :doc:`/book/part2-multivariate/07-reality-is-hard`.
    """
    sigma = as_positive_scalar(noise, "noise")
    d = abs(as_finite_scalar(third_derivative, "third_derivative"))
    if d == 0:
        raise ValueError("third_derivative must be non-zero (with no truncation error, larger h is always better)")
    with np.errstate(over="ignore", under="ignore"):
        out = float((3 * sigma / (np.sqrt(2.0) * d)) ** (1 / 3))
    if not (np.isfinite(out) and out > 0):
        raise ValueError(f"noise / third_derivative = {sigma:.3g} / {d:.3g} is too extreme for a step")
    return out


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class MatrixCheck:
    """The result of :func:`check_jacobian` or :func:`check_hessian`.

    ``points[k]`` is the ``k``-th random point, ``yours[k]`` and ``numerical[k]`` the two
    matrices there, and ``tolerance[k]`` the largest difference allowed there. ``passed`` is
    true when every point agrees; ``str(result)`` is the message the check prints.

    Introduced on :doc:`/book/part2-multivariate/03-jacobian-scalar`.
    """

    name: str
    kind: str
    points: NDArray[np.float64] = field(repr=False)
    yours: NDArray[np.float64] = field(repr=False)
    numerical: NDArray[np.float64] = field(repr=False)
    tolerance: NDArray[np.float64] = field(repr=False)
    passed: bool
    worst_point: tuple[float, ...]
    worst_entry: tuple[int, int]
    worst_error: float

    @property
    def errors(self) -> NDArray[np.float64]:
        """The largest entry-wise difference at each point, shape ``(points,)``."""
        return np.max(np.abs(self.yours - self.numerical), axis=(1, 2))

    @property
    def failures(self) -> NDArray[np.bool_]:
        """Which points disagree by more than their tolerance."""
        return self.errors > self.tolerance

    def __str__(self) -> str:
        k = self.points.shape[0]
        if self.passed:
            return (
                f"✓ {self.name} agrees with the numerical {self.kind} at all {k} points "
                f"(largest difference {self.worst_error:.2g}, in entry {list(self.worst_entry)} "
                f"at x = {_fmt(self.worst_point)})."
            )
        ratio = self.errors / self.tolerance
        bad = np.flatnonzero(self.failures)
        bad = bad[np.argsort(-ratio[bad], kind="stable")]  # worst first
        lines = [f"✗ {self.name} disagrees with the numerical {self.kind} at {bad.size} of {k} points."]
        for p in bad[:5]:
            diff = np.abs(self.yours[p] - self.numerical[p])
            i, j = np.unravel_index(int(np.argmax(diff)), diff.shape)
            lines.append(
                f"   at x = {_fmt(self.points[p])}: entry [{i}, {j}] is {self.yours[p, i, j]:.6g} (yours) "
                f"but {self.numerical[p, i, j]:.6g} (numerical), off by {diff[i, j]:.3g}"
            )
        if bad.size > 5:
            lines.append(f"   … and {bad.size - 5} more")
        wrong = np.any(np.abs(self.yours - self.numerical) > self.tolerance[:, None, None], axis=0)
        entries = ", ".join(f"[{i}, {j}]" for i, j in zip(*np.nonzero(wrong)))
        lines.append(f"   Entries that disagree somewhere: {entries}.")
        square = self.yours.shape[1] == self.yours.shape[2]
        if square and np.all(
            np.max(np.abs(np.swapaxes(self.yours, 1, 2) - self.numerical), axis=(1, 2)) <= self.tolerance
        ):
            lines.append(
                "   Your matrix is the transpose of the numerical one: row i should hold the "
                "derivatives of output i, column j the derivatives with respect to x[j]."
            )
        return "\n".join(lines)


def _fmt(point: Any) -> str:
    return "(" + ", ".join(f"{v:.4g}" for v in np.asarray(point, dtype=float)) + ")"


def _display_name(fn: Callable[..., Any], default: str) -> str:
    name = getattr(fn, "__name__", default)
    return default if name == "<lambda>" else name


def _sample_points(
    dim: int | None, low: ArrayLike, high: ArrayLike, points: int, seed: int
) -> NDArray[np.float64]:
    lo = as_finite_array(low, "low")
    hi = as_finite_array(high, "high")
    for arr, label in ((lo, "low"), (hi, "high")):
        if arr.ndim > 1:
            raise ValueError(f"{label} must be one number or one bound per coordinate, got shape {arr.shape}")
    if dim is not None:
        n = as_int(dim, "dim", minimum=1, maximum=MAX_DIM)
    elif lo.ndim == 1 or hi.ndim == 1:
        n = lo.size if lo.ndim == 1 else hi.size
    else:
        raise ValueError(
            "dim is needed: give the length of x (e.g. dim=2), or bounds per coordinate "
            "(e.g. low=[0, -3], high=[2, 3])"
        )
    for arr, label in ((lo, "low"), (hi, "high")):
        if arr.ndim == 1 and arr.size != n:
            raise ValueError(f"{label} has {arr.size} entries but x has {n} coordinates")
    lo, hi = np.broadcast_to(lo, (n,)), np.broadcast_to(hi, (n,))
    if not np.all(lo < hi):
        raise ValueError(f"low must be less than high in every coordinate, got low={lo}, high={hi}")
    with np.errstate(over="ignore"):
        if not np.all(np.isfinite(hi - lo)):
            raise ValueError(f"high - low must be finite, got low={lo}, high={hi} (the box overflows)")
    k = as_int(points, "points", minimum=1, maximum=MAX_POINTS)
    if n > MAX_DIM:
        raise ValueError(f"dim must be at most {MAX_DIM:,}, got {n:,}")
    rng = np.random.default_rng(as_seed(seed))
    return lo + (hi - lo) * rng.random((k, n))


def _check(
    kind: str,
    f: Callable[..., Any],
    yours_fn: Callable[..., Any],
    your_label: str,
    numerical_fn: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    xs: NDArray[np.float64],
    rtol: float,
    verbose: bool,
) -> MatrixCheck:
    tol = as_positive_scalar(rtol, "rtol")
    numerical = np.stack([numerical_fn(x) for x in xs])
    m, n = numerical.shape[1:]
    yours = np.empty_like(numerical)
    for k, x in enumerate(xs):
        value = call_checked(yours_fn, x, your_label)
        if value.shape != (m, n):
            if m == 1 and value.shape == (n,):  # a gradient written as a 1-D vector
                value = value.reshape(1, n)
            else:
                hint = " Did you transpose it?" if value.shape == (n, m) else ""
                raise ValueError(
                    f"{your_label}(x) returned shape {value.shape}, but the {kind} of f at x has shape "
                    f"({m}, {n}): one row per output of f, one column per coordinate of x.{hint}"
                )
        yours[k] = value
    tolerance = tol * np.maximum(1.0, np.max(np.abs(numerical), axis=(1, 2)))
    diff = np.abs(yours - numerical)
    errors = np.max(diff, axis=(1, 2))
    for k in np.flatnonzero(errors > tolerance):  # confirm a disagreement before reporting it
        second = _second_opinion(kind, f, xs[k], yours[k], tolerance[k])
        if second is not None:
            numerical[k] = second
    diff = np.abs(yours - numerical)
    errors = np.max(diff, axis=(1, 2))
    worst = int(np.argmax(errors / tolerance))
    i, j = np.unravel_index(int(np.argmax(diff[worst])), (m, n))
    result = MatrixCheck(
        name=_display_name(yours_fn, your_label),
        kind=kind,
        points=xs,
        yours=yours,
        numerical=numerical,
        tolerance=tolerance,
        passed=bool(np.all(errors <= tolerance)),
        worst_point=tuple(float(v) for v in xs[worst]),
        worst_entry=(int(i), int(j)),
        worst_error=float(errors[worst]),
    )
    if verbose:
        print(result)
    return result


def _second_opinion(
    kind: str, f: Callable[..., Any], x: NDArray[np.float64], yours: NDArray[np.float64], tol: float
) -> NDArray[np.float64] | None:
    """A numerical matrix at ``x`` that agrees with ``yours``, from a ladder of other steps, or None.

    Each rung computes the matrix at steps ``h`` (one per coordinate) and ``h/2``; it is trusted only when the two
    differ by at most ``tol`` after adding the rounding error :math:`4\varepsilon|f|/h`
    (:math:`16\varepsilon|f|/h^2` for a Hessian). So the default step failing to suit ``f``
    does not fail a correct matrix, and a wrong one is still caught.
    """
    second = kind == "Hessian"
    unscaled = EPS ** (_SECOND_POWER if second else _FIRST_POWER)
    base = _default_step(x, _SECOND_POWER if second else _FIRST_POWER)
    size = float(np.max(np.abs(call_checked(f, x.copy(), "f"))))
    # every default step times 4^k, then the unscaled step growing towards each default step
    grow = int(np.ceil(np.log(float(np.max(base)) / unscaled) / np.log(4.0))) + 1
    ladder = [base * 4.0**k for k in range(-6, 17)]
    ladder += [np.minimum(base, unscaled * 4.0**k) for k in range(0, grow)]
    for h in ladder:
        try:
            if second:
                a, b = hessian(f, x, h), hessian(f, x, h / 2)
                rounding = 16 * EPS * size / float(np.min(h / 2)) ** 2
            else:
                a, b = jacobian(f, x, h), jacobian(f, x, h / 2)
                rounding = 4 * EPS * size / float(np.min(h / 2))
        except (ValueError, TypeError, ArithmeticError):
            continue
        b = b.reshape(yours.shape) if b.size == yours.size else b
        if b.shape != yours.shape:
            return None
        error = float(np.max(np.abs(a.reshape(b.shape) - b))) + rounding
        if error <= tol and float(np.max(np.abs(yours - b))) <= tol:
            return b
    return None


def check_jacobian(
    f: Callable[..., Any],
    J: Callable[..., Any],
    dim: int | None = None,
    *,
    low: ArrayLike = -3.0,
    high: ArrayLike = 3.0,
    points: int = 10,
    seed: int = 0,
    rtol: float = 1e-6,
    verbose: bool = True,
) -> MatrixCheck:
    r"""Check a Jacobian you derived, ``J(x)``, against the numerical Jacobian of ``f``.

    Draws ``points`` random points uniformly in the box ``low <= x <= high`` (seeded, so the
    check is repeatable), computes :func:`jacobian` there and compares entry by entry: a point
    passes when every :math:`|J_{ij} - J^{\text{num}}_{ij}| \le \text{rtol}\cdot\max(1, \max_{ij}|J^{\text{num}}_{ij}|)`.
    A disagreement is reported only if it survives a second opinion: numerical Jacobians over
    a ladder of steps, each trusted only where its own error estimate is within the tolerance,
    so a correct ``J`` is not failed because the default step did not suit ``f``.

    ``dim`` is the length of ``x``; it may be left out when ``low`` or ``high`` gives one bound
    per coordinate (``low=[0.1, -3], high=[2, 3]``). ``J(x)`` returns an ``(m, n)`` array (for a
    scalar ``f`` a row of shape ``(1, n)`` or a vector of shape ``(n,)``). Prints a message
    saying where and by how much they disagree (unless ``verbose=False``) and returns a
    :class:`MatrixCheck`. Choose the box inside ``f``'s domain.

    Introduced on :doc:`/book/part2-multivariate/03-jacobian-scalar`.
    """
    require_callable(f, "f")
    require_callable(J, "J")
    xs = _sample_points(dim, low, high, points, seed)
    return _check("Jacobian", f, J, "J", lambda x: jacobian(f, x), xs, rtol, verbose)


def check_hessian(
    f: Callable[..., Any],
    H: Callable[..., Any],
    dim: int | None = None,
    *,
    low: ArrayLike = -3.0,
    high: ArrayLike = 3.0,
    points: int = 10,
    seed: int = 0,
    rtol: float = 1e-4,
    verbose: bool = True,
) -> MatrixCheck:
    r"""Check a Hessian you derived, ``H(x)``, against the numerical Hessian of a scalar ``f``.

    Works like :func:`check_jacobian` with :func:`hessian` as the reference. The default
    ``rtol`` is looser, :math:`10^{-4}`, because a second difference is less accurate
    (about :math:`10^{-8}`–:math:`10^{-6}` of the largest entry) than a first one; an algebra
    slip usually shows up as a difference of order one.

    Introduced on :doc:`/book/part2-multivariate/06-hessian`.
    """
    require_callable(f, "f")
    require_callable(H, "H")
    xs = _sample_points(dim, low, high, points, seed)
    return _check("Hessian", f, H, "H", lambda x: hessian(f, x), xs, rtol, verbose)
