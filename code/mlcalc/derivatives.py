r"""Part 1 — derivatives of functions of one variable, found numerically.

The derivative is a limit,

.. math:: f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h},

and a computer cannot take a limit: it picks a small step :math:`h` and divides. This module
does that in the three ways the book compares on :doc:`/book/part1-derivatives/02-derivative-as-limit`:

* ``"forward"``: :math:`\bigl(f(x+h) - f(x)\bigr)/h`, truncation error :math:`\tfrac{h}{2}|f''|`;
* ``"central"``: :math:`\bigl(f(x+h) - f(x-h)\bigr)/2h`, truncation error :math:`\tfrac{h^2}{6}|f'''|`;
* ``"complex"``: :math:`\operatorname{Im} f(x + ih)/h` (the complex step), with no subtraction
  and so no cancellation: it is exact to rounding for any tiny :math:`h`, if ``f`` accepts
  complex numbers and is analytic.

Every function here takes a vectorised ``f`` (one that maps a numpy array elementwise); a
function written for one number at a time (``math.sin``) also works, more slowly.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import (
    as_finite_array,
    as_finite_scalar,
    as_int,
    broadcast_pair,
    require_callable,
    require_choice,
)

__all__ = [
    "METHODS",
    "EPS",
    "optimal_step",
    "error_model",
    "model_best_step",
    "difference_quotient",
    "derivative",
    "DerivativeCheck",
    "check_derivative",
]

Method = Literal["forward", "central", "complex"]

#: The three finite-difference methods, in the order the book introduces them.
METHODS: tuple[str, ...] = ("forward", "central", "complex")

#: Machine epsilon of float64, the spacing of numbers near 1: :math:`2^{-52}`.
EPS: float = float(np.finfo(np.float64).eps)

_STEP_POWER = {"forward": 1 / 2, "central": 1 / 3}
_COMPLEX_STEP = 1e-20


def optimal_step(method: str, x: ArrayLike = 0.0) -> NDArray[np.float64] | float:
    r"""The step :math:`h` that :func:`derivative` uses when ``h=None``.

    Balancing the truncation error against the rounding error (:math:`2\varepsilon|f|/h` forward,
    :math:`\varepsilon|f|/h` central; see :func:`error_model`) gives
    :math:`h \approx \sqrt{\varepsilon}` for the forward difference and
    :math:`h \approx \sqrt[3]{\varepsilon}` for the central one, for a function whose value
    and derivatives are of size one. Both are scaled by :math:`\max(1, |x|)` so that
    :math:`x + h` differs from :math:`x` in the same number of bits wherever :math:`x` is.
    The complex step has no cancellation, so any tiny step works; it uses :math:`10^{-20}\max(1, |x|)`.

    Introduced on :doc:`/book/part1-derivatives/02-derivative-as-limit`.
    """
    require_choice(method, "method", METHODS)
    xa = as_finite_array(x, "x")
    scale = np.maximum(1.0, np.abs(xa))
    if method == "complex":
        h = _COMPLEX_STEP * scale
    else:
        h = EPS ** _STEP_POWER[method] * scale
    return float(h) if h.ndim == 0 else h


def error_model(
    method: str,
    h: ArrayLike,
    *,
    f_size: float = 1.0,
    higher_derivative: float = 1.0,
) -> NDArray[np.float64]:
    r"""Predicted error of a difference quotient with step ``h``: truncation plus rounding.

    * forward: :math:`\tfrac{h}{2}|f''| + 2\varepsilon|f|/h`
    * central: :math:`\tfrac{h^2}{6}|f'''| + \varepsilon|f|/h`
    * complex: :math:`\tfrac{h^2}{6}|f'''| + \varepsilon|f'|` (no cancellation term)

    ``f_size`` is :math:`|f(x)|` (for the complex step, :math:`|f'(x)|`) and
    ``higher_derivative`` is :math:`|f''(x)|` (forward) or :math:`|f'''(x)|` (central, complex).
    Introduced on :doc:`/book/part1-derivatives/02-derivative-as-limit`.
    """
    require_choice(method, "method", METHODS)
    hs = as_finite_array(h, "h")
    if np.any(hs <= 0):
        raise ValueError("h must be positive")
    fs = abs(as_finite_scalar(f_size, "f_size"))
    d = abs(as_finite_scalar(higher_derivative, "higher_derivative"))
    if method == "forward":
        return hs / 2 * d + 2 * EPS * fs / hs
    if method == "central":
        return hs**2 / 6 * d + EPS * fs / hs
    return hs**2 / 6 * d + EPS * fs + 0 * hs


def model_best_step(method: str, *, f_size: float = 1.0, higher_derivative: float = 1.0) -> float:
    r"""The step that minimises :func:`error_model` for the forward or central difference.

    Setting the derivative of the modelled error to zero gives
    :math:`h^* = 2\sqrt{\varepsilon |f| / |f''|}` (forward) and
    :math:`h^* = \sqrt[3]{3\varepsilon |f| / |f'''|}` (central). The complex step has no
    best step (its error only falls as :math:`h` shrinks), so ``method="complex"`` is refused.

    Introduced on :doc:`/book/part1-derivatives/02-derivative-as-limit`.
    """
    require_choice(method, "method", METHODS[:2])
    fs = abs(as_finite_scalar(f_size, "f_size"))
    d = abs(as_finite_scalar(higher_derivative, "higher_derivative"))
    if fs == 0 or d == 0:
        raise ValueError("f_size and higher_derivative must be non-zero for a best step to exist")
    if method == "forward":
        return float(2 * np.sqrt(EPS * fs / d))
    return float(np.cbrt(3 * EPS * fs / d))


def _evaluate(f: Callable[..., Any], x: NDArray[Any], *, complex_input: bool = False) -> NDArray[Any]:
    """Call ``f`` on the array ``x`` (elementwise if ``f`` is not vectorised) and check the result."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            out = np.asarray(f(x))
        if out.shape != x.shape:
            raise _ShapeMismatch(out.shape)
    except _ShapeMismatch as exc:
        if x.ndim == 0:
            raise ValueError(
                f"f must return one number for one number, but returned shape {exc.shape}"
            ) from None
        out = _evaluate_elementwise(f, x, complex_input=complex_input, first_shape=exc.shape)
    except (TypeError, ValueError) as exc:
        if x.ndim == 0:
            if complex_input:
                raise ValueError(
                    "the complex step needs f to accept complex numbers, but f raised "
                    f"{type(exc).__name__}: {exc}. Use math-free numpy functions (np.sin, not "
                    "math.sin), or method='central'"
                ) from None
            raise
        out = _evaluate_elementwise(f, x, complex_input=complex_input, first_shape=None)
    if out.dtype.kind not in "iufcb":
        raise TypeError(f"f must return numbers, but returned an array of dtype {out.dtype}")
    if complex_input and out.dtype.kind != "c":
        raise ValueError(
            "the complex step needs f to be complex-safe, but f returned real numbers for complex "
            "input (it may use abs, .real or a comparison); use method='central'"
        )
    return out


class _ShapeMismatch(Exception):
    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__(shape)
        self.shape = shape


def _evaluate_elementwise(
    f: Callable[..., Any],
    x: NDArray[Any],
    *,
    complex_input: bool,
    first_shape: tuple[int, ...] | None,
) -> NDArray[Any]:
    values = []
    for xi in x.flat:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
                yi = np.asarray(f(complex(xi) if complex_input else float(xi)))
        except (TypeError, ValueError) as exc:
            if complex_input:
                raise ValueError(
                    "the complex step needs f to accept complex numbers, but f raised "
                    f"{type(exc).__name__}: {exc}; use method='central'"
                ) from None
            raise
        if yi.shape != ():
            shape = first_shape if first_shape is not None else yi.shape
            raise ValueError(
                "f must return one number per input number (an array of the same shape as x), "
                f"but for x of shape {x.shape} it returned shape {shape}"
            )
        values.append(yi)
    return np.array(values).reshape(x.shape)


def difference_quotient(f: Callable[..., Any], x: ArrayLike, h: ArrayLike) -> NDArray[np.float64] | float:
    r"""Rise over run between :math:`x` and :math:`x + h`: :math:`\bigl(f(x+h) - f(x)\bigr)/h`.

    The slope of the secant line; ``h`` may be negative but not zero. ``x`` and ``h`` broadcast.
    Introduced on :doc:`/book/part1-derivatives/01-rise-over-run`.
    """
    require_callable(f, "f")
    xa = as_finite_array(x, "x")
    ha = as_finite_array(h, "h")
    if np.any(ha == 0):
        raise ValueError("h must be non-zero (rise over a run of zero is undefined)")
    xa, ha = broadcast_pair(xa, "x", ha, "h")
    fx = _evaluate(f, xa)
    fxh = _evaluate(f, xa + ha)
    _require_finite_values(fx, xa, "f(x)")
    _require_finite_values(fxh, xa + ha, "f(x + h)")
    q = (fxh - fx) / ha
    return float(q) if q.ndim == 0 else q.astype(np.float64)


def _require_finite_values(values: NDArray[Any], where: NDArray[Any], label: str) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        first = np.asarray(where)[bad].flat[0] if np.ndim(where) else where
        raise ValueError(f"{label} is NaN or inf at x = {complex(first).real:.6g}; is x in f's domain?")


def derivative(
    f: Callable[..., Any],
    x: ArrayLike,
    method: str = "central",
    h: ArrayLike | None = None,
) -> NDArray[np.float64] | float:
    r"""Numerical derivative :math:`f'(x)` by a forward, central or complex-step difference.

    Parameters
    ----------
    f
        The function, mapping an array elementwise (a scalar-only function also works).
        For ``method="complex"`` it must accept complex input and be analytic near ``x``.
    x
        Where to differentiate: a number or an array of numbers (the result has its shape).
    method
        ``"forward"`` :math:`\frac{f(x+h)-f(x)}{h}`, ``"central"``
        :math:`\frac{f(x+h)-f(x-h)}{2h}` or ``"complex"`` :math:`\frac{\operatorname{Im} f(x+ih)}{h}`.
    h
        The step, positive; a number or an array that broadcasts with ``x``. ``None`` takes
        :func:`optimal_step` for each ``x``. The forward and central steps are rounded so
        that :math:`x + h` is exactly representable, which removes one rounding error.

    Returns
    -------
    A float for scalar ``x`` and ``h``, otherwise an array of the broadcast shape.

    Introduced on :doc:`/book/part1-derivatives/02-derivative-as-limit`.
    """
    require_callable(f, "f")
    require_choice(method, "method", METHODS)
    xa = as_finite_array(x, "x")
    if h is None:
        ha = np.asarray(optimal_step(method, xa), dtype=np.float64)
    else:
        ha = as_finite_array(h, "h")
        if np.any(ha <= 0):
            raise ValueError("h must be positive (the direction is set by the method)")
    xa, ha = broadcast_pair(xa, "x", ha, "h")

    if method == "complex":
        fz = _evaluate(f, xa + 1j * ha, complex_input=True)
        _require_finite_values(fz, xa, "f(x + ih)")
        d = fz.imag / ha
    else:
        hi = (xa + ha) - xa  # the step that was actually taken
        tiny = hi == 0
        if np.any(tiny):
            raise ValueError(
                f"h is too small for x: x + h == x (at x = {xa[tiny].flat[0]:.6g}); use a larger h"
            )
        if method == "forward":
            f1 = _evaluate(f, xa + hi)
            f0 = _evaluate(f, xa)
            _require_finite_values(f1, xa, "f(x + h)")
            _require_finite_values(f0, xa, "f(x)")
            d = (f1 - f0) / hi
        else:
            lo = xa - (xa - ha)
            f1 = _evaluate(f, xa + hi)
            f0 = _evaluate(f, xa - lo)
            _require_finite_values(f1, xa, "f(x + h)")
            _require_finite_values(f0, xa, "f(x - h)")
            d = (f1 - f0) / (hi + lo)
    if np.iscomplexobj(d):
        if np.any(d.imag != 0):
            raise ValueError("f returned complex values for real input; a derivative here must be real")
        d = d.real
    d = d.astype(np.float64)
    return float(d) if d.ndim == 0 else d


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
    n = as_int(points, "points", minimum=1)
    tol = as_finite_scalar(rtol, "rtol")
    if tol <= 0:
        raise ValueError("rtol must be positive")
    rng = np.random.default_rng(as_int(seed, "seed"))
    xs = np.sort(rng.uniform(lo, hi, n))
    numerical = np.asarray(derivative(f, xs), dtype=np.float64)
    yours = _evaluate(df, xs)
    if yours.dtype.kind == "c":
        raise ValueError("df returned complex numbers; a derivative of a real function is real")
    yours = yours.astype(np.float64)
    _require_finite_values(yours, xs, "df(x)")
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
