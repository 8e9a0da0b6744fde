"""Checking a derivative a reader wrote against the numerical one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validate import as_finite_scalar, as_int, as_positive_scalar, as_seed, require_callable
from .steps import EPS, MAX_POINTS, _STEP_POWER
from .quotients import _evaluate, _quotient, _require_finite_values, derivative

__all__ = ["DerivativeCheck", "check_derivative"]


def _second_opinions(
    f: Callable[..., Any], x: NDArray[np.float64]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Other estimates of ``f'(x)``, each with an estimate of its own error.

    The complex step (error taken as rounding only) if ``f`` allows it, then central differences
    over a ladder of steps from 4^-6 times the default up to a tenth of ``max(1, |x|)`` (a step
    that stays local: a huge one could see nothing and agree with anything). Each rung takes
    :math:`D(h)`, :math:`D(h/2)`, :math:`D(h/4)` and its error estimate is
    ``|D(h) - D(h/2)| + |D(h/2) - D(h/4)| + 4 eps |f| / (h/4)``.
    """
    opinions = []
    try:
        z = np.asarray(derivative(f, x, method="complex"), dtype=np.float64).reshape(-1)
        opinions.append((z, 4 * EPS * np.abs(z)))
    except (ValueError, TypeError, ArithmeticError):
        pass
    base = EPS ** _STEP_POWER["central"] * np.maximum(1.0, np.abs(x))
    for k in sorted(range(-6, 8), key=abs):  # nearest the default first: the likeliest to be trusted
        h = base * 4.0**k
        try:
            d1, s1, _, _ = _quotient(f, x, h, "central")
            d2, s2, _, _ = _quotient(f, x, h / 2, "central")
            d4, s4, _, r4 = _quotient(f, x, h / 4, "central")
        except (ValueError, TypeError, ArithmeticError):
            continue
        error = np.abs(d1 - d2) + np.abs(d2 - d4) + 4 * EPS * np.maximum(np.maximum(s1, s2), s4) / r4
        opinions.append((d4, error))
    return opinions


def _confirm(
    f: Callable[..., Any], xs: NDArray[np.float64], yours: NDArray[np.float64],
    numerical: NDArray[np.float64], tolerance: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Re-examine the points where ``yours`` and ``numerical`` disagree.

    The first second opinion (the complex step, then the ladder from the default step outwards) whose own
    error is within the tolerance decides: the point is cleared if it agrees with ``yours``, and
    the numerical value becomes that estimate either way. Where no opinion can be trusted, the
    point keeps its first numerical value.
    """
    numerical = numerical.copy()
    bad = np.flatnonzero(np.abs(yours - numerical) > tolerance)
    opinions = _second_opinions(f, xs[bad])
    if not opinions:
        return numerical
    values = np.stack([v for v, _ in opinions])
    errors = np.stack([e for _, e in opinions])
    trusted = errors <= tolerance[bad]
    for col, i in enumerate(bad):
        if np.any(trusted[:, col]):
            numerical[i] = values[int(np.argmax(trusted[:, col])), col]
    return numerical


@dataclass(frozen=True)
class DerivativeCheck:
    """The result of :func:`check_derivative`: where ``df`` was compared and how it fared.

    ``passed`` is true when every point agrees within tolerance. ``str(result)`` is the
    friendly message that :func:`check_derivative` prints.

    Introduced on :doc:`/book/part1-derivatives/03-sum-and-power-rules`.
    """

    name: str
    points: NDArray[np.float64] = field(repr=False)
    yours: NDArray[np.float64] = field(repr=False)
    numerical: NDArray[np.float64] = field(repr=False)
    tolerance: NDArray[np.float64] = field(repr=False)
    passed: bool
    worst_x: float
    worst_error: float

    @property
    def failures(self) -> NDArray[np.bool_]:
        """Which points disagree by more than their tolerance."""
        return np.abs(self.yours - self.numerical) > self.tolerance

    def __str__(self) -> str:
        n = self.points.size
        if self.passed:
            return (
                f"✓ {self.name} agrees with the numerical derivative at all {n} points "
                f"(largest difference {self.worst_error:.2g}, at x = {self.worst_x:.4g})."
            )
        bad = np.flatnonzero(self.failures)
        lines = [
            f"✗ {self.name} disagrees with the numerical derivative at {bad.size} of {n} points.",
            "   x          yours          numerical      difference",
        ]
        for i in bad[:5]:
            lines.append(
                f"   {self.points[i]:<10.4g} {self.yours[i]:<14.6g} {self.numerical[i]:<14.6g} "
                f"{self.yours[i] - self.numerical[i]:.3g}"
            )
        if bad.size > 5:
            lines.append(f"   … and {bad.size - 5} more")
        return "\n".join(lines)


def check_derivative(
    f: Callable[..., Any],
    df: Callable[..., Any],
    *,
    low: float = -3.0,
    high: float = 3.0,
    points: int = 20,
    seed: int = 0,
    rtol: float = 1e-6,
    verbose: bool = True,
) -> DerivativeCheck:
    r"""Check a derivative you wrote, ``df``, against the numerical derivative of ``f``.

    Draws ``points`` random points in ``[low, high]`` (seeded, so the check is repeatable),
    computes :func:`derivative` (central differences) there and compares: a point passes when
    :math:`|\text{df}(x) - f'_{\text{num}}(x)| \le \text{rtol}\cdot\max(1, |f'_{\text{num}}(x)|)`.
    A disagreement is reported only if it survives a second opinion: the complex step (when
    ``f`` allows it) and central differences over a ladder of steps, each trusted only where
    its own error estimate is within the tolerance. So a correct ``df`` is not failed because
    the default step did not suit ``f``.
    Prints a message saying where and by how much they disagree (unless ``verbose=False``)
    and returns a :class:`DerivativeCheck`. Choose ``low`` and ``high`` inside ``f``'s domain.

    Introduced on :doc:`/book/part1-derivatives/03-sum-and-power-rules`.
    """
    require_callable(f, "f")
    require_callable(df, "df")
    lo = as_finite_scalar(low, "low")
    hi = as_finite_scalar(high, "high")
    if not lo < hi:
        raise ValueError(f"low must be less than high, got low={lo}, high={hi}")
    if not np.isfinite(hi - lo):
        raise ValueError(f"high - low must be finite, got low={lo}, high={hi} (the interval overflows)")
    n = as_int(points, "points", minimum=1, maximum=MAX_POINTS)
    tol = as_positive_scalar(rtol, "rtol")
    rng = np.random.default_rng(as_seed(seed))
    xs = np.sort(rng.uniform(lo, hi, n))
    numerical = np.asarray(derivative(f, xs), dtype=np.float64)
    yours = _evaluate(df, xs, name="df")
    _require_finite_values(yours, xs, "df(x)")
    tolerance = tol * np.maximum(1.0, np.abs(numerical))
    err = np.abs(yours - numerical)
    if np.any(err > tolerance):  # confirm every disagreement by other steps and methods
        numerical = _confirm(f, xs, yours, numerical, tolerance)
        tolerance = tol * np.maximum(1.0, np.abs(numerical))
        err = np.abs(yours - numerical)
    worst = int(np.argmax(err / tolerance))
    result = DerivativeCheck(
        name=getattr(df, "__name__", "df") if getattr(df, "__name__", "<lambda>") != "<lambda>" else "df",
        points=xs,
        yours=yours,
        numerical=numerical,
        tolerance=tolerance,
        passed=bool(np.all(err <= tolerance)),
        worst_x=float(xs[worst]),
        worst_error=float(err[worst]),
    )
    if verbose:
        print(result)
    return result
