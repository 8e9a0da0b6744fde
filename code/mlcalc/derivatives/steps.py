"""The three methods, their default steps, and the model of their error (truncation plus rounding)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_finite_scalar, require_choice

__all__ = ["METHODS", "EPS", "optimal_step", "error_model", "model_best_step"]


Method = Literal["forward", "central", "complex"]


#: The three finite-difference methods, in the order the book introduces them.
METHODS: tuple[str, ...] = ("forward", "central", "complex")


#: Machine epsilon of float64, the spacing of numbers near 1: :math:`2^{-52}`.
EPS: float = float(np.finfo(np.float64).eps)


_STEP_POWER = {"forward": 1 / 2, "central": 1 / 3}


_COMPLEX_STEP = 1e-20


#: Where :math:`|x|` exceeds this, the default step (scaled by :math:`|x|`) is checked against the
#: truncation error and shrunk if ``f`` changes faster. Below it the scaled step is at most 32
#: times the unscaled one, which costs a function of unit scale at most about :math:`10^{-8}`
#: of accuracy (central differences), so the step is used as it is.
CHECK_ABOVE: float = 32.0

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
    That scaling assumes ``f`` changes on the scale of :math:`|x|`, so where :math:`|x| > 32`
    (:data:`CHECK_ABOVE`) :func:`derivative` checks the step and shrinks it (never below the
    unscaled one) if ``f`` changes faster; for :math:`|x| \le 32` this is the step used.
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
