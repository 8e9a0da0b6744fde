"""mlcalc.losses: softmax, log-sum-exp, cross-entropy, logistic loss, least squares; values,
gradients against central differences, stability far out, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit, logsumexp

from mlcalc.losses import (
    cross_entropy,
    least_squares,
    least_squares_gradient,
    log_sum_exp,
    logistic_loss,
    logistic_loss_gradient,
    normal_equations,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
    softmax_jacobian,
    softplus,
)
from mlcalc.multivariate import gradient, jacobian

FAST = settings(max_examples=60, deadline=None)
scores = arrays(np.float64, st.integers(2, 6), elements=st.floats(-30, 30))
huge_scores = arrays(np.float64, st.integers(2, 6), elements=st.floats(-1e5, 1e5))


def one_hot(k: int, size: int) -> np.ndarray:
    y = np.zeros(size)
    y[k % size] = 1.0
    return y


# --- softmax and log-sum-exp --------------------------------------------------------------------


@FAST
@given(huge_scores)
def test_log_sum_exp_matches_scipy_even_where_the_naive_form_overflows(z):
    assert log_sum_exp(z) == pytest.approx(float(logsumexp(z)), rel=1e-14, abs=1e-12)
    assert np.isfinite(log_sum_exp(z))


@FAST
@given(huge_scores)
def test_softmax_is_a_distribution_and_is_the_gradient_of_log_sum_exp(z):
    p = softmax(z)
    assert np.all(p >= 0) and p.sum() == pytest.approx(1.0, abs=1e-14)
    assert p.shape == z.shape
    assert np.allclose(p, np.exp(z - logsumexp(z)), rtol=1e-10, atol=1e-300)  # the reference rounds z - lse


@FAST
@given(scores)
def test_softmax_gradient_of_lse_and_shift_invariance(z):
    assert np.allclose(gradient(log_sum_exp, z), softmax(z), atol=1e-8)
    assert np.allclose(softmax(z + 123.0), softmax(z), atol=1e-14)


def test_columns_are_points():
    Z = np.array([[1.0, 1000.0, -5.0], [2.0, 1001.0, -5.0], [0.0, 999.0, -5.0]])
    P = softmax(Z)
    assert np.allclose(P.sum(axis=0), 1.0)
    for k in range(3):
        assert np.allclose(P[:, k], softmax(Z[:, k]))
    assert np.allclose(log_sum_exp(Z), [log_sum_exp(Z[:, k]) for k in range(3)])
    assert isinstance(log_sum_exp(Z[:, 0]), float)


@FAST
@given(scores)
def test_softmax_jacobian_matches_central_differences(z):
    J = softmax_jacobian(z)
    assert np.allclose(J, jacobian(softmax, z), atol=1e-8)
    assert np.allclose(J, J.T) and np.allclose(J.sum(axis=1), 0.0, atol=1e-15)


# --- cross-entropy ------------------------------------------------------------------------------


@FAST
@given(scores, st.integers(0, 100))
def test_softmax_cross_entropy_equals_minus_log_p_and_its_gradient_is_p_minus_y(z, k):
    y = one_hot(k, z.size)
    p = softmax(z)
    if p[k % z.size] > 1e-300:
        assert softmax_cross_entropy(z, y) == pytest.approx(-np.log(p[k % z.size]), rel=1e-10, abs=1e-12)
        assert softmax_cross_entropy(z, y) == pytest.approx(cross_entropy(p, y), rel=1e-10, abs=1e-12)
    g = softmax_cross_entropy_gradient(z, y)
    assert np.allclose(g, p - y, atol=1e-15)
    assert np.allclose(g, gradient(lambda s: softmax_cross_entropy(s, y), z), atol=1e-7)


def test_cross_entropy_is_finite_from_the_scores_where_the_probability_underflows():
    z = np.array([0.0, 1000.0])
    y = np.array([1.0, 0.0])
    assert softmax_cross_entropy(z, y) == pytest.approx(1000.0)
    with pytest.raises(ValueError, match="softmax_cross_entropy"):
        cross_entropy(softmax(z), y)


def test_cross_entropy_of_several_points_is_the_mean_and_the_gradient_divides_by_n():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(4, 5))
    Y = np.eye(4)[:, rng.integers(0, 4, 5)]
    assert softmax_cross_entropy(Z, Y) == pytest.approx(np.mean([softmax_cross_entropy(Z[:, k], Y[:, k]) for k in range(5)]))
    G = softmax_cross_entropy_gradient(Z, Y)
    numerical = gradient(lambda flat: softmax_cross_entropy(flat.reshape(4, 5), Y), Z.ravel()).reshape(4, 5)
    assert np.allclose(G, numerical, atol=1e-8)
    # soft targets (a distribution, not one-hot) are allowed
    soft = np.full((4, 5), 0.25)
    assert cross_entropy(softmax(Z), soft) == pytest.approx(softmax_cross_entropy(Z, soft))


# --- logistic loss ------------------------------------------------------------------------------


@FAST
@given(st.floats(-700, 700), st.sampled_from([0.0, 1.0, 0.3]))
def test_logistic_loss_stable_form_and_gradient(z, y):
    expected = np.logaddexp(0.0, z) - y * z
    assert logistic_loss(z, y) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert logistic_loss_gradient(z, y) == pytest.approx(expit(z) - y, abs=1e-15)
    assert softplus(z) == pytest.approx(np.logaddexp(0.0, z), rel=1e-14, abs=1e-300)
    if abs(z) < 30:
        with np.errstate(all="raise"):
            direct = -(y * np.log(expit(z)) + (1 - y) * np.log(1 - expit(z)))
        # the direct form loses digits: 1 - expit(z) carries an error of about eps, which is
        # relative eps * e^|z| after the subtraction (z = 20, y = 0 was a hypothesis find)
        assert logistic_loss(z, y) == pytest.approx(direct, rel=1e-9, abs=1e-12 + 1e-15 * np.exp(abs(z)))
        assert logistic_loss_gradient(z, y) == pytest.approx(
            gradient(lambda s: logistic_loss(s[0], y), np.array([z]))[0], abs=1e-7)


def test_logistic_loss_arrays_are_averaged_after_broadcasting():
    z = np.array([-2.0, 0.0, 3.0])
    assert logistic_loss(z, 1.0) == pytest.approx(np.mean([logistic_loss(v, 1.0) for v in z]))
    assert logistic_loss_gradient(z, np.array([1.0, 0.0, 1.0])).shape == (3,)


# --- least squares ------------------------------------------------------------------------------


@FAST
@given(st.integers(0, 10_000))
def test_least_squares_gradient_and_normal_equations(seed):
    rng = np.random.default_rng(seed)
    N, n = rng.integers(3, 9), rng.integers(1, 4)
    X = rng.normal(size=(N, n))
    y = rng.normal(size=N)
    theta = rng.normal(size=n)
    assert np.allclose(least_squares_gradient(theta, X, y),
                       gradient(lambda t: least_squares(t, X, y), theta), rtol=1e-6, atol=1e-7)
    best = normal_equations(X, y)
    assert np.allclose(best, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)
    assert np.allclose(least_squares_gradient(best, X, y), 0.0, atol=1e-9)


def test_normal_equations_refuse_dependent_columns_and_too_few_points():
    X = np.column_stack([np.ones(5), np.arange(5.0), 2 * np.arange(5.0)])
    with pytest.raises(ValueError, match="singular"):
        normal_equations(X, np.arange(5.0))
    with pytest.raises(ValueError, match="too few"):
        normal_equations(np.ones((2, 3)), np.ones(2))


# --- bad input ----------------------------------------------------------------------------------

GOOD_Z = np.array([1.0, 2.0, 0.5])
GOOD_Y = np.array([0.0, 1.0, 0.0])


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: softmax("abc"), TypeError, "z"),
        (lambda: softmax([1.0, np.nan]), ValueError, "finite"),
        (lambda: softmax([]), ValueError, "empty"),
        (lambda: softmax(np.ones((2, 2, 2))), ValueError, r"\(K,\)"),
        (lambda: log_sum_exp([np.inf, 1.0]), ValueError, "finite"),
        (lambda: log_sum_exp(None), TypeError, "z"),
        (lambda: softmax_jacobian(np.ones((2, 2))), ValueError, "dimension"),
        (lambda: cross_entropy([0.5, 0.6], [1.0, 0.0]), ValueError, "sum to 1"),
        (lambda: cross_entropy([0.5, 0.5], [1.0, 0.0, 0.0]), ValueError, "shape"),
        (lambda: softmax_cross_entropy(GOOD_Z, [1.0, 1.0, -1.0]), ValueError, "non-negative"),
        (lambda: softmax_cross_entropy(GOOD_Z, [0.2, 0.2, 0.2]), ValueError, "sum to 1"),
        (lambda: softmax_cross_entropy_gradient(GOOD_Z, GOOD_Y[:2]), ValueError, "shape"),
        (lambda: softmax_cross_entropy(["a", "b", "c"], GOOD_Y), TypeError, "z"),
        (lambda: logistic_loss(0.0, 2.0), ValueError, r"\[0, 1\]"),
        (lambda: logistic_loss([1.0, 2.0, 3.0], [1.0, 0.0]), ValueError, "broadcast"),
        (lambda: logistic_loss_gradient(np.nan, 1.0), ValueError, "finite"),
        (lambda: softplus("1"), TypeError, "z"),
        (lambda: least_squares([1.0], np.ones((3, 2)), np.ones(3)), ValueError, "theta"),
        (lambda: least_squares_gradient([1.0, 2.0], np.ones(3), np.ones(3)), ValueError, "X"),
        (lambda: normal_equations(np.ones((3, 2)), np.ones(4)), ValueError, "y"),
        (lambda: normal_equations(np.ones((3, 2)) * np.inf, np.ones(3)), ValueError, "finite"),
    ],
)
def test_bad_input_is_refused_with_a_named_error(call, error, words):
    with pytest.raises(error, match=words):
        call()
