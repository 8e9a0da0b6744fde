"""Benchmark: the book's fit of a Gaussian to Galton's heights, against SciPy's least-squares fits.

Run from the repository root:

    python tests/benchmarks/bench_regression.py

It prints a Markdown table. The problem is the one on the page
``book/part6-regression/03-fitting-heights``: the 934 heights (daughters times 1.08) in one-inch
bins, the Gaussian density fitted by chi-squared with Poisson uncertainties, from the start
(mu, sigma) = (65, 4). For each method: the iterations it reports (steps for the book's methods;
SciPy reports evaluations instead), evaluations of the model and of its Jacobian, the best wall
time of ``REPEATS`` runs, and the fitted mu and sigma, with their largest difference from
``curve_fit``. The sample mean and standard deviation close the table for comparison.

No timed assertions: the numbers are for the reader and the editor.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy
from scipy.optimize import curve_fit, least_squares

from mlcalc.regression import (
    DATA_SHA256,
    child_heights,
    gauss_newton,
    gaussian_jacobian,
    gaussian_model,
    histogram,
    levenberg_marquardt,
    steepest_descent,
)

START = [65.0, 4.0]
ETA = 1e-3
REPEATS = 7


def best_time(run: Callable[[], Any]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    heights = child_heights()
    hist = histogram(heights, width=1.0)
    x, y, s = hist.centres, hist.density, hist.uncertainty

    def residuals(theta):
        return (y - gaussian_model(x, theta)) / s

    def residual_jacobian(theta):
        return -gaussian_jacobian(x, theta) / s[:, None]

    rows = []
    t, r = best_time(lambda: steepest_descent(gaussian_model, gaussian_jacobian, START, x, y, s, eta=ETA, max_steps=10_000))
    rows.append(("steepest descent, η = 1e-3 (book)", r.n_steps, r.n_model, r.n_jacobian, t, r.theta))
    t, r = best_time(lambda: gauss_newton(gaussian_model, gaussian_jacobian, START, x, y, s))
    rows.append(("Gauss–Newton (book)", r.n_steps, r.n_model, r.n_jacobian, t, r.theta))
    t, r = best_time(lambda: levenberg_marquardt(gaussian_model, gaussian_jacobian, START, x, y, s))
    rows.append(("Levenberg–Marquardt (book)", r.n_steps, r.n_model, r.n_jacobian, t, r.theta))
    for method in ("lm", "trf"):
        t, r = best_time(lambda: least_squares(residuals, START, jac=residual_jacobian, method=method))
        rows.append((f"least_squares, {method}, analytic Jacobian", "–", r.nfev, r.njev, t, r.x))
    t, (popt, _, info, _, _) = best_time(lambda: curve_fit(
        lambda xx, m, sg: gaussian_model(xx, [m, sg]), x, y, p0=START, sigma=s, absolute_sigma=True, full_output=True))
    rows.append(("curve_fit, numerical Jacobian", "–", info["nfev"], "–", t, popt))
    reference = popt
    t, (p2, _, info2, _, _) = best_time(lambda: curve_fit(
        lambda xx, m, sg: gaussian_model(xx, [m, sg]), x, y, p0=START, sigma=s, absolute_sigma=True, full_output=True,
        jac=lambda xx, m, sg: gaussian_jacobian(xx, [m, sg])))
    rows.append(("curve_fit, analytic Jacobian", "–", info2["nfev"], info2.get("njev", "–"), t, p2))

    print(f"# Fitting a Gaussian to Galton's heights ({hist.n_values} heights, {x.size} bins)")
    print(f"data SHA-256 {DATA_SHA256[:16]}…; Python {platform.python_version()}, NumPy {np.__version__}, "
          f"SciPy {scipy.__version__}, {platform.machine()}\n")
    print("| method | iterations | model evals | Jacobian evals | best time (ms) | μ (in) | σ (in) | largest difference from curve_fit |")
    print("|:---|---:|---:|---:|---:|---:|---:|---:|")
    for name, steps, nf, nj, secs, theta in rows:
        gap = float(np.max(np.abs(np.asarray(theta) - reference)))
        print(f"| {name} | {steps} | {nf} | {nj} | {1e3 * secs:.2f} | {theta[0]:.6f} | {theta[1]:.6f} | {gap:.1e} |")
    print(f"| sample mean and standard deviation | – | – | – | – | {heights.mean():.6f} | {heights.std(ddof=1):.6f} | "
          f"{max(abs(heights.mean() - reference[0]), abs(heights.std(ddof=1) - reference[1])):.1e} |")


if __name__ == "__main__":
    main()
