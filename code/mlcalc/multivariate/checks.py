"""Checking a Jacobian or Hessian a reader derived against the numerical one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_int, as_positive_scalar, as_seed, call_checked, require_callable
from ..derivatives import EPS, MAX_POINTS
from .differences import MAX_DIM, _FIRST_POWER, _SECOND_POWER, _default_step, _fmt, jacobian
from .second import hessian

__all__ = ["MatrixCheck", "check_jacobian", "check_hessian"]




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
        if second is not None:  # a trusted numerical matrix: it decides
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
    """A numerical matrix at ``x`` from a ladder of other steps: the first one that can be trusted
    (steps nearest the default first), or None.

    Each rung computes the matrix at steps ``h`` (one per coordinate), ``h/2`` and ``h/4``; it is
    trusted only when the three agree within ``tol`` after adding the rounding error
    :math:`4\\varepsilon|f|/h` (:math:`16\\varepsilon|f|/h^2` for a Hessian) at the smallest step.
    The steps stay local (at most a tenth of ``max(1, |x_j|)``): a huge step could see nothing
    and agree with anything. So the default step failing to suit ``f`` does not fail a correct
    matrix, and a wrong one is still caught (and quickly: the first trusted rung decides).
    """
    second = kind == "Hessian"
    power = _SECOND_POWER if second else _FIRST_POWER
    unscaled = EPS**power
    base = _default_step(x, power)
    cap = 0.1 * np.maximum(1.0, np.abs(x))
    size = float(np.max(np.abs(call_checked(f, x.copy(), "f"))))
    # every default step times 4^k, then the unscaled step growing towards each default step
    grow = int(np.ceil(np.log(float(np.max(base)) / unscaled) / np.log(4.0))) + 1
    # nearest the default step first: the likeliest to be trusted, so the first to decide
    ladder = [base * 4.0**k for k in sorted(range(-6, 12), key=abs)]
    ladder += [np.minimum(base, unscaled * 4.0**k) for k in range(0, grow)]
    method = hessian if second else jacobian
    for h in ladder:
        if np.any(h > cap):
            continue
        try:
            a, b, c = method(f, x, h), method(f, x, h / 2), method(f, x, h / 4)
        except (ValueError, TypeError, ArithmeticError):
            continue
        smallest = float(np.min(h / 4))
        rounding = 16 * EPS * size / smallest**2 if second else 4 * EPS * size / smallest
        if c.size != yours.size:
            return None
        a, b, c = (m.reshape(yours.shape) for m in (a, b, c))
        error = float(np.max(np.abs(a - b)) + np.max(np.abs(b - c))) + rounding
        if error <= tol:
            return c
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
