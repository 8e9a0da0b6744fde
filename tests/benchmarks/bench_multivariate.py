"""Benchmark: how accurate are mlcalc.multivariate's gradient, jacobian and hessian, and how fast?

Prints one table (run: python tests/benchmarks/bench_multivariate.py). For 2000 random
polynomials (1 to 4 variables, total degree up to 4, six terms with coefficients in [-1, 1]) at
random points in [-2, 2]^n, the error of each numerical derivative relative to the largest entry
of the exact one, both plain and floored at 1 (the "moderate scale" convention the tests use),
as median, 99th percentile and maximum; then the time per call for n = 2 and n = 10.
"""

from __future__ import annotations

import time

import numpy as np

from mlcalc.multivariate import gradient, hessian, jacobian

TARGET = {"gradient": 1e-8, "jacobian": 1e-8, "hessian": 1e-6}


def random_poly(rng, n, degree=4, terms=6):
    E = rng.integers(0, degree + 1, (terms, n))
    for e in E:
        while e.sum() > degree:
            e[np.argmax(e)] -= 1
    return rng.uniform(-1, 1, terms), E


def value(c, E, x):
    return float(np.sum(c * np.prod(x**E, axis=1)))


def deriv(c, E, j):
    E2 = E.copy()
    E2[:, j] = np.maximum(E[:, j] - 1, 0)
    return c * E[:, j], E2


def exact_grad(c, E, x):
    return np.array([value(*deriv(c, E, j), x) for j in range(E.shape[1])])


def exact_hess(c, E, x):
    n = E.shape[1]
    return np.array([[value(*deriv(*deriv(c, E, j), i), x) for j in range(n)] for i in range(n)])


def main() -> None:
    rng = np.random.default_rng(1)
    errs = {k: ([], []) for k in TARGET}
    for _ in range(2000):
        n = int(rng.integers(1, 5))
        polys = [random_poly(rng, n) for _ in range(int(rng.integers(1, 4)))]
        x = rng.uniform(-2, 2, n)
        c, E = polys[0]
        f = lambda v: value(c, E, v)  # noqa: E731
        cases = {
            "gradient": (gradient(f, x), exact_grad(c, E, x)),
            "jacobian": (jacobian(lambda v: np.array([value(ci, Ei, v) for ci, Ei in polys]), x),
                         np.array([exact_grad(ci, Ei, x) for ci, Ei in polys])),
            "hessian": (hessian(f, x), exact_hess(c, E, x)),
        }
        for k, (got, want) in cases.items():
            big = float(np.max(np.abs(want)))
            err = float(np.max(np.abs(got - want)))
            if big > 0:
                errs[k][0].append(err / big)
            errs[k][1].append(err / max(1.0, big))
    print("relative error over 2000 random polynomials (median / 99% / max)")
    print(f"{'':10s} {'/ largest entry':>30s} {'/ max(1, largest entry)':>30s}  target")
    for k, (plain, floored) in errs.items():
        fmt = lambda a: " / ".join(f"{v:.1e}" for v in (np.median(a), np.quantile(a, 0.99), np.max(a)))  # noqa: E731
        print(f"{k:10s} {fmt(plain):>30s} {fmt(floored):>30s}  {TARGET[k]:.0e}")

    print("\ntime per call (f = sum of sin(x_j) * x_{j+1})")
    for n in (2, 10):
        f = lambda v: float(np.sum(np.sin(v[:-1]) * v[1:]))  # noqa: E731
        x = np.linspace(0.1, 1.0, n)
        for name, fn in (("gradient", gradient), ("hessian", hessian)):
            reps = 200 if name == "gradient" else 20
            t0 = time.perf_counter()
            for _ in range(reps):
                fn(f, x)
            print(f"  n = {n:2d}  {name:8s} {1e3 * (time.perf_counter() - t0) / reps:8.3f} ms")


if __name__ == "__main__":
    main()
