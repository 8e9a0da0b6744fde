r"""Gradient descent with a fixed step size, and the quadratic bowl it is studied on.

Gradient descent walks downhill: :math:`\vec x_{k+1} = \vec x_k - \eta\,\nabla f(\vec x_k)`.
On the bowl :math:`f(\vec x) = \tfrac12\vec x^{\mathsf T}A\vec x` (minimum at :math:`\vec 0`) the
step is :math:`\vec x_{k+1} = (I - \eta A)\vec x_k`: the component along an eigenvector of
:math:`A` with eigenvalue :math:`\lambda` is multiplied by :math:`1 - \eta\lambda` at every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import (
    as_finite_array,
    as_finite_scalar,
    as_int,
    as_positive_scalar,
    call_checked,
    require_callable,
)
from ..multivariate import gradient

__all__ = ["QuadraticBowl", "quadratic_bowl", "DescentResult", "gradient_descent"]


@dataclass(frozen=True)
class QuadraticBowl:
    r"""The bowl :math:`f(\vec x) = \tfrac12\vec x^{\mathsf T}A\vec x` for a symmetric positive definite ``A``.

    ``value(x)`` is :math:`f`, ``gradient(x)`` is :math:`\nabla f = A\vec x`; ``L`` and ``mu`` are
    the largest and smallest eigenvalues of ``A`` and ``kappa = L / mu`` its condition number.
    Make one with :func:`quadratic_bowl`.

    Introduced on :doc:`/book/part5-optimisation/03-gradient-descent`.
    """

    A: NDArray[np.float64]

    def value(self, x: ArrayLike) -> float:
        """:math:`\\tfrac12 \\vec x^{\\mathsf T} A \\vec x`."""
        v = as_finite_array(x, "x", shape=(self.A.shape[0],))
        return float(0.5 * v @ self.A @ v)

    def gradient(self, x: ArrayLike) -> NDArray[np.float64]:
        """:math:`A\\vec x`."""
        v = as_finite_array(x, "x", shape=(self.A.shape[0],))
        return self.A @ v

    @property
    def L(self) -> float:
        return float(np.linalg.eigvalsh(self.A)[-1])

    @property
    def mu(self) -> float:
        return float(np.linalg.eigvalsh(self.A)[0])

    @property
    def kappa(self) -> float:
        return self.L / self.mu


def quadratic_bowl(L: float, mu: float, angle: float = 0.0) -> QuadraticBowl:
    r"""A two-dimensional bowl with curvatures ``L`` and ``mu`` along axes turned by ``angle`` radians.

    :math:`A = R\,\operatorname{diag}(\mu, L)\,R^{\mathsf T}` with :math:`R` the rotation by
    ``angle``: ``mu`` is the curvature along :math:`(\cos\theta, \sin\theta)`, ``L`` across it.
    Both must be positive and ``L >= mu``.

    Introduced on :doc:`/book/part5-optimisation/03-gradient-descent`.
    """
    L_ = as_positive_scalar(L, "L")
    mu_ = as_positive_scalar(mu, "mu")
    if L_ < mu_:
        raise ValueError(f"L must be the larger curvature: got L = {L_} < mu = {mu_}")
    t = as_finite_scalar(angle, "angle")
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    A = R @ np.diag([mu_, L_]) @ R.T
    return QuadraticBowl(A=(A + A.T) / 2)


@dataclass(frozen=True)
class DescentResult:
    """What gradient descent did.

    Attributes
    ----------
    x
        The last iterate, shape ``(n,)``; a minimiser only when ``converged``.
    history
        Every iterate, ``x0`` first, shape ``(k + 1, n)``.
    values
        :math:`f` at every iterate, shape ``(k + 1,)``.
    status
        ``"converged"`` (the gradient's length fell to ``gtol``), ``"step limit"`` or
        ``"diverged"`` (a non-finite value, or an iterate farther than ``bound`` from ``x0``).
    converged
        ``status == "converged"``.
    iterations, gradient_evaluations
        Steps taken; calls of the gradient function.
    message
        One sentence saying what happened.

    Introduced on :doc:`/book/part5-optimisation/03-gradient-descent`.
    """

    x: NDArray[np.float64]
    history: NDArray[np.float64]
    values: NDArray[np.float64]
    status: str
    converged: bool
    iterations: int
    gradient_evaluations: int
    message: str


def gradient_descent(
    f: Callable[[NDArray[np.float64]], float],
    x0: ArrayLike,
    eta: float,
    *,
    grad: Callable[[NDArray[np.float64]], ArrayLike] | None = None,
    gtol: float = 1e-8,
    max_steps: int = 1000,
    bound: float = 1e8,
) -> DescentResult:
    r"""Minimise ``f`` by gradient descent with a fixed step size: :math:`\vec x_{k+1} = \vec x_k - \eta\nabla f(\vec x_k)`.

    Parameters
    ----------
    f
        The function to minimise, of one vector of shape ``(n,)``, returning a number.
    x0
        The start, shape ``(n,)``.
    eta
        The step size :math:`\eta > 0`.
    grad
        The gradient :math:`\nabla f`, returning shape ``(n,)``; ``None`` uses
        :func:`mlcalc.multivariate.gradient` (central differences).
    gtol
        Converged when :math:`\lVert\nabla f(\vec x_k)\rVert \le` ``gtol``.
    max_steps
        At most this many steps.
    bound
        Divergence when :math:`\lVert\vec x_k - \vec x_0\rVert > ` ``bound`` :math:`\cdot (1 + \lVert\vec x_0\rVert)`
        or a value is not finite.

    Introduced on :doc:`/book/part5-optimisation/03-gradient-descent`.
    """
    require_callable(f, "f")
    if grad is not None:
        require_callable(grad, "grad")
    x = np.array(as_finite_array(x0, "x0", ndim=1), dtype=np.float64)
    eta_ = as_positive_scalar(eta, "eta")
    gtol_ = as_positive_scalar(gtol, "gtol")
    steps = as_int(max_steps, "max_steps", minimum=1)
    bound_ = as_positive_scalar(bound, "bound") * (1.0 + float(np.linalg.norm(x)))
    n = x.size
    start = x.copy()
    history = [x.copy()]
    values = [float(call_checked(f, x.copy(), "f", shape=()))]
    calls = 0

    def done(status: str, message: str) -> DescentResult:
        return DescentResult(
            x=history[-1].copy(), history=np.array(history), values=np.array(values), status=status,
            converged=status == "converged", iterations=len(history) - 1, gradient_evaluations=calls,
            message=message,
        )

    for _ in range(steps):
        calls += 1
        g = call_checked(grad, x.copy(), "grad", shape=(n,)) if grad is not None else gradient(f, x)
        if float(np.linalg.norm(g)) <= gtol_:
            return done("converged", f"|grad f| <= {gtol_:.3g} after {len(history) - 1} steps")
        with np.errstate(all="ignore"):
            new = x - eta_ * g
        if not np.all(np.isfinite(new)) or np.linalg.norm(new - start) > bound_:
            return done("diverged", f"the iterates ran away (beyond {bound_:.3g} from x0) after {len(history) - 1} steps: eta = {eta_:.6g} is too large here")
        with np.errstate(all="ignore"):
            raw = f(new.copy())
        value = np.asarray(raw, dtype=float) if np.asarray(raw).dtype.kind in "iuf" else None
        if value is None or value.shape != ():
            call_checked(f, new.copy(), "f", shape=())  # raises the named error
        if not np.isfinite(float(value)):  # type: ignore[arg-type]
            return done("diverged", f"f is not finite after {len(history)} steps")
        x = new
        history.append(x.copy())
        values.append(float(value))  # type: ignore[arg-type]
    return done("step limit", f"no convergence in {steps} steps; |grad f| is still {float(np.linalg.norm(g)):.3g}")
