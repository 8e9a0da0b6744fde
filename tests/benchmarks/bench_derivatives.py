"""Benchmark: how accurate is mlcalc.derivatives.derivative, and at what cost?

Prints two tables (run: python tests/benchmarks/bench_derivatives.py):

1. For each method, the worst error (scaled by max(1, |f'(x)|)) with the default step over
   sin, exp and a cubic at 2001 points in [-10, 10], against the issue's limit for the method.
2. The best error over a sweep of steps 1e-1 … 1e-16 for sin at x = 0.5, against the
   theoretical minimum of the error model (truncation + rounding).
3. The same functions with scipy.differentiate.derivative at the same number of function
   evaluations per point (maxiter=1), and at its default (converged) setting.
"""

from __future__ import annotations

import numpy as np
from scipy.differentiate import derivative as scipy_derivative

from mlcalc.derivatives import EPS, METHODS, derivative, error_model, model_best_step

LIMITS = {"forward": 1e-7, "central": 1e-9, "complex": 1e-14}
NFEV = {"forward": 2, "central": 2, "complex": 1}  # evaluations of f per point
FUNCTIONS = {
    "sin": (np.sin, np.cos),
    "exp": (np.exp, np.exp),
    "cubic": (lambda x: x**3 / 3 - x + 1, lambda x: x**2 - 1),
}
X = np.linspace(-10, 10, 2001)


def scaled_error(got, true):
    return float(np.max(np.abs(got - true) / np.maximum(1.0, np.abs(true))))


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print()


def main() -> None:
    print("1. mlcalc.derivative with the default step, worst scaled error over x in [-10, 10]\n")
    rows = []
    for m in METHODS:
        worst = {name: scaled_error(derivative(f, X, m), df(X)) for name, (f, df) in FUNCTIONS.items()}
        rows.append([m, NFEV[m]] + [f"{worst[n]:.1e}" for n in FUNCTIONS] + [f"{LIMITS[m]:.0e}",
                    "yes" if max(worst.values()) <= LIMITS[m] else "NO"])
    table(rows, ["method", "f evals"] + list(FUNCTIONS) + ["limit", "within"])

    print("2. best error over steps 1e-1 … 1e-16, sin at x = 0.5, against the error model\n")
    x0, steps = 0.5, np.logspace(-1, -16, 151)
    f2, f3 = np.sin(x0), np.cos(x0)
    rows = []
    for m in METHODS:
        err = np.abs(derivative(np.sin, x0, m, h=steps) - np.cos(x0))
        i = int(np.argmin(err))
        if m == "complex":
            theory, h_star = EPS * abs(np.cos(x0)), float("nan")
        else:
            d = f2 if m == "forward" else f3
            h_star = model_best_step(m, f_size=np.sin(x0), higher_derivative=d)
            theory = float(error_model(m, h_star, f_size=np.sin(x0), higher_derivative=d))
        rows.append([m, f"{err[i]:.1e}", f"{steps[i]:.0e}", f"{theory:.1e}", f"{h_star:.1e}"])
    table(rows, ["method", "best error", "at h", "model minimum", "model h*"])

    print("3. scipy.differentiate.derivative on the same functions and points\n")
    rows = []
    for label, kwargs in [("scipy, maxiter=1, order=2", dict(maxiter=1, order=2)),
                          ("scipy, default (converged)", {})]:
        worst, nfev = {}, 0
        for name, (f, df) in FUNCTIONS.items():
            res = scipy_derivative(f, X, **kwargs)
            worst[name] = scaled_error(res.df, df(X))
            nfev = max(nfev, int(np.max(res.nfev)))
        rows.append([label, nfev] + [f"{worst[n]:.1e}" for n in FUNCTIONS])
    for m in METHODS:
        worst = {name: scaled_error(derivative(f, X, m), df(X)) for name, (f, df) in FUNCTIONS.items()}
        rows.append([f"mlcalc, {m}", NFEV[m]] + [f"{worst[n]:.1e}" for n in FUNCTIONS])
    table(rows, ["method", "f evals/point"] + list(FUNCTIONS))


if __name__ == "__main__":
    main()
