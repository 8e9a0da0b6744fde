"""Every formula stated in the prose of Part 6 (regression), tested.

Each test is named after the formula's equation label (or exercise label) and its page:
lin = 01-linear-regression, ls = 02-least-squares, fit = 03-fitting-heights,
back = 04-looking-back. The exercise solutions printed on the pages are run as well.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.multivariate import check_jacobian, jacobian
from mlcalc.neural import Network, heart_curve
from mlcalc.regression import (
    check_descent_step,
    check_gaussian_derivatives,
    child_heights,
    exponential_decay,
    exponential_decay_jacobian,
    gauss_newton,
    gaussian,
    gaussian_derivatives,
    gaussian_jacobian,
    gaussian_model,
    histogram,
    levenberg_marquardt,
    line,
    line_jacobian,
    linear_fit,
    load_galton,
    steepest_descent,
)

FAST = settings(max_examples=30, deadline=None)
PAGES = Path(__file__).resolve().parents[1] / "book" / "part6-regression"


def solution_blocks(page: str, label: str) -> list[str]:
    """The ```python blocks inside the solution with this label on a page."""
    text = (PAGES / page).read_text(encoding="utf-8")
    start = text.index(f":::{{solution}} {label}\n")
    end = text.index("\n:::\n", start)
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)


n = 4
xs = sp.symbols(f"x1:{n + 1}", real=True)
ys = sp.symbols(f"y1:{n + 1}", real=True)
m, c = sp.symbols("m c", real=True)
CHI2 = sum((yi - m * xi - c) ** 2 for xi, yi in zip(xs, ys))  # eq-p6lin-chi2


# --- 01-linear-regression ---------------------------------------------------------------------


def test_eq_p6lin_gradient():
    stated = [-2 * sum(xi * (yi - m * xi - c) for xi, yi in zip(xs, ys)), -2 * sum(yi - m * xi - c for xi, yi in zip(xs, ys))]
    assert sp.simplify(sp.diff(CHI2, m) - stated[0]) == 0
    assert sp.simplify(sp.diff(CHI2, c) - stated[1]) == 0


def test_eq_p6lin_slope_and_intercept_solve_the_gradient_equations():
    sol = sp.solve([sp.diff(CHI2, m), sp.diff(CHI2, c)], [m, c], dict=True)[0]
    xbar, ybar = sum(xs) / n, sum(ys) / n
    slope = sum((xi - xbar) * (yi - ybar) for xi, yi in zip(xs, ys)) / sum((xi - xbar) ** 2 for xi in xs)
    assert sp.simplify(sol[m] - slope) == 0
    assert sp.simplify(sol[c] - (ybar - slope * xbar)) == 0  # eq-p6lin-intercept
    # the step "replace x_i by x_i - xbar in front": the extra sum is zero when c = ybar - m xbar
    extra = sum(xbar * ((yi - ybar) - m * (xi - xbar)) for xi, yi in zip(xs, ys))
    assert sp.simplify(extra) == 0


def test_p6lin_hessian_and_its_determinant():
    H = sp.hessian(CHI2, (m, c))
    stated = 2 * sp.Matrix([[sum(xi**2 for xi in xs), sum(xs)], [sum(xs), n]])
    assert sp.simplify(H - stated) == sp.zeros(2, 2)
    xbar = sum(xs) / n
    assert sp.simplify(H.det() - 4 * n * sum((xi - xbar) ** 2 for xi in xs)) == 0


def test_ex_p6lin_origin():
    chi2 = sum((yi - m * xi) ** 2 for xi, yi in zip(xs, ys))
    sol = sp.solve(sp.diff(chi2, m), m)[0]
    assert sp.simplify(sol - sum(xi * yi for xi, yi in zip(xs, ys)) / sum(xi**2 for xi in xs)) == 0
    data = load_galton()
    x, y = data.midparent, child_heights(data)
    ns = {"np": np, "x": x, "y": y}
    exec(solution_blocks("01-linear-regression.md", "ex-p6lin-origin")[0], ns)
    assert ns["m_origin"] == pytest.approx(np.sum(x * y) / np.sum(x * x))
    assert ns["m_origin"] == pytest.approx(y.mean() / x.mean(), rel=0.01)  # "about the ratio of the mean heights"


def test_p6lin_regression_to_the_mean_claims():
    data = load_galton()
    x, y = data.midparent, child_heights(data)
    fit = linear_fit(x, y)
    assert fit.slope < 1
    assert fit.intercept + fit.slope * x.mean() == pytest.approx(y.mean())  # the line passes through the means
    reverse = linear_fit(y, x)
    assert reverse.slope < 1  # ex-p6lin-reverse
    # m = r s_y / s_x for both directions
    assert fit.slope == pytest.approx(fit.correlation * y.std() / x.std())
    assert reverse.slope == pytest.approx(fit.correlation * x.std() / y.std())
    sons = linear_fit(x[data.male], data.child[data.male])  # ex-p6lin-sons: same within its uncertainty
    assert abs(sons.slope - fit.slope) < sons.slope_error
    assert abs(data.child[data.male].mean() - 1.08 * data.child[~data.male].mean()) < 0.01


# --- 02-least-squares -------------------------------------------------------------------------

A, tau = sp.symbols("A tau", positive=True)
ts = sp.symbols("t1:4", positive=True)
ds = sp.symbols("d1:4", real=True)
sig = sp.symbols("s1:4", positive=True)


def decay(t):
    return A * sp.exp(-t / tau)


def test_eq_p6ls_gradient_for_the_decay_model():
    chi2 = sum((d - decay(t)) ** 2 / s**2 for t, d, s in zip(ts, ds, sig))  # eq-p6ls-chi2
    J = sp.Matrix([[sp.diff(decay(t), p) for p in (A, tau)] for t in ts])
    W = sp.diag(*[1 / s**2 for s in sig])
    r = sp.Matrix([d - decay(t) for t, d in zip(ts, ds)])
    stated = -2 * J.T * W * r
    grad = sp.Matrix([sp.diff(chi2, p) for p in (A, tau)])
    assert sp.simplify(grad - stated) == sp.zeros(2, 1)
    assert sp.simplify(chi2 - (r.T * W * r)[0]) == 0


def test_ex_p6ls_decay_jacobian():
    t = sp.symbols("t", positive=True)
    stated = [sp.exp(-t / tau), A * t * sp.exp(-t / tau) / tau**2]
    assert [sp.simplify(sp.diff(decay(t), p) - s) for p, s in zip((A, tau), stated)] == [0, 0]
    theta = np.array([80.0, 2.5])
    np.testing.assert_allclose(exponential_decay_jacobian(np.array([2.0]), theta)[0],
                               jacobian(lambda th: exponential_decay(np.array([2.0]), th)[0], theta)[0], rtol=1e-8)
    ns = {"np": np, "t0": 2.0}
    exec(solution_blocks("02-least-squares.md", "ex-p6ls-decay-jacobian")[0], ns)
    f = lambda th: th[0] * np.exp(-2.0 / th[1])  # noqa: E731
    assert check_jacobian(f, ns["my_jacobian"], low=[1, 0.5], high=[100, 5], verbose=False).passed


def test_eq_p6ls_quadratic_model_and_its_newton_step_are_gauss_newton():
    p, k = 2, 3
    J = sp.Matrix(k, p, sp.symbols(f"J0:{k * p}", real=True))
    r = sp.Matrix(sp.symbols(f"r0:{k}", real=True))
    w = sp.symbols(f"w0:{k}", positive=True)
    W = sp.diag(*w)
    d = sp.Matrix(sp.symbols(f"d0:{p}", real=True))
    exact_linearised = ((r - J * d).T * W * (r - J * d))[0]
    stated = (r.T * W * r)[0] - 2 * (r.T * W * J * d)[0] + (d.T * J.T * W * J * d)[0]
    assert sp.expand(exact_linearised - stated) == 0
    grad = sp.Matrix([sp.diff(stated, di) for di in d])
    assert sp.simplify(grad.subs({di: 0 for di in d}) + 2 * J.T * W * r) == sp.zeros(p, 1)
    assert sp.simplify(sp.hessian(stated, list(d)) - 2 * J.T * W * J) == sp.zeros(p, p)
    # the Newton step of the quadratic model solves J^T W J d = J^T W r (eq-p6ls-gauss-newton)
    rng = np.random.default_rng(0)
    Jn, rn, wn = rng.standard_normal((6, 2)), rng.standard_normal(6), rng.random(6) + 0.5
    g = -2 * Jn.T @ (wn * rn)
    H = 2 * Jn.T @ (wn[:, None] * Jn)
    np.testing.assert_allclose(-np.linalg.solve(H, g), np.linalg.solve(Jn.T @ (wn[:, None] * Jn), Jn.T @ (wn * rn)))


def test_lm_step_limits():
    rng = np.random.default_rng(1)
    J, r = rng.standard_normal((8, 2)), rng.standard_normal(8)
    A_ = J.T @ J
    g = J.T @ r
    gn = np.linalg.solve(A_, g)
    np.testing.assert_allclose(np.linalg.solve(A_ + 1e-12 * np.diag(np.diag(A_)), g), gn, rtol=1e-9)
    lam = 1e8
    big = np.linalg.solve(A_ + lam * np.diag(np.diag(A_)), g)
    np.testing.assert_allclose(big, g / (lam * np.diag(A_)), rtol=1e-6)  # a short step along -grad, scaled


def galton_line():
    data = load_galton()
    return data.midparent, child_heights(data)


def test_descent_contraction_factor_on_a_quadratic():
    """Along each eigenvector of H one step multiplies the error by 1 - eta*lambda."""
    x, y = galton_line()
    J = line_jacobian(x, None)
    H = 2 * J.T @ J
    lam, vecs = np.linalg.eigh(H)
    exact = linear_fit(x, y)
    eta = 1 / lam[1]
    res = steepest_descent(line, line_jacobian, [0.0, 0.0], x, y, eta=eta, max_steps=20)
    err = res.history - [exact.slope, exact.intercept]
    along = err @ vecs  # components along the eigenvectors
    np.testing.assert_allclose(along[1:, 0] / along[:-1, 0], 1 - eta * lam[0], rtol=1e-5)
    assert np.all(np.abs(along[1:, 1]) <= 1e-6 * np.abs(along[0, 1]))  # 1 - eta*lambda_max = 0
    bad = steepest_descent(line, line_jacobian, [0.0, 0.0], x, y, eta=2.2 / lam[1], max_steps=1000)
    assert "diverged" in bad.message  # ex-p6ls-too-long


def test_ex_p6ls_too_long_solution_block():
    x, y = galton_line()
    exact = linear_fit(x, y)
    ns = {"gauss_newton": gauss_newton, "line": line, "line_jacobian": line_jacobian, "x": x, "y": y, "exact": exact}
    block = solution_blocks("02-least-squares.md", "ex-p6ls-too-long")[0]
    exec(block.replace("far.history[1] - [exact.slope, exact.intercept]", "diff = far.history[1] - [exact.slope, exact.intercept]"), ns)
    assert np.max(np.abs(ns["diff"])) < 1e-8


def test_p6ls_decay_fits_agree_and_steepest_descent_is_slow():
    rng = np.random.default_rng(6)
    t = np.arange(0, 10.5, 0.5)
    counts = rng.poisson(100 * np.exp(-t / 3)).astype(float)
    unc = np.sqrt(np.maximum(counts, 1))
    lm = levenberg_marquardt(exponential_decay, exponential_decay_jacobian, [50.0, 1.0], t, counts, unc)
    gn = gauss_newton(exponential_decay, exponential_decay_jacobian, [50.0, 1.0], t, counts, unc)
    assert lm.converged and gn.converged and lm.n_steps < 20 and gn.n_steps < 20
    np.testing.assert_allclose(lm.theta, gn.theta, rtol=1e-7)
    # from (1, 10) Gauss-Newton runs away to a negative, meaningless tau; LM lands on the same minimum
    gn_far = gauss_newton(exponential_decay, exponential_decay_jacobian, [1.0, 10.0], t, counts, unc)
    lm_far = levenberg_marquardt(exponential_decay, exponential_decay_jacobian, [1.0, 10.0], t, counts, unc)
    assert not gn_far.converged and gn_far.theta[1] < -1e10
    assert lm_far.converged and np.max(np.abs(lm_far.theta - lm.theta)) < 1e-5


# --- 03-fitting-heights -----------------------------------------------------------------------

x_, mu_, s_ = sp.symbols("x mu sigma", real=True)
F = sp.exp(-((x_ - mu_) ** 2) / (2 * s_**2)) / (s_ * sp.sqrt(2 * sp.pi))  # eq-p6fit-gaussian


def test_eq_p6fit_gaussian_has_area_one():
    s_pos = sp.symbols("sigma", positive=True)
    assert sp.simplify(sp.integrate(F.subs(s_, s_pos), (x_, -sp.oo, sp.oo))) == 1


def test_eq_p6fit_dmu_and_dsigma():
    assert sp.simplify(sp.diff(F, mu_) - (x_ - mu_) / s_**2 * F) == 0
    assert sp.simplify(sp.diff(F, s_) - ((x_ - mu_) ** 2 / s_**3 - 1 / s_) * F) == 0
    # the two terms of the product rule named in the solution
    front = sp.diff(1 / (s_ * sp.sqrt(2 * sp.pi)), s_) * sp.exp(-((x_ - mu_) ** 2) / (2 * s_**2))
    assert sp.simplify(front + F / s_) == 0


@FAST
@given(st.floats(-20, 20), st.floats(0.3, 5), st.floats(-4, 4))
def test_package_derivatives_are_the_stated_ones(mu, sigma, z):
    xv = mu + z * sigma
    dmu, dsig = gaussian_derivatives(xv, mu, sigma)
    subs = {x_: xv, mu_: mu, s_: sigma}
    assert float(dmu) == pytest.approx(float(sp.diff(F, mu_).subs(subs)), rel=1e-9, abs=1e-14)
    assert float(dsig) == pytest.approx(float(sp.diff(F, s_).subs(subs)), rel=1e-9, abs=1e-14)


def test_eq_p6fit_gradient():
    bx = sp.symbols("b1:4", real=True)
    chi2 = sum((d - F.subs(x_, b)) ** 2 / s**2 for b, d, s in zip(bx, ds, sig))  # eq-p6fit-chi2
    for p in (mu_, s_):
        stated = -2 * sum((d - F.subs(x_, b)) / s**2 * sp.diff(F, p).subs(x_, b) for b, d, s in zip(bx, ds, sig))
        assert sp.simplify(sp.diff(chi2, p) - stated) == 0


def test_histogram_density_and_uncertainty_as_stated():
    h = histogram(child_heights(), width=1.0)
    np.testing.assert_allclose(h.density, h.counts / (h.n_values * 1.0))
    np.testing.assert_allclose(h.uncertainty, np.sqrt(np.maximum(h.counts, 1)) / h.n_values)
    assert np.allclose(h.edges % 1, 0.25)  # "a quarter inch off the whole inches"


def test_exercise_solutions_on_the_heights_page_pass_the_checks():
    ns = {"np": np, "gaussian": gaussian, "check_gaussian_derivatives": check_gaussian_derivatives,
          "check_descent_step": check_descent_step}
    (derivs,) = solution_blocks("03-fitting-heights.md", "ex-p6fit-derivatives")
    (step,) = solution_blocks("03-fitting-heights.md", "ex-p6fit-step")
    exec(derivs.replace("check_gaussian_derivatives(dfdmu, dfdsigma);", ""), ns)
    exec(step.replace("check_descent_step(step);", ""), ns)
    assert check_gaussian_derivatives(ns["dfdmu"], ns["dfdsigma"], verbose=False).passed
    assert check_descent_step(ns["step"], verbose=False).passed


def test_the_stubs_on_the_heights_page_run_and_fail_politely():
    text = (PAGES / "03-fitting-heights.md").read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S)
    stubs = [c for c in cells if "# replace with" in c]
    assert len(stubs) == 2
    ns = {"np": np, "gaussian": gaussian, "check_gaussian_derivatives": check_gaussian_derivatives,
          "check_descent_step": check_descent_step}
    for cell in stubs:
        exec(cell.replace(";", ""), ns)
    assert not check_gaussian_derivatives(ns["dfdmu"], ns["dfdsigma"], verbose=False).passed
    assert not check_descent_step(ns["step"], verbose=False).passed


# --- 04-looking-back --------------------------------------------------------------------------


def test_eq_p6back_cost_is_chi2_over_n_and_its_gradient():
    net = Network(seed=3)
    t, points = heart_curve(12)
    N = t.shape[1]

    def stacked(theta):
        trial = net.copy()
        trial.weights[2] = theta.reshape(trial.weights[2].shape)
        return trial.predict(t).ravel()

    theta = net.weights[2].ravel().copy()
    r = points.ravel() - stacked(theta)
    assert net.cost(t, points) == pytest.approx(float(r @ r) / N, rel=1e-14)
    J = jacobian(stacked, theta)
    dW, _ = net.gradients(t, points)
    np.testing.assert_allclose(-2 / N * J.T @ r, dW[2].ravel(), atol=1e-9)


def test_ex_p6back_likelihood():
    k = 3
    d = sp.symbols(f"y1:{k + 1}", real=True)
    f = sp.symbols(f"f1:{k + 1}", real=True)
    s = sp.symbols(f"s1:{k + 1}", positive=True)
    L = sp.Mul(*[sp.exp(-((di - fi) ** 2) / (2 * si**2)) / (si * sp.sqrt(2 * sp.pi)) for di, fi, si in zip(d, f, s)])
    chi2 = sum((di - fi) ** 2 / si**2 for di, fi, si in zip(d, f, s))
    const = sum(sp.log(2 * sp.pi * si**2) for si in s)
    assert sp.simplify(sp.expand_log(-2 * sp.log(L), force=True) - chi2 - sp.expand_log(const, force=True)) == 0


def test_p6fit_claims_about_the_sample_and_the_fit():
    """03-fitting-heights: the fitted mu depends on the bin edges over a range that contains the
    sample mean; both differences are smaller than the estimates' uncertainties."""
    from scipy.optimize import curve_fit

    heights = child_heights()
    fitted = []
    for offset in np.arange(0.0, 1.0, 0.125):
        h = histogram(heights, width=1.0, start=np.floor(heights.min()) - 1 + offset)
        fitted.append(curve_fit(gaussian, h.centres, h.density, p0=[65, 4], sigma=h.uncertainty, absolute_sigma=True)[0])
    fitted = np.array(fitted)
    assert fitted[:, 0].min() < heights.mean() < fitted[:, 0].max()
    h = histogram(heights, width=1.0)
    popt, pcov = curve_fit(gaussian, h.centres, h.density, p0=[65, 4], sigma=h.uncertainty, absolute_sigma=True)
    se_mean = heights.std(ddof=1) / np.sqrt(heights.size)
    assert abs(heights.mean() - popt[0]) < min(se_mean, np.sqrt(pcov[0, 0]))
    assert abs(heights.std(ddof=1) - popt[1]) < np.sqrt(pcov[1, 1])


def test_p6lin_spreads_and_the_parents_generation():
    """01: the spreads of sons and transmuted daughters nearly agree (what pooling needs); the
    children spread as much as their parents (ex-p6lin-reverse); the first-row-per-family parents."""
    data = load_galton()
    sons, transmuted = data.child[data.male], 1.08 * data.child[~data.male]
    assert abs(sons.std(ddof=1) / transmuted.std(ddof=1) - 1) < 0.05
    _, first = np.unique(data.family, return_index=True)
    assert first.size == 205
    parents = np.concatenate([data.father[first], 1.08 * data.mother[first]])
    children = child_heights(data).std(ddof=1)
    assert abs(children - parents.std(ddof=1)) < 0.01  # "as much as their parents'"
    assert children > linear_fit(data.midparent, child_heights(data)).residuals.std()  # not shrunk


def test_childnum_sons_first_each_in_decreasing_height():
    """PROVENANCE.md: sons first, in decreasing order of height, then daughters, likewise."""
    data = load_galton()
    for family in np.unique(data.family):
        rows = np.flatnonzero(data.family == family)
        rows = rows[np.argsort(data.child_number[rows])]
        male, h = data.male[rows], data.child[rows]
        assert np.all(np.diff(male.astype(int)) <= 0)
        assert np.all(np.diff(h[male]) <= 0) and np.all(np.diff(h[~male]) <= 0)


def _heights_hist():
    heights = child_heights()
    h = histogram(heights, width=1.0)
    return heights, h


def test_p6fit_descent_path_as_described():
    """03: the first step carries mu most of the way but short of the minimum and raises sigma;
    mu grows at every step and never passes the minimum."""
    _, h = _heights_hist()
    d = steepest_descent(gaussian_model, gaussian_jacobian, [65.0, 4.0], h.centres, h.density, h.uncertainty,
                         eta=1e-3, max_steps=10_000)
    hist = d.history
    assert 65 + 0.5 * (d.theta[0] - 65) < hist[1, 0] < d.theta[0]
    assert hist[1, 1] > hist[0, 1]
    assert np.all(np.diff(hist[:, 0]) >= 0) and hist[:, 0].max() <= d.theta[0] + 1e-12
    assert hist[2, 1] < hist[1, 1]  # then the steps turn down


def test_p6fit_run_from_64_2_as_described():
    """03, ex-p6fit-eta: from (64, 2) the first step overshoots mu and raises sigma; the second
    throws mu below the shortest height with sigma under one; the run ends there, flat."""
    heights, h = _heights_hist()
    d = steepest_descent(gaussian_model, gaussian_jacobian, [64.0, 2.0], h.centres, h.density, h.uncertainty,
                         eta=1e-3, max_steps=5000)
    hist = d.history
    assert hist[1, 0] > 72 and hist[1, 1] > 2
    assert hist[2, 0] < heights.min() and hist[2, 1] < 1
    assert d.theta[0] < heights.min() and d.theta[1] < 1
    assert np.max(gaussian(h.centres, *d.theta)) < 0.05 * np.max(h.density)  # almost zero in every bin


def test_p6fit_heaping_claims():
    """03: heights mostly on whole or half inches; sons' heaps sit a quarter inch from every
    default edge; two large daughter heaps, times 1.08, straddle the bin [70.25, 71.25), which
    holds far fewer daughters than a Gaussian expects; the edge sweep (edges off the heaps) moves
    mu for all children and for sons alone, over a range several times curve_fit's error bar."""
    from scipy.optimize import curve_fit
    from scipy.stats import norm

    data = load_galton()
    heights, h = _heights_hist()
    on = np.isclose(data.child % 0.5, 0)
    assert on[data.male].mean() > 0.85 and on[~data.male].mean() > 0.85
    assert np.allclose((h.edges - 0.25) % 1, 0)  # default edges a quarter inch off the whole inches
    sons_heaped = data.child[data.male & on]
    dist = np.min(np.abs(sons_heaped[:, None] - h.edges[None, :]), axis=1)
    assert np.all(np.isclose(dist, 0.25))
    daughters = data.child[~data.male]
    assert 1.08 * 65 < 70.25 < 1.08 * 65.5 < 71.25 < 1.08 * 66
    assert np.sum(daughters == 65) > 40 and np.sum(daughters == 66) > np.sum(daughters == 65.5) > 20
    t = 1.08 * daughters
    in_bin = np.sum((t >= 70.25) & (t < 71.25))
    expected = t.size * np.diff(norm.cdf([70.25, 71.25], t.mean(), t.std(ddof=1)))[0]
    assert in_bin < 0.7 * expected
    popt, pcov = curve_fit(gaussian, h.centres, h.density, p0=[65, 4], sigma=h.uncertainty, absolute_sigma=True)
    offsets = [0.125, 0.25, 0.375, 0.625, 0.75, 0.875]
    for values in (heights, data.child[data.male]):
        mus = []
        for o in offsets:
            hh = histogram(values, width=1.0, start=np.floor(values.min()) - 1 + o)
            mus.append(curve_fit(gaussian, hh.centres, hh.density, p0=[65, 4], sigma=hh.uncertainty,
                                 absolute_sigma=True)[0][0])
        assert min(mus) < values.mean() < max(mus)
        assert max(mus) - min(mus) > 3 * np.sqrt(pcov[0, 0])  # the bin edges matter more than the error bar


def test_p6fit_sons_sigma_agrees():
    """03, ex-p6fit-sons: sigma, which the factor 1.08 did not force, agrees within the sons' error."""
    from scipy.optimize import curve_fit

    _, h = _heights_hist()
    s = histogram(child_heights(who="sons"), width=1.0)
    p_all, _ = curve_fit(gaussian, h.centres, h.density, p0=[65, 4], sigma=h.uncertainty, absolute_sigma=True)
    p_sons, cov = curve_fit(gaussian, s.centres, s.density, p0=[65, 4], sigma=s.uncertainty, absolute_sigma=True)
    assert abs(p_sons[1] - p_all[1]) < np.sqrt(cov[1, 1])
    assert abs(p_sons[0] - p_all[0]) < np.sqrt(cov[0, 0])


def test_p6lin_residual_bins_show_no_trend():
    """01: the mean residual in one-inch bins of mid-parent height (bins of at least ten) stays
    within two and a half standard errors of zero, and has no linear trend."""
    data = load_galton()
    x, y = data.midparent, child_heights(data)
    fit = linear_fit(x, y)
    which = np.digitize(x, np.arange(np.floor(x.min()), np.ceil(x.max()) + 1))
    centres, means = [], []
    for k in np.unique(which):
        r = fit.residuals[which == k]
        if r.size >= 10:
            assert abs(r.mean()) < 2.5 * r.std(ddof=1) / np.sqrt(r.size)
            centres.append(x[which == k].mean())
            means.append(r.mean())
    assert abs(np.polyfit(centres, means, 1)[0]) < 0.1


def test_p6fit_chi2_near_the_degrees_of_freedom():
    """03: chi2 of the fit is within two standard deviations (sqrt(2 dof)) of the degrees of freedom."""
    _, h = _heights_hist()
    d = steepest_descent(gaussian_model, gaussian_jacobian, [65.0, 4.0], h.centres, h.density, h.uncertainty,
                         eta=1e-3, max_steps=10_000)
    dof = h.centres.size - 2
    assert abs(d.chi2 - dof) < 2 * np.sqrt(2 * dof)
