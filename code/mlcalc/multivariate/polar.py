"""The polar-to-Cartesian map, the book's example of a map from R^2 to R^2."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, broadcast_pair

__all__ = ["polar_to_cartesian"]


def polar_to_cartesian(r: ArrayLike, theta: ArrayLike) -> NDArray[np.float64]:
    r"""Map polar coordinates to Cartesian ones: :math:`(x, y) = (r\cos\theta,\ r\sin\theta)`.

    ``r`` and ``theta`` (radians) broadcast; the result has shape ``(2, *broadcast_shape)``, so
    ``x, y = polar_to_cartesian(r, theta)`` unpacks it and, for a point ``q = (r, theta)``,
    ``jacobian(lambda q: polar_to_cartesian(*q), q)`` is the ``(2, 2)`` Jacobian
    :math:`\begin{pmatrix}\cos\theta & -r\sin\theta\\ \sin\theta & r\cos\theta\end{pmatrix}`,
    whose determinant is :math:`r`. Any real ``r`` is accepted (a negative radius points the
    other way).

    Introduced on :doc:`/book/part2-multivariate/04-jacobian-vector`.
    """
    ra = as_finite_array(r, "r")
    ta = as_finite_array(theta, "theta")
    ra, ta = broadcast_pair(ra, "r", ta, "theta")
    return np.stack([ra * np.cos(ta), ra * np.sin(ta)])
