r"""Newton–Raphson for one equation and for systems, and measured orders of convergence.

Newton's method replaces a function by its tangent line (its linearisation) at the current
guess and jumps to where that line is zero:

.. math:: x_{k+1} = x_k - \frac{f(x_k)}{f'(x_k)}, \qquad
   \vec x_{k+1} = \vec x_k + \Delta\vec x_k,\quad J_{\vec f}(\vec x_k)\,\Delta\vec x_k = -\vec f(\vec x_k).

Both solvers return a :class:`NewtonResult` that says *why* they stopped: ``"converged"``,
``"step limit"``, ``"zero derivative"`` (``"singular Jacobian"`` for systems), ``"cycle"``
(an iterate repeats an earlier one) or ``"diverged"`` (a non-finite value, or an iterate
beyond ``bound``). A failed run is never reported as a root.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import (
    as_finite_array,
    as_finite_scalar,
    as_int,
    as_positive_scalar,
    call_checked,
    require_callable,
)
from ..derivatives import optimal_step
from ..multivariate import jacobian

__all__ = ["NewtonResult", "newton_raphson", "newton_system", "convergence_order", "convergence_ratio"]

#: Why a Newton iteration stopped.
STATUSES: tuple[str, ...] = ("converged", "step limit", "zero derivative", "singular Jacobian", "cycle", "diverged")


@dataclass(frozen=True)
class NewtonResult:
    """What a Newton iteration did: where it ended, every iterate, and why it stopped.

    Attributes
    ----------
    x
        The last iterate (a float for one equation, an array of shape ``(n,)`` for a system).
        It is a root only when ``converged`` is true.
    history
        Every iterate, ``x0`` first: shape ``(k + 1,)`` or ``(k + 1, n)`` after ``k`` steps.
    status
        ``"converged"``, ``"step limit"``, ``"zero derivative"``, ``"singular Jacobian"``,
        ``"cycle"`` or ``"diverged"``.
    converged
        ``status == "converged"``.
    iterations
        The number of Newton steps taken.
    f_evaluations, df_evaluations
        Calls of ``f`` and of the derivative (or Jacobian) function; when the derivative is
        numerical its calls of ``f`` are counted in ``f_evaluations`` and ``df_evaluations`` is 0.
    message
        One sentence saying what happened, with the numbers.

    Introduced on :doc:`/book/part5-optimisation/01-newton-raphson`.
    """

    x: Any
    history: NDArray[np.float64]
    status: str
    converged: bool
    iterations: int
    f_evaluations: int
    df_evaluations: int
    message: str


class _Counted:
    """Wrap a function and count its calls."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.calls = 0

    def __call__(self, x: Any) -> Any:
        self.calls += 1
        return self.fn(x)


def _common(xtol: Any, max_steps: Any, bound: Any) -> tuple[float, int, float]:
    return (
        as_positive_scalar(xtol, "xtol"),
        as_int(max_steps, "max_steps", minimum=1),
        as_positive_scalar(bound, "bound"),
    )


def _at_noise_floor(step: float, previous: float, scale: float) -> bool:
    """A small step (below the square root of the tolerance) no shorter than the one before.

    Near a root, rounding in ``f`` limits how small Newton's steps can get; when a step this
    small stops shrinking, the iterate is as good as ``f`` allows.
    """
    return step <= np.sqrt(scale) and step >= previous


def _scalar(f: Callable[..., Any], x: float, name: str) -> float:
    """``f(x)`` as a float; a non-finite value gives ``nan`` (the caller reports divergence)."""
    try:
        with np.errstate(all="ignore"):
            raw = f(x)
    except (TypeError, IndexError) as exc:
        raise TypeError(f"calling {name}(x) at x = {x:.6g} raised {type(exc).__name__}: {exc}") from exc
    if isinstance(raw, (bool, np.bool_)) or raw is None or isinstance(raw, (str, bytes)):
        raise TypeError(f"{name}(x) at x = {x:.6g} must return a real number, got {type(raw).__name__}")
    arr = np.asarray(raw)
    if arr.dtype.kind not in "iuf" or arr.size != 1:
        raise TypeError(
            f"{name}(x) at x = {x:.6g} must return one real number, got {type(raw).__name__}"
            + (f" of shape {arr.shape}" if arr.dtype.kind in "iufc" else "")
        )
    return float(arr.reshape(()))


def newton_raphson(
    f: Callable[[float], float],
    x0: float,
    df: Callable[[float], float] | None = None,
    *,
    xtol: float = 1e-12,
    max_steps: int = 100,
    bound: float = 1e100,
) -> NewtonResult:
    r"""Solve :math:`f(x) = 0` by Newton–Raphson, :math:`x_{k+1} = x_k - f(x_k)/f'(x_k)`.

    Parameters
    ----------
    f
        The function, called with one float, returning one real number.
    x0
        The starting guess.
    df
        The derivative :math:`f'`; ``None`` uses a central difference with the step of
        :func:`mlcalc.derivatives.optimal_step` (two more calls of ``f`` per step).
    xtol
        Converged when a step is no longer than ``xtol * max(1, |x|)``, when
        :math:`f(x) = 0` exactly, or when a step below ``sqrt(xtol * max(1, |x|))`` is no shorter
        than the step before (the rounding floor of ``f``: the steps cannot shrink further).
    max_steps
        At most this many steps (then ``status == "step limit"``).
    bound
        An iterate with :math:`|x| >` ``bound`` counts as divergence.

    Returns
    -------
    A :class:`NewtonResult`; ``x`` is a float. The status is ``"zero derivative"`` when
    :math:`f'(x_k) = 0`, ``"cycle"`` when an iterate repeats one before the last (to ``xtol``),
    ``"diverged"`` on a non-finite value or an iterate beyond ``bound``.

    Introduced on :doc:`/book/part5-optimisation/01-newton-raphson`.
    """
    require_callable(f, "f")
    if df is not None:
        require_callable(df, "df")
    x = as_finite_scalar(x0, "x0")
    xtol, max_steps, bound = _common(xtol, max_steps, bound)
    fc = _Counted(f)
    dfc = _Counted(df) if df is not None else None

    def slope(x: float) -> float:
        if dfc is not None:
            return _scalar(dfc, x, "df")
        h = float(optimal_step("central", x))
        up, down = (x + h) - x, x - (x - h)
        return (_scalar(fc, x + up, "f") - _scalar(fc, x - down, "f")) / (up + down)

    history = [x]
    previous = np.inf

    def done(status: str, message: str) -> NewtonResult:
        return NewtonResult(
            x=history[-1], history=np.array(history), status=status, converged=status == "converged",
            iterations=len(history) - 1, f_evaluations=fc.calls,
            df_evaluations=dfc.calls if dfc is not None else 0, message=message,
        )

    for _ in range(max_steps):
        fx = _scalar(fc, x, "f")
        if not np.isfinite(fx):
            return done("diverged", f"f(x) is {fx} at x = {x:.6g}")
        if fx == 0.0:
            return done("converged", f"f(x) = 0 exactly at x = {x:.17g}")
        d = slope(x)
        if not np.isfinite(d):
            return done("diverged", f"the derivative is {d} at x = {x:.6g}")
        if d == 0.0:
            return done("zero derivative", f"f'(x) = 0 at x = {x:.6g}: the tangent never meets the axis")
        with np.errstate(all="ignore"):
            step = -fx / d
            new = x + step
        if not np.isfinite(new) or abs(new) > bound:
            if np.isfinite(new):
                history.append(new)
            return done("diverged", f"the iterate left [-{bound:.3g}, {bound:.3g}] after x = {x:.6g}")
        history.append(new)
        scale = xtol * max(1.0, abs(new))
        if abs(step) <= scale:
            return done("converged", f"converged to x = {new:.17g} in {len(history) - 1} steps")
        if _at_noise_floor(abs(step), previous, scale):
            return done("converged", f"converged to x = {new:.17g} in {len(history) - 1} steps "
                        f"(the steps stopped shrinking at {abs(step):.2g}: the rounding floor of f)")
        previous = abs(step)
        earlier = np.array(history[:-2])
        if earlier.size and abs(step) > np.sqrt(scale) and np.any(np.abs(earlier - new) <= scale):
            j = int(np.flatnonzero(np.abs(earlier - new) <= scale)[-1])
            period = len(history) - 1 - j
            return done("cycle", f"x = {new:.6g} repeats the iterate of step {j}: a cycle of period {period}")
        x = new
    return done("step limit", f"no convergence in {max_steps} steps; last x = {x:.6g}")


def _vector_value(F: Callable[..., Any], x: NDArray[np.float64], n: int) -> NDArray[np.float64] | None:
    """``F(x)`` as a finite vector of shape (n,), ``None`` if it is not finite (divergence)."""
    try:
        with np.errstate(all="ignore"):
            raw = F(x.copy())
    except (TypeError, IndexError) as exc:
        raise TypeError(f"calling F(x) raised {type(exc).__name__}: {exc}. F is called with one vector x of length {n}") from exc
    arr = np.asarray(raw)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"F(x) must return a vector of real numbers, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"F(x) must return a vector of shape ({n},) (as many equations as unknowns), got {arr.shape}")
    arr = arr.astype(np.float64)
    return arr if np.all(np.isfinite(arr)) else None


def newton_system(
    F: Callable[[NDArray[np.float64]], ArrayLike],
    x0: ArrayLike,
    J: Callable[[NDArray[np.float64]], ArrayLike] | None = None,
    *,
    xtol: float = 1e-12,
    max_steps: int = 100,
    bound: float = 1e100,
) -> NewtonResult:
    r"""Solve :math:`\vec F(\vec x) = \vec 0` (:math:`n` equations, :math:`n` unknowns) by Newton's method.

    Each step solves the linear system :math:`J_{\vec F}(\vec x_k)\,\Delta\vec x = -\vec F(\vec x_k)`
    and moves to :math:`\vec x_{k+1} = \vec x_k + \Delta\vec x`.

    Parameters
    ----------
    F
        A function of one vector of shape ``(n,)`` returning a vector of shape ``(n,)``.
    x0
        The starting point, shape ``(n,)``.
    J
        The Jacobian, a function returning an ``(n, n)`` matrix; ``None`` uses
        :func:`mlcalc.multivariate.jacobian` (:math:`2n + 1` calls of ``F``).
    xtol, max_steps, bound
        As for :func:`newton_raphson`, with norms :math:`\lVert\cdot\rVert_2` in place of :math:`|\cdot|`.

    Returns
    -------
    A :class:`NewtonResult`; ``x`` has shape ``(n,)``. ``"singular Jacobian"`` when
    :math:`J` cannot be solved with (its condition number exceeds :math:`10^{14}`).

    Introduced on :doc:`/book/part5-optimisation/02-newton-systems`.
    """
    require_callable(F, "F")
    if J is not None:
        require_callable(J, "J")
    x = np.array(as_finite_array(x0, "x0", ndim=1), dtype=np.float64)
    n = x.size
    xtol, max_steps, bound = _common(xtol, max_steps, bound)
    Fc = _Counted(F)
    Jc = _Counted(J) if J is not None else None
    history = [x.copy()]
    previous = np.inf

    def done(status: str, message: str) -> NewtonResult:
        return NewtonResult(
            x=history[-1].copy(), history=np.array(history), status=status, converged=status == "converged",
            iterations=len(history) - 1, f_evaluations=Fc.calls,
            df_evaluations=Jc.calls if Jc is not None else 0, message=message,
        )

    def where(v: NDArray[np.float64]) -> str:
        return np.array2string(v, precision=6, separator=", ", threshold=8)

    for _ in range(max_steps):
        Fx = _vector_value(Fc, x, n)
        if Fx is None:
            return done("diverged", f"F(x) is not finite at x = {where(x)}")
        if not np.any(Fx):
            return done("converged", f"F(x) = 0 exactly at x = {where(x)}")
        if Jc is not None:
            Jx = call_checked(Jc, x.copy(), "J", shape=(n, n))
        else:
            try:
                Jx = jacobian(Fc, x)
            except ValueError as exc:
                if "finite" in str(exc):
                    return done("diverged", f"F is not finite near x = {where(x)}")
                raise
        if not np.all(np.isfinite(Jx)):
            return done("diverged", f"the Jacobian is not finite at x = {where(x)}")
        if np.linalg.cond(Jx) > 1e14:
            return done("singular Jacobian", f"the Jacobian is singular at x = {where(x)}: the linearisation has no unique zero")
        step = np.linalg.solve(Jx, -Fx)
        new = x + step
        if not np.all(np.isfinite(new)) or np.linalg.norm(new) > bound:
            return done("diverged", f"the iterate left the ball of radius {bound:.3g} after x = {where(x)}")
        history.append(new)
        scale = xtol * max(1.0, float(np.linalg.norm(new)))
        size = float(np.linalg.norm(step))
        if size <= scale:
            return done("converged", f"converged to x = {where(new)} in {len(history) - 1} steps")
        if _at_noise_floor(size, previous, scale):
            return done("converged", f"converged to x = {where(new)} in {len(history) - 1} steps "
                        f"(the steps stopped shrinking at {size:.2g}: the rounding floor of F)")
        previous = size
        earlier = np.array(history[:-2])
        if earlier.size and size > np.sqrt(scale):
            dist = np.linalg.norm(earlier - new, axis=1)
            if np.any(dist <= scale):
                j = int(np.flatnonzero(dist <= scale)[-1])
                return done("cycle", f"x = {where(new)} repeats the iterate of step {j}: a cycle of period {len(history) - 1 - j}")
        x = new
    return done("step limit", f"no convergence in {max_steps} steps; last x = {where(x)}")


def _errors(errors: ArrayLike, minimum: int) -> NDArray[np.float64]:
    e = as_finite_array(errors, "errors", ndim=1)
    if e.size < minimum:
        raise ValueError(f"errors must have at least {minimum} entries, got {e.size}")
    if np.any(e <= 0):
        raise ValueError("errors must be positive (drop the exact zeros: a ratio with 0 says nothing)")
    return e


def convergence_ratio(errors: ArrayLike) -> NDArray[np.float64]:
    r"""The ratios :math:`e_{k+1}/e_k` of successive errors: the rate of a linearly converging method.

    ``errors`` is a 1-D array of positive errors :math:`e_k = |x_k - r|` (at least two).
    A constant ratio :math:`c < 1` is linear convergence; ratios falling to 0 are faster.

    Introduced on :doc:`/book/part5-optimisation/01-newton-raphson`.
    """
    e = _errors(errors, 2)
    return e[1:] / e[:-1]


def convergence_order(errors: ArrayLike) -> NDArray[np.float64]:
    r"""Measured orders of convergence :math:`q_k` from successive errors.

    If :math:`e_{k+1} \approx C e_k^{\,q}`, then

    .. math:: q \approx q_k = \frac{\log(e_{k+1}/e_k)}{\log(e_k/e_{k-1})},

    one estimate per inner error (``len(errors) - 2`` of them). ``errors`` is a 1-D array of
    positive errors, at least three; two equal successive errors raise ``ValueError``.

    Introduced on :doc:`/book/part5-optimisation/01-newton-raphson`.
    """
    e = _errors(errors, 3)
    logs = np.log(e[1:] / e[:-1])
    if np.any(logs[:-1] == 0):
        raise ValueError("errors has two equal successive entries: the order is undefined there")
    return logs[1:] / logs[:-1]
