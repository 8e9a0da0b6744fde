r"""The Gaussian (normal) density, its two partial derivatives, and one step down its :math:`\chi^2`.

.. math:: f(x;\mu,\sigma) = \frac{1}{\sigma\sqrt{2\pi}}\exp\Bigl(-\frac{(x-\mu)^2}{2\sigma^2}\Bigr),
   \qquad
   \frac{\partial f}{\partial\mu} = \frac{x-\mu}{\sigma^2}\,f,
   \qquad
   \frac{\partial f}{\partial\sigma} = \Bigl(\frac{(x-\mu)^2}{\sigma^3} - \frac1\sigma\Bigr)f .

The derivatives are the answer to the second assignment
(:doc:`/book/part6-regression/03-fitting-heights`); the pages never show this module's source.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_finite_scalar, as_positive_scalar
from .linear import as_xy_sigma

__all__ = [
    "gaussian",
    "gaussian_derivatives",
    "gaussian_model",
    "gaussian_jacobian",
    "gaussian_step",
    "gaussian_chi_squared_grid",
]

_ROOT_TWO_PI = float(np.sqrt(2 * np.pi))


def _params(mu: Any, sigma: Any) -> tuple[float, float]:
    return as_finite_scalar(mu, "mu"), as_positive_scalar(sigma, "sigma")


def gaussian(x: ArrayLike, mu: float, sigma: float) -> NDArray[np.float64]:
    r"""The normal density :math:`f(x;\mu,\sigma)` at each ``x`` (``sigma`` > 0).

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    xa = as_finite_array(x, "x")
    m, s = _params(mu, sigma)
    return np.exp(-((xa - m) ** 2) / (2 * s * s)) / (s * _ROOT_TWO_PI)


def gaussian_derivatives(x: ArrayLike, mu: float, sigma: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""The partial derivatives :math:`(\partial f/\partial\mu,\ \partial f/\partial\sigma)` at each ``x``.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    xa = as_finite_array(x, "x")
    m, s = _params(mu, sigma)
    f = np.exp(-((xa - m) ** 2) / (2 * s * s)) / (s * _ROOT_TWO_PI)
    u = xa - m
    return u / s**2 * f, (u * u / s**3 - 1 / s) * f


def gaussian_model(x: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""The Gaussian as a model for :func:`~mlcalc.regression.steepest_descent`, ``theta = (mu, sigma)``.

    No input checks (it is called at every step); ``sigma`` must stay positive.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    m, s = float(theta[0]), float(theta[1])
    return np.exp(-((x - m) ** 2) / (2 * s * s)) / (s * _ROOT_TWO_PI)


def gaussian_jacobian(x: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""The model's :math:`n\times 2` Jacobian, columns :math:`\partial f/\partial\mu` and :math:`\partial f/\partial\sigma`.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    m, s = float(theta[0]), float(theta[1])
    f = np.exp(-((x - m) ** 2) / (2 * s * s)) / (s * _ROOT_TWO_PI)
    u = x - m
    return np.column_stack([u / s**2 * f, (u * u / s**3 - 1 / s) * f])


def gaussian_step(
    x: ArrayLike, y: ArrayLike, s: ArrayLike, mu: float, sigma: float, eta: float
) -> tuple[float, float]:
    r"""One step of steepest descent on :math:`\chi^2` for the Gaussian, returning the new :math:`(\mu, \sigma)`.

    With :math:`r_i = y_i - f(x_i;\mu,\sigma)` and uncertainties :math:`s_i`,

    .. math:: \mu \leftarrow \mu + 2\eta\sum_i \frac{r_i}{s_i^2}\frac{\partial f}{\partial\mu}(x_i), \qquad
       \sigma \leftarrow \sigma + 2\eta\sum_i \frac{r_i}{s_i^2}\frac{\partial f}{\partial\sigma}(x_i) .

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    xa, ya, sa = as_xy_sigma(x, y, s, 2)
    m, sg = _params(mu, sigma)
    step = as_positive_scalar(eta, "eta")
    r = (ya - gaussian(xa, m, sg)) / sa**2
    dmu, dsig = gaussian_derivatives(xa, m, sg)
    return m + 2 * step * float(np.sum(r * dmu)), sg + 2 * step * float(np.sum(r * dsig))


def gaussian_chi_squared_grid(
    x: ArrayLike, y: ArrayLike, s: ArrayLike, mu: ArrayLike, sigma: ArrayLike
) -> NDArray[np.float64]:
    r""":math:`\chi^2(\mu, \sigma)` of the Gaussian on a grid: entry ``[j, k]`` is at ``(mu[k], sigma[j])``.

    The layout of ``numpy.meshgrid(mu, sigma)``, ready for ``contour``.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    xa, ya, sa = as_xy_sigma(x, y, s, 2)
    ms = as_finite_array(mu, "mu", ndim=1)
    ss = as_finite_array(sigma, "sigma", ndim=1)
    if np.any(ss <= 0):
        raise ValueError("sigma must be positive everywhere on the grid")
    if ms.size * ss.size * xa.size > 50_000_000:
        raise ValueError(f"a grid of {ss.size} x {ms.size} points over {xa.size} data points is too large")
    M, S = np.meshgrid(ms, ss)
    f = np.exp(-((xa - M[..., None]) ** 2) / (2 * S[..., None] ** 2)) / (S[..., None] * _ROOT_TWO_PI)
    return np.sum(((ya - f) / sa) ** 2, axis=-1)
