r"""General least squares: :math:`\chi^2` of a model, its gradient, and three ways down.

A model :math:`f(x;\boldsymbol\theta)` with :math:`p` parameters is given as two functions of the
data's ``x`` (shape ``(n,)``) and the parameters ``theta`` (shape ``(p,)``): ``model(x, theta)``
returns the :math:`n` values :math:`f(x_i;\boldsymbol\theta)` and ``jacobian(x, theta)`` the
:math:`n\times p` matrix :math:`J_{ij} = \partial f(x_i;\boldsymbol\theta)/\partial\theta_j`. With
residuals :math:`r_i = y_i - f(x_i;\boldsymbol\theta)` and :math:`W = \operatorname{diag}(1/\sigma_i^2)`,

.. math:: \chi^2 = \mathbf r^\top W\mathbf r, \qquad \nabla\chi^2 = -2\,J^\top W\mathbf r .

:func:`steepest_descent` steps :math:`\Delta\boldsymbol\theta = -\eta\nabla\chi^2`;
:func:`gauss_newton` takes the Newton step of the quadratic model of :math:`\chi^2` whose Hessian
is :math:`2J^\top WJ`, :math:`\Delta\boldsymbol\theta = (J^\top WJ)^{-1}J^\top W\mathbf r`; and
:func:`levenberg_marquardt` damps it, :math:`(J^\top WJ + \lambda\operatorname{diag}J^\top WJ)
\Delta\boldsymbol\theta = J^\top W\mathbf r`, raising :math:`\lambda` when a step fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_int, as_positive_scalar, require_callable
from .linear import as_xy_sigma

__all__ = [
    "FitResult",
    "chi_squared",
    "chi_squared_gradient",
    "steepest_descent",
    "gauss_newton",
    "levenberg_marquardt",
    "line",
    "line_jacobian",
    "exponential_decay",
    "exponential_decay_jacobian",
]

Model = Callable[[NDArray[np.float64], NDArray[np.float64]], Any]


@dataclass(frozen=True)
class FitResult:
    """The result of an iterative fit.

    ``theta`` are the final parameters and ``chi2`` their :math:`\\chi^2`; ``history`` holds the
    parameters after each step (row 0 is the start) and ``chi2_history`` their :math:`\\chi^2`;
    ``n_steps`` is the number of steps taken, ``n_model`` and ``n_jacobian`` the evaluations of
    the model and its Jacobian; ``converged`` says whether the stopping test was met, and
    ``message`` says why the fit stopped.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """

    theta: NDArray[np.float64]
    chi2: float
    n_steps: int
    converged: bool
    message: str
    history: NDArray[np.float64] = field(repr=False)
    chi2_history: NDArray[np.float64] = field(repr=False)
    n_model: int = 0
    n_jacobian: int = 0


def _call(fn: Model, x: NDArray[np.float64], theta: NDArray[np.float64], name: str, shape: tuple[int, ...]) -> NDArray[np.float64]:
    try:
        with np.errstate(all="ignore"):
            raw = fn(x, theta.copy())
    except (TypeError, IndexError, ValueError) as exc:
        raise TypeError(
            f"calling {name}(x, theta) with theta = {np.array2string(theta, precision=6)} raised "
            f"{type(exc).__name__}: {exc}. {name} is called with the data's x (shape {x.shape}) and "
            f"the parameters theta (shape {theta.shape})"
        ) from exc
    out = np.asarray(raw)
    if out.shape != shape:
        raise ValueError(f"{name}(x, theta) must return shape {shape}, got {out.shape}")
    if out.dtype.kind not in "iuf":
        raise TypeError(f"{name}(x, theta) must return real numbers, got dtype {out.dtype}")
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"{name}(x, theta) returned NaN or inf at theta = {np.array2string(theta, precision=6)}"
        )
    return out.astype(np.float64, copy=False)


def _setup(model: Any, jacobian: Any, theta: ArrayLike, x: ArrayLike, y: ArrayLike, sigma: Any) -> tuple[Any, ...]:
    require_callable(model, "model")
    if jacobian is not None:
        require_callable(jacobian, "jacobian")
    th = np.array(as_finite_array(theta, "theta", ndim=1), dtype=np.float64)
    xa, ya, sa = as_xy_sigma(x, y, sigma, th.size)
    return th, xa, ya, 1.0 / sa**2


def chi_squared(model: Model, theta: ArrayLike, x: ArrayLike, y: ArrayLike, sigma: ArrayLike | None = None) -> float:
    r""":math:`\chi^2 = \sum_i \bigl(y_i - f(x_i;\boldsymbol\theta)\bigr)^2/\sigma_i^2` (all :math:`\sigma_i = 1` by default).

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    th, xa, ya, w = _setup(model, None, theta, x, y, sigma)
    r = ya - _call(model, xa, th, "model", xa.shape)
    return float(np.sum(w * r * r))


def chi_squared_gradient(
    model: Model, jacobian: Model, theta: ArrayLike, x: ArrayLike, y: ArrayLike, sigma: ArrayLike | None = None
) -> NDArray[np.float64]:
    r"""The gradient :math:`\nabla\chi^2 = -2J^\top W\mathbf r`, a vector of shape ``(p,)``.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    th, xa, ya, w = _setup(model, jacobian, theta, x, y, sigma)
    r = ya - _call(model, xa, th, "model", xa.shape)
    J = _call(jacobian, xa, th, "jacobian", (xa.size, th.size))
    return -2.0 * J.T @ (w * r)


def _result(history: list[NDArray[np.float64]], chi2s: list[float], converged: bool, message: str,
            n_model: int, n_jacobian: int) -> FitResult:
    return FitResult(
        theta=history[-1].copy(),
        chi2=chi2s[-1],
        n_steps=len(history) - 1,
        converged=converged,
        message=message,
        history=np.array(history),
        chi2_history=np.array(chi2s),
        n_model=n_model,
        n_jacobian=n_jacobian,
    )


def _small(step: NDArray[np.float64], theta: NDArray[np.float64], xtol: float) -> bool:
    return bool(np.linalg.norm(step) <= xtol * (np.linalg.norm(theta) + xtol))


def steepest_descent(
    model: Model,
    jacobian: Model,
    theta0: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    sigma: ArrayLike | None = None,
    *,
    eta: float,
    max_steps: int = 10_000,
    xtol: float = 1e-10,
) -> FitResult:
    r"""Steepest descent on :math:`\chi^2`: :math:`\boldsymbol\theta \leftarrow \boldsymbol\theta - \eta\nabla\chi^2`.

    Stops when a step is shorter than ``xtol`` times the length of :math:`\boldsymbol\theta`
    (converged), after ``max_steps`` steps (not converged), or when :math:`\chi^2` grows beyond
    :math:`10^{12}` times its start or the model overflows (diverged: the message says to take a
    smaller ``eta``). The history records every step.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    th, xa, ya, w = _setup(model, jacobian, theta0, x, y, sigma)
    step_size = as_positive_scalar(eta, "eta")
    steps = as_int(max_steps, "max_steps", minimum=0)
    tol = as_positive_scalar(xtol, "xtol")
    r = ya - _call(model, xa, th, "model", xa.shape)
    history, chi2s = [th.copy()], [float(np.sum(w * r * r))]
    n_model, n_jac = 1, 0
    for _ in range(steps):
        J = _call(jacobian, xa, th, "jacobian", (xa.size, th.size))
        n_jac += 1
        delta = step_size * 2.0 * (J.T @ (w * r))
        th = th + delta
        with np.errstate(all="ignore"):
            raw = np.asarray(model(xa, th.copy()), dtype=float)
        n_model += 1
        if raw.shape != xa.shape:
            _call(model, xa, th, "model", xa.shape)  # raises, naming what is wrong
        chi2 = float(np.sum(w * (ya - raw) ** 2))
        if not np.isfinite(chi2) or chi2 > 1e12 * max(chi2s[0], 1e-300):
            return _result(history, chi2s, False,
                           f"diverged after {len(history)} steps: chi2 grew from {chi2s[0]:.4g} to {chi2:.4g}; "
                           f"take a smaller eta than {step_size:g}", n_model, n_jac)
        r = ya - raw
        history.append(th.copy())
        chi2s.append(chi2)
        if _small(delta, th, tol):
            return _result(history, chi2s, True, f"converged after {len(history) - 1} steps", n_model, n_jac)
    return _result(history, chi2s, False, f"stopped after max_steps = {steps} steps, not converged", n_model, n_jac)


def _newton_like(
    model: Model, jacobian: Model, theta0: ArrayLike, x: ArrayLike, y: ArrayLike, sigma: Any,
    max_steps: int, xtol: float, damping: float | None,
) -> FitResult:
    th, xa, ya, w = _setup(model, jacobian, theta0, x, y, sigma)
    steps = as_int(max_steps, "max_steps", minimum=0)
    tol = as_positive_scalar(xtol, "xtol")
    lam = damping
    r = ya - _call(model, xa, th, "model", xa.shape)
    chi2 = float(np.sum(w * r * r))
    history, chi2s = [th.copy()], [chi2]
    n_model, n_jac = 1, 0
    for _ in range(steps):
        J = _call(jacobian, xa, th, "jacobian", (xa.size, th.size))
        n_jac += 1
        A = J.T @ (w[:, None] * J)
        g = J.T @ (w * r)
        while True:
            M = A if lam is None else A + lam * np.diag(np.diag(A))
            try:
                delta = np.linalg.solve(M, g)
            except np.linalg.LinAlgError:
                return _result(history, chi2s, False,
                               f"J^T W J is singular at theta = {np.array2string(th, precision=4)}: the data do not "
                               "determine every parameter there (if theta has run far from the start, the steps "
                               "diverged: start nearer the minimum or use levenberg_marquardt)", n_model, n_jac)
            trial = th + delta
            with np.errstate(all="ignore"):
                raw = np.asarray(model(xa, trial.copy()), dtype=float)
            n_model += 1
            new = float(np.sum(w * (ya - raw) ** 2)) if raw.shape == xa.shape else np.inf
            if lam is None or (np.isfinite(new) and new <= chi2):
                break
            lam *= 10.0  # Levenberg-Marquardt: a failed step raises the damping
            if lam > 1e16 or _small(delta, th, tol):
                return _result(history, chi2s, True,
                               f"converged after {len(history) - 1} steps (no smaller chi2 nearby)", n_model, n_jac)
        if not np.isfinite(new):
            return _result(history, chi2s, False,
                           f"diverged after {len(history)} steps: the model overflowed; start nearer the minimum "
                           "or use levenberg_marquardt", n_model, n_jac)
        if lam is not None:
            lam = max(lam / 10.0, 1e-12)
        th, r, chi2 = trial, ya - raw, new
        history.append(th.copy())
        chi2s.append(chi2)
        if _small(delta, th, tol):
            return _result(history, chi2s, True, f"converged after {len(history) - 1} steps", n_model, n_jac)
    return _result(history, chi2s, False, f"stopped after max_steps = {steps} steps, not converged", n_model, n_jac)


def gauss_newton(
    model: Model, jacobian: Model, theta0: ArrayLike, x: ArrayLike, y: ArrayLike,
    sigma: ArrayLike | None = None, *, max_steps: int = 100, xtol: float = 1e-10,
) -> FitResult:
    r"""Gauss–Newton: repeat the Newton step of the quadratic model of :math:`\chi^2`.

    Each step solves :math:`J^\top WJ\,\Delta\boldsymbol\theta = J^\top W\mathbf r`. Stops as
    :func:`steepest_descent` does; a singular :math:`J^\top WJ` or an overflowing model stops it
    with ``converged=False`` and a message.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    return _newton_like(model, jacobian, theta0, x, y, sigma, max_steps, xtol, None)


def levenberg_marquardt(
    model: Model, jacobian: Model, theta0: ArrayLike, x: ArrayLike, y: ArrayLike,
    sigma: ArrayLike | None = None, *, damping: float = 1e-3, max_steps: int = 100, xtol: float = 1e-10,
) -> FitResult:
    r"""Levenberg–Marquardt: Gauss–Newton steps damped by :math:`\lambda` (``damping`` at the start).

    Each step solves :math:`(J^\top WJ + \lambda\operatorname{diag}J^\top WJ)\Delta\boldsymbol\theta
    = J^\top W\mathbf r`. A step that would raise :math:`\chi^2` is refused and :math:`\lambda`
    multiplied by 10 (a shorter step, turned towards steepest descent); an accepted step divides
    :math:`\lambda` by 10 (towards Gauss–Newton).

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    return _newton_like(model, jacobian, theta0, x, y, sigma, max_steps, xtol, as_positive_scalar(damping, "damping"))


def line(x: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""The straight line :math:`f(x; m, c) = mx + c`, ``theta = (m, c)``.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    return theta[0] * np.asarray(x, dtype=float) + theta[1]


def line_jacobian(x: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""The line's Jacobian: row :math:`i` is :math:`(x_i, 1)`.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    xa = np.asarray(x, dtype=float)
    return np.column_stack([xa, np.ones_like(xa)])


def exponential_decay(x: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""The decay :math:`f(x; A, \tau) = A e^{-x/\tau}`, ``theta = (A, tau)``.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    return theta[0] * np.exp(-np.asarray(x, dtype=float) / theta[1])


def exponential_decay_jacobian(x: NDArray[np.float64], theta: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""Its Jacobian: row :math:`i` is :math:`\bigl(e^{-x_i/\tau},\ A x_i e^{-x_i/\tau}/\tau^2\bigr)`.

    Introduced on :doc:`/book/part6-regression/02-least-squares`.
    """
    xa = np.asarray(x, dtype=float)
    e = np.exp(-xa / theta[1])
    return np.column_stack([e, theta[0] * xa * e / theta[1] ** 2])
