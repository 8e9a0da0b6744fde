"""Classifying a stationary point from the eigenvalues of its Hessian."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_finite_array, as_finite_scalar

__all__ = ["classify_stationary_point"]


def classify_stationary_point(H: ArrayLike, *, tol: float = 1e-8, atol: float = 1e-6) -> str:
    r"""Name a stationary point from its Hessian: ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"unknown"``.

    At a point where the gradient vanishes, the symmetric Hessian's eigenvalues are the
    curvatures along its principal directions. An eigenvalue counts as zero when
    :math:`|\lambda| \le \max(\text{tol}\cdot\max_k|\lambda_k|,\ \text{atol})`: the relative part
    allows for rounding, the absolute part for the error of a numerical Hessian, which is
    about :math:`10^{-8}`–:math:`10^{-6}` even when the true Hessian is 0 (pass ``atol=0`` for an exact
    Hessian of a function whose curvatures are that small). Then: eigenvalues of both signs
    (a zero one or not), a saddle; all positive, a minimum; all negative, a maximum; otherwise
    (some zero, the rest of one sign) the second-derivative test is ``"unknown"`` and higher
    derivatives decide. In two dimensions this is the test :math:`\det H > 0` (then the sign
    of :math:`H_{11}`) or :math:`\det H < 0` (saddle). ``H`` must be square; it is symmetrised
    first. Entries up to the largest float are handled (the matrix is scaled before its
    eigenvalues are found).

    Introduced on :doc:`/book/part2-multivariate/06-hessian`.
    """
    Ha = as_finite_array(H, "H", ndim=2)
    if Ha.shape[0] != Ha.shape[1]:
        raise ValueError(f"H must be square, got shape {Ha.shape}")
    tol = as_finite_scalar(tol, "tol")
    if tol < 0:
        raise ValueError("tol must be non-negative")
    atol = as_finite_scalar(atol, "atol")
    if atol < 0:
        raise ValueError("atol must be non-negative")
    big = float(np.max(np.abs(Ha)))
    if big == 0:
        return "unknown"
    scaled = Ha / big  # entries in [-1, 1]: no overflow below
    eig = np.linalg.eigvalsh(scaled / 2 + scaled.T / 2)  # eigenvalues of H, divided by big
    zero = np.abs(eig) <= max(tol * float(np.max(np.abs(eig))), atol / big)
    positive, negative = (eig > 0) & ~zero, (eig < 0) & ~zero
    if np.any(positive) and np.any(negative):
        return "saddle"
    if np.any(zero):
        return "unknown"
    return "minimum" if np.all(positive) else "maximum"
