r"""Part 2 — gradients, Jacobians and Hessians of functions of several variables, numerically.

A function :math:`f:\R^n\to\R^m` has, at a point :math:`\vec x`, an :math:`m\times n` matrix of
partial derivatives, the Jacobian :math:`J_{ij} = \partial f_i/\partial x_j`. This module finds
it by central differences, one coordinate at a time:

.. math:: \frac{\partial f}{\partial x_j}(\vec x) \approx
   \frac{f(\vec x + h_j\vec e_j) - f(\vec x - h_j\vec e_j)}{2h_j},
   \qquad h_j = \varepsilon^{1/3}\max(1, |x_j|),

and the Hessian :math:`H_{ij} = \partial^2 f/\partial x_i\partial x_j` of a scalar function by
central second differences with :math:`h_j = \varepsilon^{1/4}\max(1, |x_j|)` (a second
difference divides by :math:`h^2`, so rounding error :math:`\varepsilon|f|/h^2` balances truncation
:math:`h^2|f''''|` at :math:`h\sim\varepsilon^{1/4}`). The steps balance
truncation against rounding exactly as on :doc:`/book/part1-derivatives/02-derivative-as-limit`;
each is rounded so that :math:`x_j \pm h_j` is a float, and the quotient divides by the step
actually taken. On smooth functions of moderate scale the error is about :math:`10^{-10}`–:math:`10^{-8}`
of the largest entry for gradients and Jacobians and about :math:`10^{-8}`–:math:`10^{-6}` for Hessians.

Every function takes ``f`` as a function of one vector ``x`` of shape ``(n,)``, as in the
book: ``f = lambda x: x[0]**2 * x[1]``. The check functions :func:`check_jacobian` and
:func:`check_hessian` compare a Jacobian or Hessian you derived by hand with the numerical one.

The package has one module per idea: :mod:`~mlcalc.multivariate.differences` (gradient,
Jacobian, total derivative), :mod:`~mlcalc.multivariate.second` (Hessian),
:mod:`~mlcalc.multivariate.stationary`, :mod:`~mlcalc.multivariate.polar`,
:mod:`~mlcalc.multivariate.noise` and :mod:`~mlcalc.multivariate.checks`. Import everything
from ``mlcalc.multivariate``.
"""

from __future__ import annotations

from .differences import first_step, gradient, jacobian, total_derivative
from .second import hessian
from .polar import polar_to_cartesian
from .stationary import classify_stationary_point
from .noise import noise_error_model, noise_optimal_step
from .checks import MatrixCheck, check_jacobian, check_hessian

__all__ = [
    "first_step",
    "gradient",
    "jacobian",
    "hessian",
    "total_derivative",
    "polar_to_cartesian",
    "classify_stationary_point",
    "noise_error_model",
    "noise_optimal_step",
    "MatrixCheck",
    "check_jacobian",
    "check_hessian",
]
