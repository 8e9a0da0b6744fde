"""The logistic sigmoid and its derivative, elementwise (Part 3)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array

__all__ = ["sigmoid", "sigmoid_derivative"]

Array = NDArray[np.float64]


def _sigmoid_raw(a: Array) -> Array:
    """Overwrite ``a`` with :math:`\\sigma(a) = 1/(1 + e^{-a})`; for ``a < -709`` the exponential
    overflows to ``inf`` and the result is the correct limit 0, so callers silence overflow."""
    np.negative(a, out=a)
    np.exp(a, out=a)
    np.add(a, 1.0, out=a)
    np.reciprocal(a, out=a)
    return a


def _sigmoid_inplace(a: Array) -> Array:
    """:func:`_sigmoid_raw` with the harmless overflow warning silenced."""
    with np.errstate(over="ignore"):
        return _sigmoid_raw(a)


def sigmoid(z: ArrayLike) -> Array | float:
    r"""The logistic sigmoid :math:`\sigma(z) = \dfrac{1}{1 + e^{-z}}`, elementwise.

    It squashes every real number into :math:`(0, 1)`: :math:`\sigma(0) = \tfrac12`,
    :math:`\sigma(z) \to 1` as :math:`z \to \infty` and :math:`\to 0` as :math:`z \to -\infty`.
    Computed as written, which is accurate to rounding in relative terms for every :math:`z`
    (for :math:`z < -709` the exponential overflows and the result is the correct limit 0).
    Returns a float for a number, else an array of ``z``'s shape.

    Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
    """
    za = np.array(as_finite_array(z, "z"), dtype=np.float64)
    out = _sigmoid_inplace(za)
    return float(out) if out.ndim == 0 else out


def sigmoid_derivative(z: ArrayLike) -> Array | float:
    r"""The derivative of the sigmoid, :math:`\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr)`.

    It is largest, :math:`\tfrac14`, at :math:`z = 0` and decays like :math:`e^{-|z|}`: a
    neuron whose input is far from zero barely changes when its weights do.

    Introduced on :doc:`/book/part3-neural-networks/02-neural-networks`.
    """
    s = np.asarray(sigmoid(z), dtype=np.float64)
    out = s * (1.0 - s)
    return float(out) if out.ndim == 0 else out

