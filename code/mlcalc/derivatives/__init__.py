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

The package has one module per idea: :mod:`~mlcalc.derivatives.steps` (methods, steps, error
model), :mod:`~mlcalc.derivatives.quotients` (difference quotients and :func:`derivative`) and
:mod:`~mlcalc.derivatives.checks` (:func:`check_derivative`). Import everything from
``mlcalc.derivatives``.
"""

from __future__ import annotations

from .steps import CHECK_ABOVE, MAX_POINTS, METHODS, EPS, optimal_step, error_model, model_best_step
from .quotients import difference_quotient, derivative
from .checks import DerivativeCheck, check_derivative

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
    "MAX_POINTS",
    "CHECK_ABOVE",
]
