"""Benchmark: mlcalc.optimise against SciPy on the Part 5 pages' examples.

Prints one table (run: python tests/benchmarks/bench_optimise.py): for each problem and method,
whether it succeeded, the iterations, the calls of f (or F, or the objective) and of the
derivative, and the final error against a reference (a 40-digit root from mpmath, a closed form,
or the problem's exact answer). Then the time per solve. Calls are counted by wrapping the
functions, so SciPy's and ours are counted the same way.
"""

from __future__ import annotations

import time
import warnings

import mpmath
import numpy as np
from scipy import optimize

from mlcalc.optimise import gradient_descent, lagrange_solve, newton_raphson, newton_system, quadratic_bowl


class Counted:
    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, x):
        self.calls += 1
        return self.fn(x)


def row(problem, method, ok, iters, nf, nd, err, seconds):
    return (problem, method, "yes" if ok else "NO", str(iters), str(nf), str(nd), f"{err:.1e}", f"{seconds * 1e3:.2f}")


def timed(fn, repeat=20):
    start = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    return out, (time.perf_counter() - start) / repeat


def one_dimensional():
    mpmath.mp.dps = 40
    cases = [
        ("x^3-2x-5, x0=2", lambda x: x**3 - 2 * x - 5, lambda x: 3 * x**2 - 2, 2.0, (2.0, 3.0),
         float(mpmath.findroot(lambda x: x**3 - 2 * x - 5, 2))),
        ("(x-1)^2(x+2), x0=2", lambda x: (x - 1) ** 2 * (x + 2), lambda x: 2 * (x - 1) * (x + 2) + (x - 1) ** 2, 2.0,
         None, 1.0),
        ("arctan, x0=1.3", np.arctan, lambda x: 1 / (1 + x**2), 1.3, (-1.0, 1.3), 0.0),
        ("arctan, x0=1.5", np.arctan, lambda x: 1 / (1 + x**2), 1.5, (-1.0, 1.5), 0.0),
    ]
    rows = []
    for name, f, df, x0, bracket, root in cases:
        def ours(use_df):
            fc, dc = Counted(f), Counted(df)
            res = newton_raphson(fc, x0, dc if use_df else None)
            return res.converged, res.iterations, fc.calls, dc.calls, abs(res.x - root)

        def scipy_newton(use_df):
            fc, dc = Counted(f), Counted(df)
            try:
                x, info = optimize.newton(fc, x0, fprime=dc if use_df else None, full_output=True, disp=False)
                return bool(info.converged) and np.isfinite(x), info.iterations, fc.calls, dc.calls, abs(x - root)
            except (RuntimeError, OverflowError, ZeroDivisionError) as exc:  # SciPy raises on some failures
                return False, "-", fc.calls, dc.calls, float("nan") if exc else 0.0

        def brent():
            fc = Counted(f)
            x, info = optimize.brentq(fc, *bracket, full_output=True)
            return info.converged, info.iterations, fc.calls, 0, abs(x - root)

        runs = [("mlcalc newton_raphson, f'", lambda: ours(True)), ("mlcalc newton_raphson, numerical f'", lambda: ours(False)),
                ("scipy newton, fprime", lambda: scipy_newton(True)), ("scipy newton, secant", lambda: scipy_newton(False))]
        if bracket is not None:
            runs.append(("scipy brentq", brent))
        for method, fn in runs:
            with np.errstate(all="ignore"):
                (ok, it, nf, nd, err), sec = timed(fn)
            rows.append(row(name, method, ok, it, nf, nd, err, sec))
    return rows


def systems():
    F = lambda v: np.array([v[0] ** 2 + v[1] ** 2 - 4, v[0] * v[1] - 1])
    J = lambda v: np.array([[2 * v[0], 2 * v[1]], [v[1], v[0]]])
    r = np.array([np.sqrt(2 + np.sqrt(3)), 1 / np.sqrt(2 + np.sqrt(3))])
    rows = []

    def ours(use_J):
        Fc, Jc = Counted(F), Counted(J)
        res = newton_system(Fc, [2.0, 0.5], Jc if use_J else None)
        return res.converged, res.iterations, Fc.calls, Jc.calls, float(np.linalg.norm(res.x - r))

    def scipy_root():
        Fc, Jc = Counted(F), Counted(J)
        res = optimize.root(Fc, [2.0, 0.5], jac=Jc)
        return res.success, res.get("nit", "-"), Fc.calls, Jc.calls, float(np.linalg.norm(res.x - r))

    for method, fn in [("mlcalc newton_system, J", lambda: ours(True)), ("mlcalc newton_system, numerical J", lambda: ours(False)),
                       ("scipy root (hybr), jac", scipy_root)]:
        (ok, it, nf, nd, err), sec = timed(fn)
        rows.append(row("circle & xy=1, (2, 0.5)", method, ok, it, nf, nd, err, sec))
    return rows


def descent():
    rows = []
    for kappa in (10.0, 100.0):
        b = quadratic_bowl(kappa, 1.0, np.pi / 6)
        x0 = np.array([1.5, 1.5])

        def ours():
            fc, gc = Counted(b.value), Counted(b.gradient)
            res = gradient_descent(fc, x0, 2 / (b.L + b.mu), grad=gc, gtol=1e-8, max_steps=100000)
            return res.converged, res.iterations, fc.calls, gc.calls, float(np.linalg.norm(res.x))

        def scipy_bfgs():
            fc, gc = Counted(b.value), Counted(b.gradient)
            res = optimize.minimize(fc, x0, jac=gc, method="BFGS", options={"gtol": 1e-8})
            return res.success, res.nit, fc.calls, gc.calls, float(np.linalg.norm(res.x))

        for method, fn in [("mlcalc gradient_descent, eta*", ours), ("scipy minimize BFGS", scipy_bfgs)]:
            (ok, it, nf, nd, err), sec = timed(fn, repeat=5)
            rows.append(row(f"bowl kappa={kappa:g}", method, ok, it, nf, nd, err, sec))
    return rows


def lagrange():
    f = lambda v: v[0] + v[1] ** 2
    g = lambda v: v[0] ** 2 + v[1] ** 2 - 4
    p = np.array([3.0, 2.0])
    d2 = lambda v: float(np.sum((v - p) ** 2))
    ell = lambda v: v[0] ** 2 / 4 + v[1] ** 2 - 1
    # reference for the ellipse: a 1-D search over the angle, polished by brentq on the derivative
    t = optimize.minimize_scalar(lambda s: d2(np.array([2 * np.cos(s), np.sin(s)])), bounds=(0, np.pi / 2),
                                 method="bounded", options={"xatol": 1e-12}).x
    ell_ref = np.array([2 * np.cos(t), np.sin(t)])
    cases = [
        ("max of x+y^2 on circle", f, g, [1.0, 1.5], -1.0, np.array([0.5, np.sqrt(15) / 2])),
        ("min of x+y^2 on circle", f, g, [-1.5, 0.3], 1.0, np.array([-2.0, 0.0])),
        ("nearest point of ellipse", d2, ell, [1.0, 1.0], 1.0, ell_ref),
    ]
    rows = []
    for name, obj, con, x0, sign, ref in cases:
        def ours():
            fc, gc = Counted(obj), Counted(con)
            res = lagrange_solve(fc, gc, x0)
            return res.converged, res.iterations, fc.calls, gc.calls, float(np.linalg.norm(res.x - ref))

        def slsqp():
            fc, gc = Counted(lambda v: sign * obj(v)), Counted(con)
            res = optimize.minimize(fc, x0, method="SLSQP", constraints=[{"type": "eq", "fun": gc}],
                                    options={"ftol": 1e-12})
            return res.success, res.nit, fc.calls, gc.calls, float(np.linalg.norm(res.x - ref))

        for method, fn in [("mlcalc lagrange_solve (numerical derivatives)", ours), ("scipy minimize SLSQP", slsqp)]:
            (ok, it, nf, nd, err), sec = timed(fn, repeat=5)
            rows.append(row(name, method, ok, it, nf, nd, err, sec))
    return rows


def main():
    warnings.simplefilter("ignore", RuntimeWarning)  # SciPy warns when its Newton meets a zero derivative
    header = ("problem", "method", "ok", "iterations", "calls f/F/obj", "calls f'/J/grad/g", "final error", "ms/solve")
    rows = one_dimensional() + systems() + descent() + lagrange()
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print("\nFor lagrange rows the two call columns are calls of f and of g (our gradients are numerical: "
          "several calls per Newton step); 'ok' for scipy newton is its own converged flag.")


if __name__ == "__main__":
    main()
