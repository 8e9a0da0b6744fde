"""The heart curve: the training data of Part 3's network."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .._validate import as_finite_scalar, as_int

__all__ = ["HEART_X_RANGE", "HEART_Y_RANGE", "MAX_POINTS", "heart_curve"]

Array = NDArray[np.float64]

#: The most points :func:`heart_curve` makes (more is a typo, and would exhaust memory).
MAX_POINTS: int = 1_000_000


def _heart_y_max() -> float:
    # y(θ) = 13 cos θ − 5 cos 2θ − 2 cos 3θ − cos 4θ is a polynomial in c = cos θ:
    # y = −8c⁴ − 8c³ − 2c² + 19c + 4. Its maximum on [−1, 1] is at the real root of
    # y'(c) = −32c³ − 24c² − 4c + 19 (the only one; y(1) = 5 and y(−1) = −17 are smaller).
    roots = np.roots([-32.0, -24.0, -4.0, 19.0])
    c = float(min(roots, key=lambda r: abs(r.imag)).real)
    return float(np.polyval([-8.0, -8.0, -2.0, 19.0, 4.0], c))


#: The range of :math:`x = 16\sin^3\theta` over the closed curve.
HEART_X_RANGE: tuple[float, float] = (-16.0, 16.0)
#: The range of :math:`y = 13\cos\theta - 5\cos 2\theta - 2\cos 3\theta - \cos 4\theta`:
#: the minimum :math:`-17` at :math:`\theta = \pi`, the maximum (about 11.92) at the root
#: of a cubic in :math:`\cos\theta`.
HEART_Y_RANGE: tuple[float, float] = (-17.0, _heart_y_max())


def heart_curve(n: int, *, margin: float = 0.05) -> tuple[Array, Array]:
    r"""Training data for the heart: positions ``t`` of shape ``(1, n)`` and points ``(2, n)``.

    The positions are :math:`t_k = k/n`, :math:`k = 0, \dots, n-1`, evenly spread over
    :math:`[0, 1)`, and with :math:`\theta = 2\pi t` the curve is

    .. math:: x = 16\sin^3\theta, \qquad
       y = 13\cos\theta - 5\cos 2\theta - 2\cos 3\theta - \cos 4\theta .

    Each coordinate is then mapped by its own affine map from the curve's true range
    (:data:`HEART_X_RANGE` :math:`= [-16, 16]` and :data:`HEART_Y_RANGE`
    :math:`= [-17, 11.92\ldots]`) onto :math:`[m, 1 - m]` with :math:`m` = ``margin``, e.g.
    :math:`\tilde x = m + (1 - 2m)\,(x + 16)/32`. The margin keeps every target inside the
    open interval :math:`(0, 1)` that a sigmoid output can reach: with the default
    :math:`m = 0.05` the extreme targets need :math:`z = \pm 2.94`, not :math:`z = \pm\infty`.

    Introduced on :doc:`/book/part3-neural-networks/04-training-the-heart`.
    """
    count = as_int(n, "n", minimum=1, maximum=MAX_POINTS)
    m = as_finite_scalar(margin, "margin")
    if not 0.0 <= m < 0.5:
        raise ValueError(f"margin must be in [0, 0.5), got {m}")
    t = np.arange(count, dtype=np.float64).reshape(1, count) / count
    theta = 2.0 * np.pi * t[0]
    x = 16.0 * np.sin(theta) ** 3
    y = 13.0 * np.cos(theta) - 5.0 * np.cos(2 * theta) - 2.0 * np.cos(3 * theta) - np.cos(4 * theta)
    points = np.empty((2, count))
    for row, values, (lo, hi) in ((0, x, HEART_X_RANGE), (1, y, HEART_Y_RANGE)):
        points[row] = m + (1.0 - 2.0 * m) * (values - lo) / (hi - lo)
    return t, points

