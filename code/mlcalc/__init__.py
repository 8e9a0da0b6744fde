"""mlcalc: the code behind *Multivariate Calculus for Machine Learning*.

One module per part of the book:

* :mod:`mlcalc.derivatives`  - Part 1, derivatives of functions of one variable
* :mod:`mlcalc.multivariate` - Part 2, gradients, Jacobians and Hessians
* :mod:`mlcalc.sandpit`      - Part 2, the Sandpit game's landscapes
* :mod:`mlcalc.neural`       - Part 3, a small network trained by backpropagation
* :mod:`mlcalc.taylor`       - Part 4, Taylor coefficients (Cauchy integral by FFT), polynomials, local models
* :mod:`mlcalc.taylor_explorer` - Part 4, the catalogue of functions and the Taylor explorer's data
* :mod:`mlcalc.plotting`     - the book's figure style, shared by every page
"""

__version__ = "0.1.0"
