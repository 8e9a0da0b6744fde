r"""Constrained extremes by Lagrange multipliers: solve :math:`\nabla\mathcal L = \vec 0` by Newton's method.

For :math:`f:\R^n\to\R` and constraints :math:`\vec g(\vec x) = \vec 0` (:math:`m` of them), the
Lagrangian is :math:`\mathcal L(\vec x, \boldsymbol\lambda) = f(\vec x) - \boldsymbol\lambda^{\mathsf T}\vec g(\vec x)`
and its stationary points solve the :math:`n + m` equations

.. math:: \nabla f(\vec x) - J_{\vec g}(\vec x)^{\mathsf T}\boldsymbol\lambda = \vec 0, \qquad -\vec g(\vec x) = \vec 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_int, call_checked, require_callable
from ..multivariate import gradient, jacobian
from .roots import newton_system

__all__ = ["LagrangeResult", "lagrangian_gradient", "lagrange_solve"]


@dataclass(frozen=True)
class LagrangeResult:
    """A stationary point of the Lagrangian, found by Newton's method on :math:`\\nabla\\mathcal L = 0`.

    Attributes
    ----------
    x
        The point, shape ``(n,)``; a constrained stationary point only when ``converged``.
    multiplier
        :math:`\\boldsymbol\\lambda`, shape ``(m,)``.
    value
        :math:`f(\\vec x)`.
    status, converged, iterations, message
        As in :class:`mlcalc.optimise.NewtonResult` (of the Newton run on :math:`(\\vec x, \\boldsymbol\\lambda)`).
    history
        Every iterate of :math:`(\\vec x, \\boldsymbol\\lambda)`, shape ``(k + 1, n + m)``.
    evaluations
        Calls of :math:`\\nabla\\mathcal L` (each calls ``f``'s gradient and ``g``'s Jacobian once).

    Introduced on :doc:`/book/part5-optimisation/05-lagrange-multipliers`.
    """

    x: NDArray[np.float64]
    multiplier: NDArray[np.float64]
    value: float
    status: str
    converged: bool
    iterations: int
    history: NDArray[np.float64]
    evaluations: int
    message: str


def _constraints(g: Callable[..., Any], x: NDArray[np.float64]) -> NDArray[np.float64]:
    out = call_checked(g, x.copy(), "g")
    if out.ndim > 1:
        raise ValueError(f"g must return a number or a 1-D vector of constraint values, got shape {out.shape}")
    return np.atleast_1d(out)


def lagrangian_gradient(
    f: Callable[..., Any],
    g: Callable[..., Any],
    n: int,
    *,
    grad_f: Callable[..., Any] | None = None,
    jac_g: Callable[..., Any] | None = None,
) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    r"""The function :math:`(\vec x, \boldsymbol\lambda) \mapsto \nabla\mathcal L`, with :math:`\mathcal L = f - \boldsymbol\lambda^{\mathsf T}\vec g`.

    ``n`` is the number of variables. The returned function takes one vector
    :math:`\vec z = (\vec x, \boldsymbol\lambda)` of length :math:`n + m` (one multiplier per
    value of ``g``) and returns
    :math:`\bigl(\nabla f(\vec x) - J_{\vec g}(\vec x)^{\mathsf T}\boldsymbol\lambda,\ -\vec g(\vec x)\bigr)`,
    whose last :math:`m` entries are :math:`\partial\mathcal L/\partial\lambda_i = -g_i(\vec x)`.
    ``grad_f`` (shape ``(n,)``) and ``jac_g`` (shape ``(m, n)``) default to the numerical
    :func:`mlcalc.multivariate.gradient` and :func:`mlcalc.multivariate.jacobian`.

    Introduced on :doc:`/book/part5-optimisation/05-lagrange-multipliers`.
    """
    require_callable(f, "f")
    require_callable(g, "g")
    n_ = as_int(n, "n", minimum=1)
    if grad_f is not None:
        require_callable(grad_f, "grad_f")
    if jac_g is not None:
        require_callable(jac_g, "jac_g")

    def grad_L(z: ArrayLike) -> NDArray[np.float64]:
        za = as_finite_array(z, "z", ndim=1)
        x, lam = za[:n_], za[n_:]
        gx = _constraints(g, x)
        if za.size != n_ + gx.size:
            raise ValueError(
                f"z must hold n = {n_} coordinates and one multiplier per constraint ({gx.size}): "
                f"length {n_ + gx.size}, got {za.size}"
            )
        gf = call_checked(grad_f, x.copy(), "grad_f", shape=(n_,)) if grad_f is not None else gradient(f, x)
        Jg = (call_checked(jac_g, x.copy(), "jac_g", shape=(gx.size, n_)) if jac_g is not None
              else jacobian(g, x).reshape(gx.size, n_))
        return np.concatenate([gf - Jg.T @ lam, -gx])

    return grad_L


def lagrange_solve(
    f: Callable[..., Any],
    g: Callable[..., Any],
    x0: ArrayLike,
    multiplier0: ArrayLike | None = None,
    *,
    grad_f: Callable[..., Any] | None = None,
    jac_g: Callable[..., Any] | None = None,
    xtol: float = 1e-12,
    max_steps: int = 100,
) -> LagrangeResult:
    r"""A stationary point of :math:`f` on :math:`\vec g(\vec x) = \vec 0`: Newton's method on :math:`\nabla\mathcal L = \vec 0`.

    Parameters
    ----------
    f
        The function, of one vector of shape ``(n,)``, returning a number.
    g
        The constraint(s), returning a number or a vector of :math:`m < n` numbers; the
        feasible points are those where it is zero.
    x0, multiplier0
        The start; ``multiplier0`` (shape ``(m,)``) defaults to the least-squares solution of
        :math:`J_{\vec g}(\vec x_0)^{\mathsf T}\boldsymbol\lambda = \nabla f(\vec x_0)`, the multipliers
        that come closest to making the gradients parallel at the start.
    grad_f, jac_g
        Optional exact derivatives (see :func:`lagrangian_gradient`).
    xtol, max_steps
        Passed to :func:`mlcalc.optimise.newton_system`, which uses the numerical Jacobian of
        :math:`\nabla\mathcal L`.

    Returns
    -------
    A :class:`LagrangeResult`. Newton's method finds *a* stationary point of :math:`\mathcal L`
    near the start: a constrained maximum, minimum or neither. Which one depends on the start;
    compare :math:`f` at the points found.

    Introduced on :doc:`/book/part5-optimisation/05-lagrange-multipliers`.
    """
    require_callable(f, "f")
    require_callable(g, "g")
    x = np.array(as_finite_array(x0, "x0", ndim=1), dtype=np.float64)
    n = x.size
    m = _constraints(g, x).size
    if m >= n:
        raise ValueError(f"g must give fewer constraints than unknowns: g(x0) has {m} values, x0 has {n} entries")
    if multiplier0 is None:
        # the multipliers that best balance the gradients at the start: least squares on J_g^T lam = grad f
        gf = call_checked(grad_f, x.copy(), "grad_f", shape=(n,)) if grad_f is not None else gradient(f, x)
        Jg = (call_checked(jac_g, x.copy(), "jac_g", shape=(m, n)) if jac_g is not None
              else jacobian(g, x).reshape(m, n))
        lam = np.linalg.lstsq(Jg.T, gf, rcond=None)[0]
    else:
        lam = np.array(as_finite_array(multiplier0, "multiplier0", shape=(m,)))
    base = lagrangian_gradient(f, g, n, grad_f=grad_f, jac_g=jac_g)
    calls = 0

    def grad_L(z: NDArray[np.float64]) -> NDArray[np.float64]:
        nonlocal calls
        calls += 1
        return base(z)

    res = newton_system(grad_L, np.concatenate([x, lam]), xtol=xtol, max_steps=max_steps)
    xs, ls = res.x[:n], res.x[n:]
    value = float(call_checked(f, xs.copy(), "f", shape=()))
    return LagrangeResult(
        x=xs, multiplier=ls, value=value, status=res.status, converged=res.converged,
        iterations=res.iterations, history=res.history, evaluations=calls, message=res.message,
    )
