r"""Simple linear regression: the straight line that minimises :math:`\chi^2`, in closed form.

For points :math:`(x_i, y_i)` with uncertainties :math:`\sigma_i` (all 1 when none are given) and
weights :math:`w_i = 1/\sigma_i^2`, the line :math:`y = mx + c` has

.. math:: \chi^2(m, c) = \sum_i w_i\,(y_i - m x_i - c)^2 .

Setting both partial derivatives to zero gives, with the weighted means
:math:`\bar x = \sum w_i x_i / \sum w_i` and :math:`\bar y = \sum w_i y_i / \sum w_i`,

.. math:: m = \frac{\sum_i w_i (x_i - \bar x)(y_i - \bar y)}{\sum_i w_i (x_i - \bar x)^2},
   \qquad c = \bar y - m\bar x .
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array

__all__ = ["LinearFit", "linear_fit", "as_xy_sigma"]


class LinearFit(NamedTuple):
    """The result of :func:`linear_fit`: slope and intercept first, so ``m, c, *_ = linear_fit(x, y)``.

    ``slope_error`` and ``intercept_error`` are standard errors; ``chi2`` is the minimum of
    :math:`\\chi^2`; ``residuals`` are :math:`y_i - (m x_i + c)`; ``correlation`` is Pearson's
    (weighted) :math:`r`.

    Introduced on :doc:`/book/part6-regression/01-linear-regression`.
    """

    slope: float
    intercept: float
    slope_error: float
    intercept_error: float
    chi2: float
    residuals: NDArray[np.float64]
    correlation: float


def as_xy_sigma(
    x: ArrayLike, y: ArrayLike, sigma: ArrayLike | None, n_parameters: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Check data for a fit: 1-D ``x`` and ``y`` of one length, at least ``n_parameters`` points,
    positive finite ``sigma`` (one number or one per point; ``None`` means all 1).

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    xa = as_finite_array(x, "x", ndim=1)
    ya = as_finite_array(y, "y", ndim=1)
    if xa.size != ya.size:
        raise ValueError(f"x and y must have the same length, got {xa.size} values of x and {ya.size} of y")
    if xa.size < n_parameters:
        raise ValueError(
            f"a fit of {n_parameters} parameters needs at least {n_parameters} points, got {xa.size}"
        )
    if sigma is None:
        sa = np.ones_like(xa)
    else:
        sa = as_finite_array(sigma, "sigma")
        if sa.ndim > 1 or (sa.ndim == 1 and sa.size != xa.size):
            raise ValueError(
                f"sigma must be one number or one uncertainty per point ({xa.size}), got shape {sa.shape}"
            )
        if np.any(sa <= 0):
            raise ValueError("sigma must be positive: every uncertainty must be greater than zero")
        sa = np.broadcast_to(sa, xa.shape).astype(np.float64)
    return xa, ya, sa


def linear_fit(x: ArrayLike, y: ArrayLike, sigma: ArrayLike | None = None) -> LinearFit:
    r"""Fit the straight line :math:`y = mx + c` by least squares, in closed form.

    Minimises :math:`\chi^2 = \sum_i (y_i - m x_i - c)^2/\sigma_i^2` with the formulas of the
    module docstring (the centred form, which loses no digits when :math:`x` is far from 0).

    Standard errors: with ``sigma`` given they are absolute,
    :math:`\operatorname{se}(m)^2 = 1/\sum_i w_i(x_i - \bar x)^2` and
    :math:`\operatorname{se}(c)^2 = 1/\sum_i w_i + \bar x^2\operatorname{se}(m)^2`; without it they
    are scaled by the residual variance :math:`\chi^2/(n - 2)` as in ``scipy.stats.linregress``
    (and are ``inf`` for two points, which leave no residual to estimate it from).

    Raises ``ValueError`` for lengths that differ, fewer than two points, or an ``x`` with no
    spread (all values equal: every slope is then as good as any other).

    Introduced on :doc:`/book/part6-regression/01-linear-regression`.
    """
    xa, ya, sa = as_xy_sigma(x, y, sigma, 2)
    w = 1.0 / sa**2
    sw = float(np.sum(w))
    xbar = float(np.sum(w * xa) / sw)
    ybar = float(np.sum(w * ya) / sw)
    dx, dy = xa - xbar, ya - ybar
    sxx = float(np.sum(w * dx * dx))
    if sxx <= (64 * np.finfo(float).eps * max(1.0, abs(xbar))) ** 2 * sw:
        raise ValueError(
            "x has no spread (all its values are equal, to rounding): the slope of a line through "
            "points stacked above one x is undefined"
        )
    sxy = float(np.sum(w * dx * dy))
    syy = float(np.sum(w * dy * dy))
    slope = sxy / sxx
    intercept = ybar - slope * xbar
    residuals = ya - (slope * xa + intercept)
    chi2 = float(np.sum(w * residuals**2))
    scale = 1.0
    if sigma is None:
        scale = chi2 / (xa.size - 2) if xa.size > 2 else math.inf
    slope_error = math.sqrt(scale / sxx)
    intercept_error = math.sqrt(scale * (1.0 / sw + xbar**2 / sxx))
    correlation = sxy / math.sqrt(sxx * syy) if syy > 0 else 0.0
    return LinearFit(slope, intercept, slope_error, intercept_error, chi2, residuals, correlation)

