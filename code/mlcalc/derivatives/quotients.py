"""Difference quotients and the numerical derivative, with the checks that keep them honest."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, broadcast_pair, require_callable, require_choice
from .steps import CHECK_ABOVE, EPS, METHODS, _STEP_POWER, optimal_step

__all__ = ["difference_quotient", "derivative"]


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
    r"""Shrink the default step where :math:`|x| > 32` if the truncation error says so.

    The default step :math:`h_0 = \varepsilon^{p}|x|` assumes that ``f`` changes on the scale
    of :math:`|x|`; ``sin`` at :math:`10^5` does not. Comparing the quotients at :math:`h` and
    :math:`h/2` measures the truncation error, hence the third (central) or second (forward)
    derivative, and :func:`model_best_step`'s formula turns it into a step. The step shrinks,
    never below the unscaled :math:`\varepsilon^{p}`, while the formula asks for less than a
    quarter of it.
    """
    big = np.flatnonzero(np.abs(xa) > CHECK_ABOVE)
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
        :func:`optimal_step` for each ``x``. Where :math:`|x| > 32` that step assumes ``f``
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
    with np.errstate(over="ignore", invalid="ignore"):
        d = fz.imag / ha
    _require_finite_result(d, xa, "the complex-step quotient")
    return d.astype(np.float64)
