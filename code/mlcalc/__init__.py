"""mlcalc: the code behind *Multivariate Calculus for Machine Learning*.

One module per part of the book:

* :mod:`mlcalc.derivatives`  - Part 1, derivatives of functions of one variable
* :mod:`mlcalc.multivariate` - Part 2, gradients, Jacobians and Hessians
* :mod:`mlcalc.sandpit`      - Parts 2 and 5, the Sandpit: landscapes, game, strategies, browser export
* :mod:`mlcalc.neural`       - Part 3, a small network trained by backpropagation
* :mod:`mlcalc.losses`       - Part 3, gradients of least squares, softmax, cross-entropy, logistic loss
* :mod:`mlcalc.autodiff`     - Part 3, automatic differentiation: reverse-mode Value, forward-mode Dual
* :mod:`mlcalc.taylor`       - Part 4, Taylor coefficients (Cauchy integral by FFT), polynomials, local models
* :mod:`mlcalc.taylor_explorer` - Part 4, the catalogue of functions and the Taylor explorer's data
* :mod:`mlcalc.optimise`     - Part 5, Newton-Raphson, gradient descent and Lagrange multipliers
* :mod:`mlcalc.regression`   - Part 6, Galton's heights, least-squares fits and the Gaussian
* :mod:`mlcalc.plotting`     - the book's figure style, shared by every page
"""

__version__ = "0.1.0"
