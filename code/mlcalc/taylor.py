r"""Part 4 — Taylor series: coefficients, polynomials, remainders and local models.

The Taylor series of :math:`f` at :math:`a` is

.. math:: f(x) = \sum_{k=0}^{\infty} c_k (x - a)^k, \qquad c_k = \frac{f^{(k)}(a)}{k!},

wherever it converges. :func:`taylor_coefficients` computes the :math:`c_k` without
differentiating at all: for an :math:`f` that accepts complex numbers, Cauchy's integral
formula on a circle of radius :math:`r` around :math:`a`,

.. math:: c_k = \frac{1}{2\pi i}\oint_{|z-a|=r} \frac{f(z)}{(z-a)^{k+1}}\,dz
          = \frac{1}{2\pi r^k}\int_0^{2\pi} f(a + re^{i\theta})\,e^{-ik\theta}\,d\theta,

is evaluated with the trapezoidal rule at :math:`N` equally spaced angles, which is one fast
Fourier transform (Fornberg 1981). The radius matters (Bornemann 2011): rounding errors of
size :math:`\varepsilon \max|f|` are divided by :math:`r^k`, so high orders want large
circles, but the circle must not reach a singularity of :math:`f`. Several circles are
tried and each coefficient is taken from the one with the smallest estimated error.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_finite_array, as_finite_scalar, as_int, require_callable
from .multivariate import gradient, hessian

__all__ = [
    "MAX_ORDER",
    "SAMPLES",
    "taylor_coefficients",
    "coefficient_errors",
    "TaylorPolynomial",
    "taylor_polynomial",
    "lagrange_bound",
    "loglog_slope",
    "LocalModel",
    "local_model",
]

EPS = float(np.finfo(float).eps)

#: The highest order :func:`taylor_coefficients` accepts.
MAX_ORDER: int = 60

#: Points on each circle (the FFT length): aliasing falls like :math:`(r/\rho)^{N}`.
SAMPLES: int = 512

_RADIUS_STEPS = 2.0 ** np.arange(-10.0, 6.01, 0.25)
_MIN_RELATIVE_RADIUS = 2.0**-30  # a circle must be much larger than the rounding of a itself


def _sample(f: Callable[..., Any], z: NDArray[np.complex128]) -> NDArray[np.complex128] | None:
    """``f`` on the points ``z``; ``None`` if a value is not finite. Raises if ``f`` is not complex-safe."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            out = np.asarray(f(z))
    except (TypeError, ValueError) as exc:
        raise TypeError(
            "f must accept an array of complex numbers (use np.exp, np.sin, np.log1p, ..., not "
            f"math.exp or abs), but f raised {type(exc).__name__}: {exc}"
        ) from None
    if out.dtype.kind not in "iufc":
        raise TypeError(f"f must return numbers, but returned an array of dtype {out.dtype}")
    if out.shape != z.shape:
        raise ValueError(
            f"f must return one value per input (shape {z.shape}), but returned shape {out.shape}"
        )
    if out.dtype.kind != "c":
        raise TypeError(
            "f must accept complex numbers and return complex values, but it returned real "
            "numbers for complex input (it may use abs, .real or a comparison, which have no "
            "Taylor series in the complex plane)"
        )
    if not np.all(np.isfinite(out)):
        return None
    return out.astype(np.complex128, copy=False)


def _circle(
    f: Callable[..., Any], a: float, r: float, n: int, samples: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool, float] | None:
    """Coefficients from one circle, their estimated errors, whether the circle is clean, and
    the aliasing level (the Fourier coefficients near N/2) relative to max |f| on the circle.

    Returns ``None`` when ``f`` is not finite on the circle. "Clean" means no singularity on or
    inside the circle: then the negative-frequency Fourier coefficients are only aliasing, which
    is smallest next to frequency 0 and largest at :math:`N/2`, or rounding noise of the same
    size everywhere; a singularity inside makes them largest next to 0 (a pole's principal part
    falls off geometrically, a branch cut crossing like :math:`1/m`).
    """
    theta = 2 * np.pi * np.arange(samples) / samples
    values = _sample(f, a + r * np.exp(1j * theta))
    if values is None:
        return None
    b = np.fft.fft(values) / samples
    size = float(np.max(np.abs(values)))
    low = float(np.max(np.abs(b[-4:])))
    mid = float(np.max(np.abs(b[samples // 2 - 4 : samples // 2 + 4])))
    clean = not (low > 1e3 * EPS * size and low > 16 * mid)
    k = np.arange(n + 1)
    scale = r ** (-k.astype(float))
    coeffs = b[: n + 1] * scale
    errors = (8 * EPS * size + mid) * scale
    return coeffs.real, np.maximum(errors, np.abs(coeffs.imag)), clean, mid / size if size > 0 else 0.0


def _coefficients(
    f: Callable[..., Any], a: Any, n: Any, radius: Any, samples: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    require_callable(f, "f")
    a_ = as_finite_scalar(a, "a")
    n_ = as_int(n, "n", minimum=0)
    if n_ > MAX_ORDER:
        raise ValueError(f"n must be at most {MAX_ORDER} (float64 cannot hold more useful digits), got {n_}")
    m = as_int(samples, "samples", minimum=8)
    if m < 2 * (n_ + 1) or m > 2**16:
        raise ValueError(f"samples must lie between 2(n + 1) = {2 * (n_ + 1)} and 65536, got {m}")
    if radius is not None:
        r = as_finite_scalar(radius, "radius")
        if r <= 0:
            raise ValueError(f"radius must be positive, got {r}")
        got = _circle(f, a_, r, n_, m)
        if got is None or not got[2]:
            raise ValueError(
                f"the circle of radius = {r:g} around a = {a_:g} crosses or encloses a singularity "
                f"of f ({'f is not finite on it' if got is None else 'f is not analytic inside it'}); "
                "choose a smaller radius, or radius=None to let the circle be chosen"
            )
        if got[3] > 1e-8:
            raise ValueError(
                f"the circle of radius = {r:g} around a = {a_:g} reaches, or nearly reaches, a "
                f"singularity of f: the Fourier coefficients of f on it do not decay (aliasing "
                f"{got[3]:.1e} relative to max|f|); choose a smaller radius, or radius=None"
            )
        return got[0], got[1]
    best = np.full(n_ + 1, np.inf)
    coeffs = np.zeros(n_ + 1)
    radii = _RADIUS_STEPS[_RADIUS_STEPS >= _MIN_RELATIVE_RADIUS * abs(a_)]
    if radii.size == 0:
        raise ValueError(f"a = {a_:g} is too large: no circle around it is resolved in float64")
    for r in radii:
        got = _circle(f, a_, float(r), n_, m)
        if got is None or not got[2]:
            break
        c, err = got[0], got[1]
        better = err < best
        best[better], coeffs[better] = err[better], c[better]
    if not np.all(np.isfinite(best)):
        r0 = float(radii[0])
        raise ValueError(
            f"f has no Taylor series at a = {a_:g}: it is not finite or not analytic on the "
            f"smallest circle tried (radius {r0:.2g} around a); is a a singularity of f?"
        )
    return coeffs, best


def taylor_coefficients(
    f: Callable[..., Any], a: float, n: int, *, radius: float | None = None, samples: int = SAMPLES
) -> NDArray[np.float64]:
    r"""The Taylor coefficients :math:`c_0, \dots, c_n` of ``f`` at ``a``, :math:`c_k = f^{(k)}(a)/k!`.

    By Cauchy's integral on circles around ``a``, evaluated by the FFT (see the module's
    docstring): :math:`c_k \approx r^{-k}\,\frac1N\sum_{j=0}^{N-1} f(a + r\omega^j)\,\omega^{-jk}`
    with :math:`\omega = e^{2\pi i/N}`. ``f`` must accept an array of complex numbers and be
    analytic near ``a`` (built from ``np.exp``, ``np.sin``, ``np.log1p``, powers, quotients...)
    and real on the real axis (the real parts of the coefficients are returned).
    With ``radius=None`` circles of radius :math:`2^{j/4}`, :math:`-40 \le j \le 24` (but
    at least :math:`2^{-30}|a|`), are tried from small to large, until one meets or encloses a
    singularity (detected from the negative-frequency Fourier coefficients, or non-finite
    values); each :math:`c_k` comes from the circle with the
    smallest error estimate :math:`(8\varepsilon\max|f| + \text{aliasing})/r^k`. With a
    ``radius``, only that circle is used, and a ``ValueError`` says if it crosses or encloses a
    singularity. Returns a float array of shape ``(n + 1,)``.

    Introduced on :doc:`/book/part4-taylor/02-taylor-coefficients`.
    """
    return _coefficients(f, a, n, radius, samples)[0]


def coefficient_errors(
    f: Callable[..., Any], a: float, n: int, *, radius: float | None = None, samples: int = SAMPLES
) -> NDArray[np.float64]:
    r"""The error estimates that go with :func:`taylor_coefficients` (same arguments).

    Entry :math:`k` bounds :math:`|\hat c_k - c_k|` in the model of the module docstring:
    rounding :math:`8\varepsilon\max_{\text{circle}}|f|/r^k` plus the aliasing seen at
    frequency :math:`N/2`, divided by :math:`r^k`.

    Introduced on :doc:`/book/part4-taylor/02-taylor-coefficients`.
    """
    return _coefficients(f, a, n, radius, samples)[1]


@dataclass(frozen=True)
class TaylorPolynomial:
    r"""The polynomial :math:`p_n(x) = \sum_{k=0}^{n} c_k (x-a)^k`, callable on arrays.

    Made by :func:`taylor_polynomial`; ``coefficients`` are :math:`c_0, \dots, c_n` and
    ``a`` the expansion point. Evaluated by Horner's rule in :math:`x - a`.

    Introduced on :doc:`/book/part4-taylor/01-approximating-functions`.
    """

    coefficients: NDArray[np.float64]
    a: float

    @property
    def order(self) -> int:
        """The order :math:`n`: the highest power of :math:`x - a`."""
        return int(self.coefficients.size - 1)

    def __call__(self, x: ArrayLike) -> NDArray[np.float64] | float:
        xa = as_finite_array(x, "x", allow_empty=True)
        t = xa - self.a
        out = np.full_like(t, self.coefficients[-1])
        for c in self.coefficients[-2::-1]:
            out = out * t + c
        return float(out) if out.ndim == 0 else out

    def terms(self, x: ArrayLike) -> NDArray[np.float64]:
        r"""The separate terms :math:`c_k(x-a)^k`, shape ``(n + 1, *x.shape)``."""
        xa = as_finite_array(x, "x", allow_empty=True)
        k = np.arange(self.coefficients.size).reshape((-1,) + (1,) * xa.ndim)
        return self.coefficients.reshape(k.shape) * (xa - self.a) ** k


def taylor_polynomial(
    f: Callable[..., Any] | ArrayLike, a: float, n: int | None = None
) -> TaylorPolynomial:
    r"""The Taylor polynomial of order ``n`` of ``f`` at ``a``, as a vectorised callable.

    Two ways to call it:

    - ``taylor_polynomial(f, a, n)`` with a complex-safe function ``f`` (such as ``np.exp``):
      the coefficients :math:`c_0, \dots, c_n` come from :func:`taylor_coefficients`;
    - ``taylor_polynomial(coefficients, a)`` with an array of coefficients
      :math:`c_0, \dots, c_n` you already have (leave out ``n``: the order is
      ``len(coefficients) - 1``).

    The result ``p`` is called on numbers or arrays: ``p(x)`` is
    :math:`\sum_{k \le n} c_k (x - a)^k`; ``p.coefficients``, ``p.a`` and ``p.order`` say what it is.

    Introduced on :doc:`/book/part4-taylor/01-approximating-functions`.
    """
    a_ = as_finite_scalar(a, "a")
    if callable(f):
        if n is None:
            raise TypeError("n (the order) is needed when f is a function")
        return TaylorPolynomial(taylor_coefficients(f, a_, n), a_)
    if n is not None:
        raise TypeError("pass n only with a function f; with coefficients the order is len(f) - 1")
    c = as_finite_array(f, "f (the coefficients)", ndim=1)
    return TaylorPolynomial(c.copy(), a_)


def lagrange_bound(derivative_bound: float, a: float, x: ArrayLike, n: int) -> NDArray[np.float64] | float:
    r"""The Lagrange bound on the remainder of the order-``n`` Taylor polynomial at ``a``.

    .. math:: |f(x) - p_n(x)| \le \frac{M}{(n+1)!}\,|x - a|^{n+1},
              \qquad M = \max_{\xi \text{ between } a, x} |f^{(n+1)}(\xi)|,

    with ``derivative_bound`` :math:`= M` (the caller supplies it).

    Introduced on :doc:`/book/part4-taylor/04-how-accurate`.
    """
    m = as_finite_scalar(derivative_bound, "derivative_bound")
    if m < 0:
        raise ValueError(f"derivative_bound must be non-negative, got {m}")
    a_ = as_finite_scalar(a, "a")
    xa = as_finite_array(x, "x")
    n_ = as_int(n, "n", minimum=0)
    out = m * np.abs(xa - a_) ** (n_ + 1) / math.factorial(n_ + 1)
    return float(out) if out.ndim == 0 else out


def loglog_slope(h: ArrayLike, error: ArrayLike) -> float:
    r"""The least-squares slope of :math:`\log|\text{error}|` against :math:`\log h`.

    An error that behaves like :math:`C h^p` has slope :math:`p`.

    Introduced on :doc:`/book/part4-taylor/04-how-accurate`.
    """
    ha = as_finite_array(h, "h", ndim=1)
    ea = as_finite_array(error, "error", ndim=1)
    if ha.size != ea.size or ha.size < 2:
        raise ValueError(f"h and error must have the same length, at least 2; got {ha.size} and {ea.size}")
    if np.any(ha <= 0) or np.any(ea == 0):
        raise ValueError("h must be positive and error non-zero (their logarithms are taken)")
    return float(np.polyfit(np.log(ha), np.log(np.abs(ea)), 1)[0])


@dataclass(frozen=True)
class LocalModel:
    r"""The Taylor model of order 1 or 2 of a scalar function of a vector, around a point.

    .. math:: m(\vec x_0 + \Delta\vec x) = f(\vec x_0) + J_f(\vec x_0)\,\Delta\vec x
              + \tfrac12\,\Delta\vec x^{\mathsf T} H_f(\vec x_0)\,\Delta\vec x,

    the last term only for ``order == 2``. Call it on points ``x`` of shape ``(..., n)``
    (not on displacements): the call broadcasts over the leading axes, so a grid of points of
    shape ``(rows, columns, n)`` gives the model's values of shape ``(rows, columns)``.

    Attributes: ``point`` (:math:`\vec x_0`), ``value`` (:math:`f(\vec x_0)`), ``gradient``
    (:math:`\nabla f(\vec x_0) = J_f^{\mathsf T}`, a 1-D array: the column of the notation page,
    pointing uphill), ``hessian`` (:math:`H_f(\vec x_0)`, or ``None`` for ``order == 1``) and
    ``order``.

    Introduced on :doc:`/book/part4-taylor/06-multivariate-taylor`.
    """

    point: NDArray[np.float64]
    value: float
    gradient: NDArray[np.float64]
    hessian: NDArray[np.float64] | None

    @property
    def order(self) -> int:
        return 1 if self.hessian is None else 2

    def __call__(self, x: ArrayLike) -> NDArray[np.float64] | float:
        xa = as_finite_array(x, "x")
        if xa.shape[-1:] != self.point.shape:
            raise ValueError(f"x must have shape (..., {self.point.size}), got {xa.shape}")
        dx = xa - self.point
        out = self.value + dx @ self.gradient
        if self.hessian is not None:
            out = out + 0.5 * np.einsum("...i,ij,...j->...", dx, self.hessian, dx)
        return float(out) if np.ndim(out) == 0 else out


def local_model(f: Callable[..., Any], x0: ArrayLike, order: int = 2) -> LocalModel:
    r"""The linear (``order=1``) or quadratic (``order=2``) Taylor model of ``f`` at ``x0``.

    The gradient and Hessian come from :func:`mlcalc.multivariate.gradient` and
    :func:`mlcalc.multivariate.hessian` (central differences). ``f`` takes a point as a 1-D
    array; write it with ``p[..., 0], p[..., 1]`` (as the pages do) and it also works on arrays
    of points, like the returned model. Returns a :class:`LocalModel` (its ``value``,
    ``gradient`` = :math:`\nabla f`, ``hessian``; call it on points of shape ``(..., n)``).

    Introduced on :doc:`/book/part4-taylor/06-multivariate-taylor`.
    """
    require_callable(f, "f")
    x = np.array(as_finite_array(x0, "x0", ndim=1), dtype=float)
    k = as_int(order, "order", minimum=1)
    if k > 2:
        raise ValueError(f"order must be 1 or 2, got {k}")
    g = gradient(f, x)
    value = float(as_finite_scalar(np.asarray(f(x.copy()), dtype=float), "f(x0)"))
    return LocalModel(x, value, g, hessian(f, x) if k == 2 else None)
