r"""Self-checks for the second assignment: the Gaussian's derivatives and one descent step.

Each check calls the reader's function at several points, compares it with the right answer
and prints what is right and, where something is wrong, where and by how much, naming the
common slips it recognises. A correct answer always passes: the reader's function may work on
arrays or on single numbers (it is then called point by point), and the tolerance allows for
rounding in any correct way of writing the formula.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._validate import require_callable
from .gaussian import gaussian, gaussian_derivatives, gaussian_step

__all__ = ["SelfCheck", "check_gaussian_derivatives", "check_descent_step"]

#: (mu, sigma) pairs where the derivatives are checked: the heights, the standard normal, others.
_PARAMS = ((69.2, 2.6), (0.0, 1.0), (-3.0, 0.5), (10.0, 4.0))
_RTOL = 1e-7


@dataclass(frozen=True)
class SelfCheck:
    """The result of a self-check: ``passed``, and ``lines``, the message it prints.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """

    name: str
    passed: bool
    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)


def _name(fn: Callable[..., Any], default: str) -> str:
    name = getattr(fn, "__name__", default)
    return default if name == "<lambda>" else name


def _evaluate(fn: Callable[..., Any], name: str, x: NDArray[np.float64], mu: float, sigma: float) -> NDArray[np.float64]:
    """Call ``fn(x, mu, sigma)`` on the array, or point by point if it only takes numbers."""
    try:
        with np.errstate(all="ignore"):
            out = np.asarray(fn(x.copy(), mu, sigma), dtype=float)
        if out.shape == x.shape:
            return out
    except (TypeError, ValueError):
        pass
    values = []
    for xi in x:
        try:
            with np.errstate(all="ignore"):
                v = np.asarray(fn(float(xi), mu, sigma), dtype=float)
        except Exception as exc:
            raise TypeError(
                f"calling {name}(x, mu, sigma) with x = {xi:.6g}, mu = {mu:g}, sigma = {sigma:g} raised "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if v.size != 1:
            raise ValueError(f"{name}(x, mu, sigma) must return one number per x, got shape {v.shape} for one x")
        values.append(float(v.reshape(())))
    return np.array(values)


def _diagnose_derivative(which: str, yours: NDArray[np.float64], right: NDArray[np.float64],
                         other: NDArray[np.float64], f: NDArray[np.float64],
                         x: NDArray[np.float64], mu: float, sigma: float) -> str | None:
    def same(a: NDArray[np.float64]) -> bool:
        return bool(np.allclose(yours, a, rtol=1e-6, atol=1e-9 * float(np.max(np.abs(a)) + 1e-300)))

    if same(-right):
        return "the sign is flipped: check the derivative of -(x - mu)^2, which is +2(x - mu) with respect to mu"
    if same(other):
        return "this is the other derivative: did you swap d/dmu and d/dsigma?"
    if which == "sigma" and same((x - mu) ** 2 / sigma**3 * f):
        return ("you differentiated the exponential but not the factor 1/sigma in front: "
                "the product rule adds -f/sigma")
    if which == "sigma" and same(-f / sigma):
        return "you differentiated only the factor 1/sigma in front: the exponential depends on sigma too"
    nonzero = np.abs(right) > 1e-3 * np.max(np.abs(right))
    ratio = yours[nonzero] / right[nonzero]
    if ratio.size and np.allclose(ratio, ratio[0], rtol=1e-6) and abs(ratio[0]) > 0:
        hint = f"yours is {ratio[0]:.6g} times the right value everywhere: a constant factor is off"
        if sigma != 1:
            for power in (1, -1, 2, -2):
                if np.isclose(ratio[0], sigma**power, rtol=1e-6):
                    name = "sigma" if power == 1 else f"sigma^{power}"
                    return f"{hint} ({ratio[0]:.6g} = {name}: a power of sigma is off)"
        return hint
    return None


def _hint_line(hint: str) -> str:
    """``   Hint: ...`` with one closing mark: a question keeps its question mark."""
    return f"   Hint: {hint}" + ("" if hint.endswith("?") else ".")


def _returned_none(fn: Callable[..., Any], x: float, mu: float, sigma: float) -> bool:
    """Whether ``fn`` returns None for one number (any error is left to the full check)."""
    try:
        with np.errstate(all="ignore"):
            return fn(x, mu, sigma) is None
    except Exception:
        return False


def check_gaussian_derivatives(
    dfdmu: Callable[..., Any], dfdsigma: Callable[..., Any], *, verbose: bool = True
) -> SelfCheck:
    r"""Check your :math:`\partial f/\partial\mu` and :math:`\partial f/\partial\sigma` of the Gaussian.

    Both are called as ``dfdmu(x, mu, sigma)`` with ``x`` an array (or one number at a time, if
    that fails), at 41 points of :math:`x` from :math:`\mu - 4\sigma` to :math:`\mu + 4\sigma` for
    four pairs :math:`(\mu, \sigma)`, and compared with the exact derivatives: a value passes when
    it is within :math:`10^{-7}` of the largest value at that :math:`(\mu, \sigma)`. Prints a
    message (unless ``verbose=False``) and returns a :class:`SelfCheck`.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    require_callable(dfdmu, "dfdmu")
    require_callable(dfdsigma, "dfdsigma")
    lines: list[str] = []
    passed = True
    for which, fn in (("mu", dfdmu), ("sigma", dfdsigma)):
        label = _name(fn, f"dfd{which}")
        failures = []
        if _returned_none(fn, 0.5, 0.0, 1.0):
            passed = False
            lines.append(f"✗ {label}: your function returned None: did you forget `return`?")
            continue
        for mu, sigma in _PARAMS:
            x = np.linspace(mu - 4 * sigma, mu + 4 * sigma, 41)
            right_mu, right_sigma = gaussian_derivatives(x, mu, sigma)
            right, other = (right_mu, right_sigma) if which == "mu" else (right_sigma, right_mu)
            yours = _evaluate(fn, label, x, mu, sigma)
            scale = float(np.max(np.abs(right)))
            bad = ~np.isfinite(yours) | (np.abs(yours - right) > _RTOL * scale)
            if np.any(bad):
                k = int(np.flatnonzero(bad)[np.argmax(np.nan_to_num(np.abs(yours - right)[bad], nan=np.inf))])
                hint = _diagnose_derivative(which, yours, right, other, gaussian(x, mu, sigma), x, mu, sigma)
                failures.append((mu, sigma, x[k], yours[k], right[k], int(bad.sum()), hint))
        if not failures:
            lines.append(f"✓ {label}: right at all {len(_PARAMS) * 41} points (four choices of mu and sigma).")
            continue
        passed = False
        lines.append(f"✗ {label}: wrong at {len(failures)} of the {len(_PARAMS)} choices of (mu, sigma).")
        for mu, sigma, xk, yk, rk, nbad, hint in failures[:2]:
            lines.append(f"   mu = {mu:g}, sigma = {sigma:g}: {nbad} of 41 points wrong; at x = {xk:.4g} yours is "
                         f"{yk:.6g} but it should be {rk:.6g}.")
            if hint:
                lines.append(_hint_line(hint))
    result = SelfCheck("check_gaussian_derivatives", passed, tuple(lines))
    if verbose:
        print(result)
    return result


def _check_data() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    rng = np.random.default_rng(6)
    x = np.arange(60.0, 79.0)
    y = gaussian(x, 69.0, 2.5) + 0.004 * rng.standard_normal(x.size)
    s = np.full(x.size, 0.004) + 0.002 * rng.random(x.size)
    return x, y, s


def check_descent_step(step: Callable[..., Any], *, verbose: bool = True) -> SelfCheck:
    r"""Check your one step of steepest descent on :math:`\chi^2` for the Gaussian.

    ``step(x, y, s, mu, sigma, eta)`` must return the new ``(mu, sigma)``. It is called on a
    small histogram-like data set at three starting points and step sizes, and compared with the
    right step: each new value passes when it is within :math:`10^{-7}` of the length of the
    right step (plus rounding of :math:`\mu` and :math:`\sigma` themselves). Prints a message
    (unless ``verbose=False``) and returns a :class:`SelfCheck`.

    Introduced on :doc:`/book/part6-regression/03-fitting-heights`.
    """
    require_callable(step, "step")
    label = _name(step, "step")
    x, y, s = _check_data()
    starts = ((67.0, 3.0, 1e-4), (70.5, 2.0, 5e-5), (69.0, 2.6, 2e-4))
    lines: list[str] = []
    passed = True
    for mu, sigma, eta in starts:
        try:
            raw = step(x.copy(), y.copy(), s.copy(), mu, sigma, eta)
        except Exception as exc:
            raise TypeError(f"calling {label}(x, y, s, mu, sigma, eta) raised {type(exc).__name__}: {exc}") from exc
        if raw is None:
            passed = False
            lines.append(f"✗ {label} returned None: did you forget `return mu_new, sigma_new`?")
            break
        out = np.asarray(raw, dtype=float).ravel() if not isinstance(raw, str) else np.array([])
        if out.size != 2:
            raise TypeError(f"{label} must return the new (mu, sigma), two numbers; got {raw!r:.80}")
        right = np.array(gaussian_step(x, y, s, mu, sigma, eta))
        start = np.array([mu, sigma])
        delta = right - start
        tol = _RTOL * np.linalg.norm(delta) + 1e-13 * np.abs(start)
        ok = np.isfinite(out) & (np.abs(out - right) <= tol)
        where = f"mu = {mu:g}, sigma = {sigma:g}, eta = {eta:g}"
        if ok.all():
            lines.append(f"✓ from {where}: your new (mu, sigma) = ({out[0]:.8g}, {out[1]:.8g}) is right.")
            continue
        passed = False
        wrong = " and ".join(n for n, good in zip(("mu", "sigma"), ok) if not good)
        lines.append(f"✗ from {where}: your new {wrong} {'are' if ok.sum() == 0 else 'is'} wrong. Yours ({out[0]:.8g}, {out[1]:.8g}), "
                     f"right ({right[0]:.8g}, {right[1]:.8g}).")
        yours_delta = out - start

        def like(d: NDArray[np.float64]) -> bool:
            return bool(np.allclose(yours_delta, d, rtol=1e-6, atol=1e-12 * np.linalg.norm(delta)))

        unweighted = np.array(gaussian_step(x, y, 1.0, mu, sigma, eta)) - start
        residual = y - gaussian(x, mu, sigma)
        over_s = 2 * eta * np.array([np.sum(residual / s * d) for d in gaussian_derivatives(x, mu, sigma)])
        hint = None
        if np.array_equal(out, start):
            hint = "your step leaves (mu, sigma) where they were: is the gradient still zero?"
        elif np.allclose(out, delta, rtol=1e-6):
            hint = "you returned the change (the step) instead of the new values mu + step, sigma + step"
        elif like(-delta):
            hint = "your step goes uphill: the step is minus eta times the gradient of chi-squared"
        elif like(delta / 2):
            hint = "your step is half the right one: differentiating the square (y - f)^2 brings a factor 2"
        elif like(2 * delta):
            hint = "your step is twice the right one: is the factor 2 there twice?"
        elif like(unweighted):
            hint = "you left out the uncertainties: each residual is divided by s_i squared"
        elif like(over_s):
            hint = "you divided each residual by s_i: chi-squared divides by s_i squared"
        elif like(delta / x.size):
            hint = (f"your step is 1/{x.size} of the right one, one over the number of bins: "
                    "the gradient is a sum over the bins, not a mean")
        elif np.allclose(out[::-1], right, rtol=1e-9):
            hint = "you returned (sigma, mu): return the new mu first"
        if hint:
            lines.append(_hint_line(hint))
    if passed:
        lines.append("All three steps are right.")
    result = SelfCheck("check_descent_step", passed, tuple(lines))
    if verbose:
        print(result)
    return result
