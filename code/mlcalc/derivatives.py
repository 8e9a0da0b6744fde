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
    as_positive_scalar,
    as_seed,
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

#: The most random points a check draws (more is a typo, not a better check).
MAX_POINTS: int = 100_000


def optimal_step(method: str, x: ArrayLike = 0.0) -> NDArray[np.float64] | float:
    r"""The step :math:`h` that :func:`derivative` starts from when ``h=None``.

    Balancing the truncation error against the rounding error (:math:`2\varepsilon|f|/h` forward,
    :math:`\varepsilon|f|/h` central; see :func:`error_model`) gives
    :math:`h \approx \sqrt{\varepsilon}` for the forward difference and
    :math:`h \approx \sqrt[3]{\varepsilon}` for the central one, for a function whose value
    and derivatives are of size one. Both are scaled by :math:`\max(1, |x|)` so that
    :math:`x + h` differs from :math:`x` in the same number of bits wherever :math:`x` is.
    That scaling assumes ``f`` changes on the scale of :math:`|x|`, so where :math:`|x| > 1`
    :func:`derivative` checks the step and shrinks it (never below the unscaled one) if ``f``
    changes faster; for :math:`|x| \le 1` this is the step used.
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
    with np.errstate(over="ignore"):
        if method == "forward":
            out = hs / 2 * d + 2 * EPS * fs / hs
        elif method == "central":
            out = hs**2 / 6 * d + EPS * fs / hs
        else:
            out = hs**2 / 6 * d + EPS * fs + 0 * hs
    if not np.all(np.isfinite(out)):
        raise ValueError(
            "the modelled error overflows: h, f_size or higher_derivative is so extreme that the "
            "error is beyond the largest float"
        )
    return out


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
    with np.errstate(over="ignore", under="ignore"):
        out = float(2 * np.sqrt(EPS * fs / d)) if method == "forward" else float(np.cbrt(3 * EPS * fs / d))
    if not (np.isfinite(out) and out > 0):
        raise ValueError(
            f"f_size / higher_derivative = {fs:.3g} / {d:.3g} is too extreme: the best step is "
            "beyond the range of floats"
        )
    return out


def _evaluate(
    f: Callable[..., Any], x: NDArray[Any], *, complex_input: bool = False, name: str = "f"
) -> NDArray[Any]:
    """Call ``f`` on the array ``x`` (elementwise if ``f`` is not vectorised) and check the result.

    Returns float64 values (or complex128 for ``complex_input``); a real ``f`` that returns
    complex numbers with zero imaginary part, integers or unsigned integers is converted, one
    that returns anything else raises naming ``name``.
    """
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            out = np.asarray(f(x))
        if out.shape != x.shape:
            raise _ShapeMismatch(out.shape)
    except _ShapeMismatch as exc:
        if x.ndim == 0:
            raise ValueError(
                f"{name} must return one number for one number, but returned shape {exc.shape}"
            ) from None
        out = _evaluate_elementwise(f, x, complex_input=complex_input, first_shape=exc.shape, name=name)
    except (TypeError, ValueError) as exc:
        if x.ndim == 0:
            if complex_input:
                raise ValueError(
                    f"the complex step needs {name} to accept complex numbers, but {name} raised "
                    f"{type(exc).__name__}: {exc}. Use math-free numpy functions (np.sin, not "
                    "math.sin), or method='central'"
                ) from None
            raise
        out = _evaluate_elementwise(f, x, complex_input=complex_input, first_shape=None, name=name)
    if out.dtype == bool or out.dtype.kind not in "iufc":
        what = "None" if out.dtype.kind == "O" and out.ndim == 0 and out.item() is None else f"an array of dtype {out.dtype}"
        raise TypeError(f"{name} must return numbers, but returned {what}")
    if complex_input:
        if out.dtype.kind != "c":
            raise ValueError(
                f"the complex step needs {name} to be complex-safe, but {name} returned real numbers for "
                "complex input (it may use abs, .real or a comparison); use method='central'"
            )
        return out.astype(np.complex128, copy=False)
    if out.dtype.kind == "c":
        if np.any(out.imag != 0):
            raise ValueError(
                f"{name} returned complex values for real input; a derivative here must be real "
                "(is x outside the domain of a real function?)"
            )
        out = out.real
    return out.astype(np.float64, copy=False)  # integers and unsigned integers become floats


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
    name: str = "f",
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
                    f"the complex step needs {name} to accept complex numbers, but {name} raised "
                    f"{type(exc).__name__}: {exc}; use method='central'"
                ) from None
            raise
        if yi.shape != ():
            shape = first_shape if first_shape is not None else yi.shape
            raise ValueError(
                f"{name} must return one number per input number (an array of the same shape as x), "
                f"but for x of shape {x.shape} it returned shape {shape}"
            )
        values.append(yi)
    return np.array(values).reshape(x.shape)


def difference_quotient(f: Callable[..., Any], x: ArrayLike, h: ArrayLike) -> NDArray[np.float64] | float:
    r"""Rise over run between :math:`x` and :math:`x + h`: :math:`\bigl(f(x+h) - f(x)\bigr)/h`.

    The slope of the secant line; ``h`` may be negative but not zero. ``x`` and ``h`` broadcast.
    The run is the step actually taken, :math:`(x + h) - x` in floating point, which differs
    from ``h`` by rounding; a step so small that :math:`x + h = x` raises ``ValueError``.

    Introduced on :doc:`/book/part1-derivatives/01-rise-over-run`.
    """
    require_callable(f, "f")
    xa = as_finite_array(x, "x")
    ha = as_finite_array(h, "h")
    if np.any(ha == 0):
        raise ValueError("h must be non-zero (rise over a run of zero is undefined)")
    xa, ha = broadcast_pair(xa, "x", ha, "h")
    with np.errstate(over="ignore"):
        xh = xa + ha
    if not np.all(np.isfinite(xh)):
        raise ValueError(f"x + h overflows (at x = {xa[~np.isfinite(xh)].flat[0]:.6g}); use a smaller x or h")
    run = xh - xa  # the step actually taken
    if np.any(run == 0):
        raise ValueError(
            f"h is too small for x: x + h == x in floating point (at x = {xa[run == 0].flat[0]:.6g}); "
            "use a larger h"
        )
    fx = _evaluate(f, xa)
    fxh = _evaluate(f, xh)
    _require_finite_values(fx, xa, "f(x)")
    _require_finite_values(fxh, xh, "f(x + h)")
    with np.errstate(over="ignore", invalid="ignore"):
        q = (fxh - fx) / run
    _require_finite_result(q, xa, "the difference quotient")
    return float(q) if q.ndim == 0 else q


def _require_finite_values(values: NDArray[Any], where: NDArray[Any], label: str) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        first = np.asarray(where)[bad].flat[0] if np.ndim(where) else where
        raise ValueError(
            f"{label} is NaN or inf at x = {complex(first).real:.6g}: the function overflowed there, or the point "
            "is outside its domain"
        )


def _require_finite_result(values: NDArray[Any], where: NDArray[Any], label: str) -> None:
    bad = ~np.isfinite(values)
    if np.any(bad):
        first = np.asarray(where)[bad].flat[0] if np.ndim(where) else where
        raise ValueError(
            f"{label} overflowed at x = {complex(first).real:.6g}: f changes by more than the largest "
            "float (about 1.8e308) over the step; the derivative there is too large to represent"
        )


def _quotient(
    f: Callable[..., Any], xa: NDArray[np.float64], ha: NDArray[np.float64], method: str
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], NDArray[np.float64]]:
    """The forward or central quotient at steps ``ha``: ``(estimate, |f| nearby, values equal?, run)``.

    The steps are the ones actually taken, ``(x + h) - x`` and ``x - (x - h)``.
    """
    with np.errstate(over="ignore"):
        up_at, down_at = xa + ha, xa - ha
    if not (np.all(np.isfinite(up_at)) and np.all(np.isfinite(down_at))):
        raise ValueError("x ± h overflows (|x| is near the largest float); use a smaller x or h")
    hi = up_at - xa  # the step that was actually taken
    tiny = hi == 0
    if np.any(tiny):
        raise ValueError(
            f"h is too small for x: x + h == x (at x = {xa[tiny].flat[0]:.6g}); use a larger h"
        )
    f1 = _evaluate(f, up_at)
    _require_finite_values(f1, xa, "f(x + h)")
    if method == "forward":
        f0 = _evaluate(f, xa)
        _require_finite_values(f0, xa, "f(x)")
        run = hi
    else:
        lo = xa - down_at
        f0 = _evaluate(f, down_at)
        _require_finite_values(f0, xa, "f(x - h)")
        run = hi + lo
    with np.errstate(over="ignore", invalid="ignore"):
        d = (f1 - f0) / run
    _require_finite_result(d, xa, "the difference quotient")
    return d, np.maximum(np.abs(f1), np.abs(f0)), f1 == f0, run


def _refine_large_x(
    f: Callable[..., Any], xa: NDArray[np.float64], d: NDArray[np.float64],
    size: NDArray[np.float64], method: str,
) -> NDArray[np.float64]:
    r"""Shrink the default step where :math:`|x| > 1` if the truncation error says so.

    The default step :math:`h_0 = \varepsilon^{p}|x|` assumes that ``f`` changes on the scale
    of :math:`|x|`; ``sin`` at :math:`10^5` does not. Comparing the quotients at :math:`h` and
    :math:`h/2` measures the truncation error, hence the third (central) or second (forward)
    derivative, and :func:`model_best_step`'s formula turns it into a step. The step shrinks,
    never below the unscaled :math:`\varepsilon^{p}`, while the formula asks for less than a
    quarter of it.
    """
    big = np.flatnonzero(np.abs(xa) > 1.0)
    if big.size == 0:
        return d
    d = np.array(d, dtype=np.float64, ndmin=1).copy()
    flat_x = np.reshape(xa, -1)
    floor = EPS ** _STEP_POWER[method]
    xb = flat_x[big]
    db = d.reshape(-1)[big]
    sb = np.reshape(size, -1)[big]
    hb = floor * np.abs(xb)
    active = np.ones(big.size, dtype=bool)
    for _ in range(8):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        half, s2, _, _ = _quotient(f, xb[idx], hb[idx] / 2, method)
        change = np.abs(db[idx] - half)
        fsize = np.maximum(sb[idx], s2)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if method == "central":  # D(h) - D(h/2) = h^2 f'''/8
                higher = 8 * change / hb[idx] ** 2
                best = np.cbrt(3 * EPS * fsize / higher)
            else:  # D(h) - D(h/2) = h f''/4
                higher = 4 * change / hb[idx]
                best = 2 * np.sqrt(EPS * fsize / higher)
        best = np.where(np.isnan(best), np.inf, best)
        shrink = (best < hb[idx] / 4) & (hb[idx] > floor)
        active[idx[~shrink]] = False
        move = idx[shrink]
        if move.size == 0:
            break
        hb[move] = np.maximum(best[shrink], floor)
        db[move], sb[move], _, _ = _quotient(f, xb[move], hb[move], method)
    out = d.reshape(-1)
    out[big] = db
    _spot_check(f, xb, db, sb, hb, method)
    return out.reshape(np.shape(xa))


def _spot_check(
    f: Callable[..., Any], xb: NDArray[np.float64], db: NDArray[np.float64],
    sb: NDArray[np.float64], hb: NDArray[np.float64], method: str,
) -> None:
    """Where the step stayed far above the unscaled one and the spacing of floats, compare with a
    step 1000 times smaller: a function that changes faster than the step can resolve (``sin``
    at :math:`10^{300}`, where the floats are further apart than its period) disagrees grossly,
    and the number would be meaningless, so raise."""
    floor = EPS ** _STEP_POWER[method]
    room = np.flatnonzero((hb >= 1e6 * np.spacing(np.abs(xb))) & (hb > 1e3 * floor))
    if room.size == 0:
        return
    small = hb[room] * 1e-3
    spot, s2, _, run = _quotient(f, xb[room], small, method)
    noise = 8 * EPS * np.maximum(sb[room], s2) / run
    bad = np.abs(spot - db[room]) > 1e-2 * np.maximum(np.abs(spot), np.abs(db[room])) + 100 * noise
    if np.any(bad):
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"f changes faster than the default step can resolve at x = {xb[room][k]:.6g}: the quotients "
            f"at h = {hb[room][k]:.3g} and at h/1000 disagree ({db[room][k]:.6g} and {spot[k]:.6g}); "
            "pass a step h suited to f (near a huge x the floats may be too far apart for any step)"
        )



def _check_coinciding(
    f: Callable[..., Any], xa: NDArray[np.float64], size: NDArray[np.float64],
    same: NDArray[np.bool_], run: NDArray[np.float64], method: str,
) -> None:
    """Raise if ``f`` did not change over the step (quotient 0) where the default step sees a slope."""
    suspect = np.reshape(same & (size > 0), -1)
    if not np.any(suspect):
        return
    idx = np.flatnonzero(suspect)
    xs = np.reshape(xa, -1)[idx]
    h_ref = np.reshape(np.asarray(optimal_step(method, xs), dtype=np.float64), -1)
    ref, ref_size, _, ref_run = _quotient(f, xs, h_ref, method)
    noise = 4 * EPS * ref_size / ref_run
    wrong = (np.abs(ref) > noise) & (ref_run > np.reshape(run, -1)[idx])
    if np.any(wrong):
        k = int(np.flatnonzero(wrong)[0])
        raise ValueError(
            f"h is too small for f at x = {xs[k]:.6g}: f does not change over the step in floating point, "
            f"so the quotient is 0, but the default step sees a slope of about {ref[k]:.6g}; use a larger h"
        )


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
        :func:`optimal_step` for each ``x``. Where :math:`|x| > 1` that step assumes ``f``
        changes on the scale of :math:`|x|`, so it is checked (the quotient at :math:`h/2`
        measures the truncation error) and shrunk when ``f`` changes faster, never below the
        unscaled step. The forward and central steps are rounded so that :math:`x + h` is
        exactly representable, which removes one rounding error.

    Returns
    -------
    A float for scalar ``x`` and ``h``, otherwise an array of the broadcast shape.

    Raises ``ValueError`` when the number could not be trusted: ``f`` is NaN or inf near ``x``;
    the step is so small that :math:`x + h = x`, or that ``f`` does not change over it while
    a larger step sees a slope; the quotient overflows; or, for the complex step, ``f`` is
    not complex-safe and analytic at ``x`` (``np.sqrt`` at a negative ``x``, ``np.abs``).

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
        d = _complex_step(f, xa, ha)
    else:
        d, size, same, run = _quotient(f, xa, ha, method)
        if h is None:
            d = _refine_large_x(f, xa, d, size, method)
        _check_coinciding(f, xa, size, same, run, method)
    return float(d) if np.ndim(d) == 0 else d


def _complex_step(f: Callable[..., Any], xa: NDArray[np.float64], ha: NDArray[np.float64]) -> NDArray[np.float64]:
    tiny = float(np.finfo(np.float64).tiny)
    if np.any(ha < tiny):
        raise ValueError("h is too small for the complex step: it underflows (use h >= 1e-300)")
    fz = _evaluate(f, xa + 1j * ha, complex_input=True)
    _require_finite_values(fz, xa, "f(x + ih)")
    fx = _evaluate(f, xa)
    _require_finite_values(fx, xa, "f(x)")
    # For an f analytic at x, Im f(x + ih)/h = f'(x) - h^2 f^(3)(x)/6 + ...: doubling a tiny h
    # changes nothing but rounding. Near a kink or a branch point (np.sqrt at 0) it does.
    small = ha <= 1e-8 * np.maximum(1.0, np.abs(xa))
    if np.any(small):
        twice = _evaluate(f, xa[small] + 2j * ha[small], complex_input=True)
        d1, d2 = fz.imag[small] / ha[small], twice.imag / (2 * ha[small])
        bad = np.abs(d1 - d2) > 1e-6 * np.maximum(np.abs(d1), np.abs(d2)) + np.sqrt(ha[small])
        if np.any(bad):
            raise ValueError(
                f"the complex step needs f to be analytic at x, but at x = {xa[small][bad].flat[0]:.6g} "
                "the quotient changes with the step (a kink, a branch point, or x at the edge of f's "
                "domain); use method='central'"
            )
    lost = (np.abs(fz.imag) < tiny / EPS) & (fz.imag != 0)
    if np.any(lost):
        raise ValueError("h is too small for the complex step: Im f(x + ih) underflows; use a larger h")
    with np.errstate(over="ignore", invalid="ignore"):
        d = fz.imag / ha
    _require_finite_result(d, xa, "the complex-step quotient")
    return d.astype(np.float64)


def _second_opinions(
    f: Callable[..., Any], x: NDArray[np.float64]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Other estimates of ``f'(x)``, each with an estimate of its own error.

    The complex step (error taken as rounding only) if ``f`` allows it, then central differences
    over a ladder of steps from far below to far above the default, each with the error
    estimate ``|D(h) - D(h/2)| + 4 eps |f| / h`` (truncation plus rounding).
    """
    opinions = []
    try:
        z = np.asarray(derivative(f, x, method="complex"), dtype=np.float64).reshape(-1)
        opinions.append((z, 4 * EPS * np.abs(z)))
    except (ValueError, TypeError, ArithmeticError):
        pass
    base = EPS ** _STEP_POWER["central"] * np.maximum(1.0, np.abs(x))
    for k in range(-6, 17):
        h = base * 4.0**k
        try:
            d1, s1, _, r1 = _quotient(f, x, h, "central")
            d2, s2, _, _ = _quotient(f, x, h / 2, "central")
        except (ValueError, TypeError, ArithmeticError):
            continue
        error = np.abs(d1 - d2) + 4 * EPS * np.maximum(s1, s2) / r1
        opinions.append((d2, error))
    return opinions


def _confirm(
    f: Callable[..., Any], xs: NDArray[np.float64], yours: NDArray[np.float64],
    numerical: NDArray[np.float64], tolerance: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Re-examine the points where ``yours`` and ``numerical`` disagree.

    A point is cleared when some second estimate whose own error is within the tolerance agrees
    with ``yours``; its numerical value becomes that estimate. Elsewhere it stays as it was.
    """
    numerical = numerical.copy()
    bad = np.flatnonzero(np.abs(yours - numerical) > tolerance)
    opinions = _second_opinions(f, xs[bad])
    if not opinions:
        return numerical
    values = np.stack([v for v, _ in opinions])
    errors = np.stack([e for _, e in opinions])
    trusted = errors <= tolerance[bad]
    agrees = trusted & (np.abs(values - yours[bad]) <= tolerance[bad])
    for col, i in enumerate(bad):
        if np.any(agrees[:, col]):
            numerical[i] = values[int(np.argmax(agrees[:, col])), col]
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
