r"""Part 5 — optimisation: Newton–Raphson, gradient descent and Lagrange multipliers.

Split by idea:

* :mod:`mlcalc.optimise.roots`    - Newton–Raphson for one equation and for systems, and the
  measured order of convergence
* :mod:`mlcalc.optimise.descent`  - gradient descent with a fixed step size, and the quadratic bowl
* :mod:`mlcalc.optimise.lagrange` - constrained extremes: Newton's method on the Lagrangian's gradient

Every solver returns a result that says why it stopped (``status``) and whether it converged
(``converged``); a run that failed is never reported as an answer.
"""

from .descent import DescentResult, QuadraticBowl, gradient_descent, quadratic_bowl
from .lagrange import LagrangeResult, lagrange_solve, lagrangian_gradient
from .roots import STATUSES, NewtonResult, convergence_order, convergence_ratio, newton_raphson, newton_system

__all__ = [
    "STATUSES",
    "NewtonResult",
    "newton_raphson",
    "newton_system",
    "convergence_order",
    "convergence_ratio",
    "QuadraticBowl",
    "quadratic_bowl",
    "DescentResult",
    "gradient_descent",
    "LagrangeResult",
    "lagrangian_gradient",
    "lagrange_solve",
]
