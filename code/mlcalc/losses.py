r"""Part 3 — the losses machine learning uses, and their gradients.

Least squares :math:`\lVert\mathbf y - X\boldsymbol\theta\rVert^2` with gradient
:math:`-2X^\top(\mathbf y - X\boldsymbol\theta)` and the normal equations
:math:`X^\top X\boldsymbol\theta = X^\top\mathbf y`; the softmax
:math:`p_k = e^{z_k}/\sum_j e^{z_j}` with Jacobian :math:`\operatorname{diag}(\mathbf p) -
\mathbf p\mathbf p^\top`; the cross-entropy :math:`-\sum_k y_k\ln p_k` whose gradient with
respect to the scores, through the softmax, is :math:`\mathbf p - \mathbf y`; and the logistic
loss of one sigmoid unit, with gradient :math:`\sigma(z) - y`.

Every function that exponentiates uses the numerically stable form: the log-sum-exp
:math:`\ln\sum_j e^{z_j} = m + \ln\sum_j e^{z_j - m}` with :math:`m = \max_j z_j`, and the
softplus :math:`\ln(1 + e^z) = \max(z, 0) + \ln(1 + e^{-|z|})`.

Scores and probabilities follow Part 3's layout: the classes run down axis 0 and the points,
if there are several, are the columns (shape ``(K,)`` for one point, ``(K, N)`` for N).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_finite_array, broadcast_pair

__all__ = [
    "log_sum_exp",
    "softmax",
    "softmax_jacobian",
    "cross_entropy",
    "softmax_cross_entropy",
    "softmax_cross_entropy_gradient",
    "softplus",
    "logistic_loss",
    "logistic_loss_gradient",
    "least_squares",
    "least_squares_gradient",
    "normal_equations",
]

Array = NDArray[np.float64]



def _scores(z: ArrayLike, name: str = "z") -> Array:
    za = as_finite_array(z, name)
    if za.ndim not in (1, 2):
        raise ValueError(f"{name} must have shape (K,) for one point or (K, N) for N points (one column each), got {za.shape}")
    return za


def _out(a: Array) -> Array | float:
    return float(a) if a.ndim == 0 else a


def log_sum_exp(z: ArrayLike) -> Array | float:
    r"""The log-sum-exp :math:`\ln\sum_k e^{z_k}` of scores ``z``, computed stably.

    With :math:`m = \max_k z_k`,

    .. math:: \ln\sum_k e^{z_k} = m + \ln\sum_k e^{z_k - m},

    where every exponent is at most 0, so nothing overflows and the largest term is exactly 1,
    so nothing underflows to :math:`\ln 0`. For ``z`` of shape ``(K,)`` returns a float, for
    ``(K, N)`` an array of the ``N`` column values. Its gradient is :func:`softmax`.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za = _scores(z)
    m = za.max(axis=0)
    return _out(m + np.log(np.sum(np.exp(za - m), axis=0)))


def softmax(z: ArrayLike) -> Array:
    r"""The softmax :math:`p_k = e^{z_k} / \sum_j e^{z_j}` of scores ``z`` (down axis 0), stably.

    Computed as :math:`e^{z_k - m}/\sum_j e^{z_j - m}` with :math:`m = \max_j z_j`, which is the
    same number (the factor :math:`e^{-m}` cancels) without overflow. The entries are positive
    and sum to 1 down each column. Returns an array of ``z``'s shape.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za = _scores(z)
    e = np.exp(za - za.max(axis=0))
    return e / e.sum(axis=0)


def softmax_jacobian(z: ArrayLike) -> Array:
    r"""The Jacobian :math:`\partial p_i/\partial z_j = p_i([i = j] - p_j)` of the softmax at one point.

    As a matrix, :math:`J = \operatorname{diag}(\mathbf p) - \mathbf p\mathbf p^\top`: symmetric,
    with rows that sum to 0 (adding a constant to every score changes nothing). ``z`` has shape
    ``(K,)``; returns ``(K, K)``.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za = as_finite_array(z, "z", ndim=1)
    p = softmax(za)
    return np.diag(p) - np.outer(p, p)


def _targets(y: ArrayLike, shape: tuple[int, ...], name: str = "y") -> Array:
    ya = as_finite_array(y, name)
    if ya.shape != shape:
        raise ValueError(f"{name} must have the shape of the scores/probabilities, {shape}, got {ya.shape}")
    if np.any(ya < 0):
        raise ValueError(f"{name} must be non-negative (a one-hot vector or a probability distribution)")
    sums = ya.sum(axis=0)
    if not np.allclose(sums, 1.0, rtol=0, atol=1e-9):
        raise ValueError(f"every column of {name} must sum to 1 (one-hot or a distribution); got sums {np.round(sums, 6)}")
    return ya


def _mean(per_point: Array) -> float:
    return float(np.mean(per_point))


def cross_entropy(p: ArrayLike, y: ArrayLike) -> float:
    r"""The cross-entropy :math:`-\sum_k y_k \ln p_k` of predicted probabilities ``p`` and targets ``y``.

    ``p`` and ``y`` have shape ``(K,)`` or ``(K, N)``; every column of each must be a
    distribution (non-negative, summing to 1; a one-hot ``y`` picks :math:`-\ln p_{\text{true}}`).
    For several points the result is the mean over the columns. A probability of exactly 0
    where :math:`y_k > 0` gives an infinite loss and raises ``ValueError``: use
    :func:`softmax_cross_entropy` on the scores instead, which never forms :math:`\ln 0`.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    pa = _scores(p, "p")
    pa = _targets(pa, pa.shape, "p")
    ya = _targets(y, pa.shape)
    if np.any((pa == 0) & (ya > 0)):
        raise ValueError("p is exactly 0 where y is positive, so the cross-entropy is infinite; "
                         "work from the scores with softmax_cross_entropy(z, y)")
    with np.errstate(divide="ignore"):
        terms = np.where(ya > 0, ya * np.log(np.where(ya > 0, pa, 1.0)), 0.0)
    return _mean(-terms.sum(axis=0))


def softmax_cross_entropy(z: ArrayLike, y: ArrayLike) -> float:
    r"""Cross-entropy of :math:`\operatorname{softmax}(\mathbf z)` against ``y``, straight from the scores.

    Since :math:`\ln p_k = z_k - \operatorname{LSE}(\mathbf z)` and :math:`\sum_k y_k = 1`,

    .. math:: -\sum_k y_k\ln p_k = \operatorname{LSE}(\mathbf z) - \mathbf y^\top\mathbf z,

    with the stable :func:`log_sum_exp`: finite for every finite ``z``. Mean over the columns
    for ``(K, N)`` input.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za = _scores(z)
    ya = _targets(y, za.shape)
    return _mean(np.asarray(log_sum_exp(za)) - np.sum(ya * za, axis=0))


def softmax_cross_entropy_gradient(z: ArrayLike, y: ArrayLike) -> Array:
    r"""The gradient of :func:`softmax_cross_entropy` with respect to the scores: :math:`\mathbf p - \mathbf y`.

    For ``(K, N)`` input each column is divided by :math:`N`, the gradient of the mean.
    Returns an array of ``z``'s shape.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za = _scores(z)
    ya = _targets(y, za.shape)
    n = 1 if za.ndim == 1 else za.shape[1]
    return (softmax(za) - ya) / n


def softplus(z: ArrayLike) -> Array | float:
    r"""The softplus :math:`\ln(1 + e^z)`, elementwise and stably: :math:`\max(z, 0) + \ln(1 + e^{-|z|})`.

    It equals :math:`-\ln\sigma(-z)`, and its derivative is the sigmoid :math:`\sigma(z)`.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za = as_finite_array(z, "z")
    return _out(np.maximum(za, 0.0) + np.log1p(np.exp(-np.abs(za))))


def _labels(z: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
    za = as_finite_array(z, "z")
    ya = as_finite_array(y, "y")
    if np.any((ya < 0) | (ya > 1)):
        raise ValueError("y must lie in [0, 1] (a label 0 or 1, or a probability)")
    return broadcast_pair(za, "z", ya, "y")


def logistic_loss(z: ArrayLike, y: ArrayLike) -> float:
    r"""The logistic loss of one sigmoid unit with weighted input ``z`` and label ``y`` in [0, 1].

    .. math:: L = -\bigl[y\ln\sigma(z) + (1 - y)\ln\bigl(1 - \sigma(z)\bigr)\bigr]
       = \ln\bigl(1 + e^{z}\bigr) - yz ,

    computed with the stable :func:`softplus`, so a confident wrong answer (:math:`z = -800`,
    :math:`y = 1`) costs 800, not :math:`-\ln 0`. Arrays are averaged after broadcasting.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za, ya = _labels(z, y)
    return _mean(np.asarray(softplus(za)) - ya * za)


def logistic_loss_gradient(z: ArrayLike, y: ArrayLike) -> Array | float:
    r"""The derivative :math:`\partial L/\partial z = \sigma(z) - y` of the logistic loss, elementwise.

    (Not divided by the number of points.) For the unit :math:`z = \mathbf w^\top\mathbf x + b`
    the chain rule then gives :math:`\nabla_{\mathbf w}L = (\sigma(z) - y)\,\mathbf x` and
    :math:`\partial L/\partial b = \sigma(z) - y`.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    za, ya = _labels(z, y)
    s = np.where(za >= 0, 1.0 / (1.0 + np.exp(-np.abs(za))), np.exp(-np.abs(za)) / (1.0 + np.exp(-np.abs(za))))
    return _out(s - ya)


def _design(theta: ArrayLike | None, X: ArrayLike, y: ArrayLike) -> tuple[Array | None, Array, Array]:
    Xa = as_finite_array(X, "X", ndim=2)
    ya = as_finite_array(y, "y", shape=(Xa.shape[0],))
    th = None if theta is None else as_finite_array(theta, "theta", shape=(Xa.shape[1],))
    return th, Xa, ya


def least_squares(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    r"""The sum of squared residuals :math:`\lVert\mathbf y - X\boldsymbol\theta\rVert^2`.

    ``X`` is the :math:`N\times n` design matrix (one row per data point), ``y`` has ``N``
    entries and ``theta`` ``n``.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    th, Xa, ya = _design(theta, X, y)
    r = ya - Xa @ th
    return float(r @ r)


def least_squares_gradient(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> Array:
    r"""The gradient :math:`\nabla_{\boldsymbol\theta}\lVert\mathbf y - X\boldsymbol\theta\rVert^2 = -2X^\top(\mathbf y - X\boldsymbol\theta)`.

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    th, Xa, ya = _design(theta, X, y)
    return -2.0 * Xa.T @ (ya - Xa @ th)


def normal_equations(X: ArrayLike, y: ArrayLike) -> Array:
    r"""The :math:`\boldsymbol\theta` where the least-squares gradient vanishes: :math:`X^\top X\boldsymbol\theta = X^\top\mathbf y`.

    Solves the :math:`n\times n` system directly. If the columns of ``X`` are linearly dependent
    (or nearly so), :math:`X^\top X` is singular and there is no unique minimiser: this raises
    ``ValueError`` rather than returning a meaningless answer. (Forming :math:`X^\top X` squares
    the condition number of ``X``; for ill-conditioned data use ``numpy.linalg.lstsq``.)

    Introduced on :doc:`/book/part3-neural-networks/05-loss-gradients`.
    """
    _, Xa, ya = _design(None, X, y)
    if Xa.shape[0] < Xa.shape[1]:
        raise ValueError(f"X has {Xa.shape[0]} rows (points) for {Xa.shape[1]} parameters: too few for a unique fit")
    A = Xa.T @ Xa
    cond = np.linalg.cond(A)
    if not np.isfinite(cond) or cond > 1e12:
        raise ValueError(f"X^T X is singular or nearly so (condition number {cond:.2g}): the columns of X are (nearly) dependent")
    return np.linalg.solve(A, Xa.T @ ya)
