"""mlcalc: the code behind *Multivariate Calculus for Machine Learning*.

One module per part of the book:

* :mod:`mlcalc.derivatives`  - Part 1, derivatives of functions of one variable
* :mod:`mlcalc.multivariate` - Part 2, gradients, Jacobians and Hessians
* :mod:`mlcalc.sandpit`      - Parts 2 and 5, the Sandpit: landscapes, game, strategies, browser export
* :mod:`mlcalc.neural`       - Part 3, a small network trained by backpropagation
* :mod:`mlcalc.plotting`     - the book's figure style, shared by every page
"""

__version__ = "0.1.0"
