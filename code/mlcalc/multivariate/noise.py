"""The error of a central difference of a noisy function, and the step that minimises it."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_finite_scalar, as_positive_scalar

__all__ = ["noise_error_model", "noise_optimal_step"]


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
