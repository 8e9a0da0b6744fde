"""Benchmark: how accurate are Taylor coefficients computed three ways, and how fast?

Prints one table (run: python tests/benchmarks/bench_taylor.py). For each catalogue function and
orders 0-5, 6-10, 11-15, 16-20: the worst relative error of the coefficients c_k = f^(k)(a)/k!
over 8 expansion points spread over the function's explorer range, computed

* ``mlcalc``  by :func:`mlcalc.taylor.taylor_coefficients` (Cauchy integral by the FFT);
* ``sympy``   by sympy's exact derivatives at a rational ``a``, f^(k)(a)/k! rounded to float64
  (the coefficients of ``sp.series`` at ``a``; for the sigmoid via sigma' = sigma(1 - sigma));
* ``diffs``   by repeated central differences, c_k = delta_h^k f(a) / (h^k k!) with the
  k-th central difference and the step h = eps^(1/(k+2)) that balances truncation and rounding.

The reference is mpmath at 40 digits (``mpmath.taylor``). Where a coefficient passes through
zero, the error is measured against its neighbours' size, as in tests/test_taylor.py.
Then the time per call of each method for all 21 coefficients.
"""

from __future__ import annotations

import functools
import math
import time
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from mlcalc.taylor import taylor_coefficients
from mlcalc.taylor_explorer import CATALOGUE

ORDER = 20
BANDS = [(0, 5), (6, 10), (11, 15), (16, 20)]
X = sp.symbols("x")
SYMPY = {
    "exp": sp.exp(X), "sin": sp.sin(X), "cos": sp.cos(X), "log1p": sp.log(1 + X),
    "geometric": 1 / (1 - X), "arctan": sp.atan(X), "sigmoid": 1 / (1 + sp.exp(-X)),
    "gaussian": sp.exp(-X**2),
}
MPMATH = {
    "exp": mp.exp, "sin": mp.sin, "cos": mp.cos, "log1p": lambda t: mp.log(1 + t),
    "geometric": lambda t: 1 / (1 - t), "arctan": mp.atan, "sigmoid": lambda t: 1 / (1 + mp.exp(-t)),
    "gaussian": lambda t: mp.exp(-t * t),
}


def points(key):
    lo, hi = CATALOGUE[key].a_range
    # rational points (so that sympy's series is exact), avoiding 0's symmetric zeros
    return [Fraction(round((lo + (hi - lo) * (j + 0.5) / 8) * 20), 20) for j in range(8)]


def reference(key, a):
    with mp.workdps(40):
        return np.array([float(v) for v in mp.taylor(MPMATH[key], mp.mpf(a.numerator) / a.denominator, ORDER)])


@functools.lru_cache(maxsize=None)
def _sympy_derivatives(key):
    """f^(k)/k! for k = 0..ORDER as exact sympy expressions (the sigmoid's as polynomials in
    sigma, since sigma' = sigma(1 - sigma); differentiating its formula 20 times swells)."""
    if key == "sigmoid":
        s, out, p = sp.symbols("s"), [], sp.symbols("s")
        for k in range(ORDER + 1):
            out.append((s, p / sp.factorial(k)))
            p = sp.expand(sp.diff(p, s) * s * (1 - s))
        return out
    out, d = [], SYMPY[key]
    for k in range(ORDER + 1):
        out.append((X, d / sp.factorial(k)))
        d = sp.diff(d, X)
    return out


def by_sympy(key, a):
    """sympy's exact Taylor coefficients at the rational point a, each rounded to float64."""
    ar = sp.Rational(a.numerator, a.denominator)
    at = 1 / (1 + sp.exp(-ar)) if key == "sigmoid" else ar
    return np.array([float(sp.N(e.subs(v, at), 30)) for v, e in _sympy_derivatives(key)])


def by_differences(key, a):
    f = CATALOGUE[key].f
    out = np.empty(ORDER + 1)
    for k in range(ORDER + 1):
        h = np.finfo(float).eps ** (1 / (k + 2)) * max(1.0, abs(a))
        j = np.arange(k + 1)
        weights = np.array([(-1) ** int(i) * math.comb(k, int(i)) for i in j], dtype=float)
        values = np.real(f((float(a) + (k / 2 - j) * h).astype(complex)))
        out[k] = float(weights @ values) / (h**k * math.factorial(k))
    return out


def relative(got, want):
    err = np.empty(len(want))
    for k in range(len(want)):
        nb = max(abs(want[j]) for j in (k - 1, k + 1) if 0 <= j < len(want))
        scale = abs(want[k]) if abs(want[k]) >= 1e-3 * nb else nb
        err[k] = abs(got[k] - want[k]) / scale
    return err


def main():
    methods = {"mlcalc": lambda k, a: taylor_coefficients(CATALOGUE[k].f, float(a), ORDER),
               "sympy": by_sympy, "diffs": by_differences}
    head = "| function | method | " + " | ".join(f"orders {lo}-{hi}" for lo, hi in BANDS) + " | time per call |"
    print(head)
    print("|" + " --- |" * (len(BANDS) + 3))
    for key in CATALOGUE:
        refs = {a: reference(key, a) for a in points(key)}
        for name, method in methods.items():
            worst = np.zeros(ORDER + 1)
            start = time.perf_counter()
            for a, ref in refs.items():
                with np.errstate(all="ignore"):
                    got = method(key, a)
                e = relative(got, ref)
                worst = np.maximum(worst, np.where(np.isfinite(e), e, np.inf))
            per_call = (time.perf_counter() - start) / len(refs)
            cells = [f"{worst[lo:hi + 1].max():.1e}" for lo, hi in BANDS]
            print(f"| {CATALOGUE[key].label} | {name} | " + " | ".join(cells) + f" | {per_call * 1e3:.1f} ms |")


if __name__ == "__main__":
    main()
