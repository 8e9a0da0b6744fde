"""Tests for mlcalc.optimise: Newton-Raphson (1-D and systems), gradient descent, Lagrange.

Every failure of the Newton-Raphson page's gallery must be reported as such, never as a root;
every converged answer must agree with SciPy; bad input to every public callable raises a
named TypeError/ValueError.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize

from mlcalc.optimise import (
    DescentResult,
    LagrangeResult,
    NewtonResult,
    QuadraticBowl,
    convergence_order,
    convergence_ratio,
    gradient_descent,
    lagrange_solve,
    lagrangian_gradient,
    newton_raphson,
    newton_system,
    quadratic_bowl,
)

FAST = settings(max_examples=60, deadline=None)


def cubic(x):
    return x**3 - 2 * x - 5


def dcubic(x):
    return 3 * x**2 - 2


CUBIC_ROOT = 2.0945514815423265


# --------------------------------------------------------------------------- newton_raphson


def test_newton_converges_quadratically_on_newtons_cubic():
    res = newton_raphson(cubic, 2.0, dcubic)
    assert isinstance(res, NewtonResult)
    assert res.status == "converged" and res.converged
    assert res.history[0] == 2.0 and res.x == res.history[-1]
    assert res.iterations == len(res.history) - 1
    assert abs(res.x - CUBIC_ROOT) < 1e-15
    e = np.abs(res.history - CUBIC_ROOT)
    q = convergence_order(e[e > 1e-14])
    assert abs(q[-1] - 2) < 0.05
    assert res.f_evaluations == res.df_evaluations == res.iterations


def test_numerical_derivative_gives_the_same_root_and_counts_calls():
    res = newton_raphson(cubic, 2.0)
    assert res.converged and abs(res.x - CUBIC_ROOT) < 1e-14
    assert res.df_evaluations == 0
    assert res.f_evaluations == 3 * res.iterations  # f(x) and two for the central difference


def test_zero_derivative_is_reported():
    res = newton_raphson(lambda x: x**2 - 2, 0.0, lambda x: 2 * x)
    assert res.status == "zero derivative" and not res.converged
    assert res.iterations == 0 and "f'(x) = 0" in res.message


def test_two_cycle_is_reported_with_exact_and_numerical_derivative():
    for df in (lambda x: 3 * x**2 - 2, None):
        res = newton_raphson(lambda x: x**3 - 2 * x + 2, 0.0, df)
        assert res.status == "cycle" and not res.converged
        assert "period 2" in res.message


def test_arctan_beyond_critical_start_diverges_inside_converges():
    xc = newton_raphson(lambda x: 2 * x - (1 + x**2) * np.arctan(x), 1.4,
                        lambda x: 1 - 2 * x * np.arctan(x)).x
    assert abs(xc - 1.3917452002707) < 1e-10
    d = lambda x: 1 / (1 + x**2)
    inside = newton_raphson(np.arctan, xc - 0.01, d)
    outside = newton_raphson(np.arctan, xc + 0.01, d)
    assert inside.converged and abs(inside.x) < 1e-12
    assert outside.status == "diverged" and not outside.converged
    assert np.all(np.isfinite(outside.history))


def test_divergence_to_non_finite_values_is_reported():
    # f is inf at the second iterate, well inside the bound
    res = newton_raphson(lambda x: np.inf if x > 1 else x - 5, 0.0, lambda x: 0.1)
    assert res.status == "diverged" and "inf" in res.message
    res = newton_raphson(lambda x: x - 5, 0.0, lambda x: np.nan)
    assert res.status == "diverged"


def test_double_root_converges_linearly_with_ratio_one_half():
    res = newton_raphson(lambda x: (x - 1) ** 2 * (x + 2), 2.0, lambda x: 2 * (x - 1) * (x + 2) + (x - 1) ** 2)
    assert res.converged and res.iterations > 30
    e = np.abs(res.history - 1)
    e = e[e > 1e-12]
    assert abs(convergence_ratio(e)[-1] - 0.5) < 1e-3
    assert abs(convergence_order(e)[-1] - 1) < 1e-2


def test_step_limit_is_reported():
    res = newton_raphson(lambda x: (x - 1) ** 2 * (x + 2), 2.0, lambda x: 2 * (x - 1) * (x + 2) + (x - 1) ** 2,
                         max_steps=5)
    assert res.status == "step limit" and not res.converged and res.iterations == 5


def test_near_turning_point_finds_a_far_root_and_says_where():
    res = newton_raphson(np.sin, 1.5, np.cos)
    assert res.converged and abs(res.x / np.pi + 4) < 1e-12


@FAST
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3), st.floats(-10, 10))
def test_never_a_wrong_number_silently(a, b, c, x0):
    """On random cubics from random starts: converged means a root; otherwise a failure status."""
    f = lambda x: x**3 + a * x**2 + b * x + c
    df = lambda x: 3 * x**2 + 2 * a * x + b
    res = newton_raphson(f, x0, df)
    assert res.status in {"converged", "step limit", "zero derivative", "cycle", "diverged"}
    assert res.converged == (res.status == "converged")
    if res.converged:
        scale = 1 + abs(res.x) ** 3 + abs(a) * res.x**2 + abs(b * res.x) + abs(c)
        assert abs(f(res.x)) <= 1e-9 * scale


@FAST
@given(st.floats(0.1, 50.0), st.floats(0.5, 5.0))
def test_agrees_with_scipy_newton_and_brentq(a, x0):
    f = lambda x: x**3 - a
    ours = newton_raphson(f, x0, lambda x: 3 * x**2)
    assert ours.converged
    theirs = optimize.newton(f, x0, fprime=lambda x: 3 * x**2, tol=1e-12, maxiter=200)
    bracket = optimize.brentq(f, 0.0, 10.0, xtol=1e-14)
    assert abs(ours.x - theirs) <= 1e-10 * max(1, abs(theirs))
    assert abs(ours.x - bracket) <= 1e-10 * max(1, abs(bracket))


# --------------------------------------------------------------------------- newton_system


def F_ch(v):
    return np.array([v[0] ** 2 + v[1] ** 2 - 4, v[0] * v[1] - 1])


def J_ch(v):
    return np.array([[2 * v[0], 2 * v[1]], [v[1], v[0]]])


R_CH = np.array([np.sqrt(2 + np.sqrt(3)), 1 / np.sqrt(2 + np.sqrt(3))])


def test_system_converges_quadratically_exact_and_numerical_jacobian():
    for J in (J_ch, None):
        res = newton_system(F_ch, [2.0, 0.5], J)
        assert res.converged and np.linalg.norm(res.x - R_CH) < 1e-14
        assert res.history.shape == (res.iterations + 1, 2)
        assert np.array_equal(res.history[0], [2.0, 0.5])
    e = np.linalg.norm(newton_system(F_ch, [2.0, 0.5], J_ch).history - R_CH, axis=1)
    assert abs(convergence_order(e[e > 1e-14])[-1] - 2) < 0.1


def test_system_singular_jacobian_is_reported():
    res = newton_system(F_ch, [1.0, 1.0], J_ch)
    assert res.status == "singular Jacobian" and not res.converged


def test_system_cycle_and_divergence_and_step_limit():
    F = lambda v: np.array([v[0] ** 3 - 2 * v[0] + 2, v[1]])
    J = lambda v: np.array([[3 * v[0] ** 2 - 2, 0.0], [0.0, 1.0]])
    assert newton_system(F, [0.0, 1.0], J).status == "cycle"
    G = lambda v: np.arctan(v)
    JG = lambda v: np.diag(1 / (1 + v**2))
    assert newton_system(G, [1.5, 1.5], JG).status == "diverged"
    # one coordinate running away makes the Jacobian ill-conditioned first: reported as singular
    H = lambda v: np.array([np.arctan(v[0]), v[1]])
    JH = lambda v: np.array([[1 / (1 + v[0] ** 2), 0.0], [0.0, 1.0]])
    assert newton_system(H, [1.5, 0.0], JH).status == "singular Jacobian"
    assert newton_system(F_ch, [2.0, 0.5], J_ch, max_steps=1).status == "step limit"


def test_system_agrees_with_scipy_root():
    ours = newton_system(F_ch, [2.0, 0.5])
    theirs = optimize.root(F_ch, [2.0, 0.5], jac=J_ch)
    assert theirs.success and np.linalg.norm(ours.x - theirs.x) < 1e-8  # SciPy's default xtol ~1.5e-8
    assert np.linalg.norm(ours.x - R_CH) <= np.linalg.norm(theirs.x - R_CH)


# --------------------------------------------------------------------------- convergence rates


def test_convergence_order_recovers_a_known_order():
    for q in (1.0, 1.618, 2.0, 3.0):
        e = [0.5]
        for _ in range(4):
            e.append(0.7 * e[-1] ** q)
        assert np.allclose(convergence_order(e), q, rtol=1e-9)
    assert np.allclose(convergence_ratio([1.0, 0.5, 0.25]), 0.5)


@pytest.mark.parametrize("errors, err, pattern", [
    ([1.0, 0.5], ValueError, "at least 3"),
    ([1.0, 0.0, 0.1], ValueError, "positive"),
    ([1.0, np.nan, 0.1], ValueError, "finite"),
    ([1.0, 1.0, 0.5], ValueError, "equal"),
    ("abc", TypeError, "errors"),
    ([[1.0, 0.5, 0.2]], ValueError, "dimension"),
])
def test_convergence_order_bad_input(errors, err, pattern):
    with pytest.raises(err, match=pattern):
        convergence_order(errors)


def test_convergence_ratio_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        convergence_ratio([1.0])
    with pytest.raises(ValueError, match="positive"):
        convergence_ratio([1.0, -1.0])


# --------------------------------------------------------------------------- gradient descent


def test_quadratic_bowl_curvatures_and_gradient():
    b = quadratic_bowl(10.0, 1.0, angle=0.4)
    assert isinstance(b, QuadraticBowl)
    assert np.isclose(b.L, 10) and np.isclose(b.mu, 1) and np.isclose(b.kappa, 10)
    x = np.array([0.3, -0.7])
    assert np.isclose(b.value(x), 0.5 * x @ b.A @ x)
    assert np.allclose(b.gradient(x), b.A @ x)


def test_descent_converges_below_two_over_L_and_diverges_above():
    b = quadratic_bowl(10.0, 1.0, angle=np.pi / 6)
    ok = gradient_descent(b.value, [1.5, 1.5], 1.99 / b.L, grad=b.gradient, gtol=1e-8, max_steps=10000)
    bad = gradient_descent(b.value, [1.5, 1.5], 2.01 / b.L, grad=b.gradient, gtol=1e-8, max_steps=10000)
    assert isinstance(ok, DescentResult)
    assert ok.converged and np.linalg.norm(ok.x) < 1e-8
    assert bad.status == "diverged" and not bad.converged
    d = np.linalg.norm(bad.history, axis=1)
    assert abs(d[-1] / d[-2] - 1.01) < 1e-6  # |1 - eta L|
    assert bad.values.shape == (bad.iterations + 1,)


@FAST
@given(st.floats(1.0, 100.0), st.floats(0.0, np.pi))
def test_descent_rate_is_kappa_minus_one_over_kappa_plus_one(kappa, angle):
    b = quadratic_bowl(kappa, 1.0, angle)
    res = gradient_descent(b.value, [1.0, -0.5], 2 / (b.L + b.mu), grad=b.gradient, gtol=1e-6, max_steps=50000)
    assert res.converged
    d = np.linalg.norm(res.history, axis=1)
    if res.iterations >= 3 and kappa > 1.01:
        assert abs(d[-1] / d[-2] - (kappa - 1) / (kappa + 1)) < 1e-6


def test_descent_step_limit_and_numerical_gradient():
    f = lambda v: (v[0] - 1) ** 2 + 2 * (v[1] + 0.5) ** 2
    res = gradient_descent(f, [0.0, 0.0], 0.1, gtol=1e-7)
    assert res.converged and np.allclose(res.x, [1, -0.5], atol=1e-6)
    short = gradient_descent(f, [0.0, 0.0], 0.1, max_steps=3)
    assert short.status == "step limit" and short.iterations == 3


def test_descent_non_finite_value_is_divergence():
    res = gradient_descent(lambda v: float(np.sum(v**2)) if v[0] < 5 else np.inf, [0.0], 1.0,
                           grad=lambda v: np.array([-1.0]))
    assert res.status == "diverged"


# --------------------------------------------------------------------------- Lagrange


def f_circle(v):
    return v[0] + v[1] ** 2


def g_circle(v):
    return v[0] ** 2 + v[1] ** 2 - 4


@pytest.mark.parametrize("start, point, lam, value", [
    ((1.0, 1.5), (0.5, np.sqrt(15) / 2), 1.0, 17 / 4),
    ((1.0, -1.5), (0.5, -np.sqrt(15) / 2), 1.0, 17 / 4),
    ((-1.5, 0.3), (-2.0, 0.0), -0.25, -2.0),
    ((1.5, 0.3), (2.0, 0.0), 0.25, 2.0),
])
def test_lagrange_finds_the_four_candidates_on_the_circle(start, point, lam, value):
    res = lagrange_solve(f_circle, g_circle, start)
    assert isinstance(res, LagrangeResult)
    assert res.converged and np.allclose(res.x, point, atol=1e-9)
    assert np.isclose(res.multiplier[0], lam, atol=1e-9) and np.isclose(res.value, value, atol=1e-9)


def test_lagrange_with_exact_derivatives_and_two_constraints():
    # extremes of x + 2y + 3z on the circle where the unit sphere meets the plane x + y + z = 0
    f = lambda v: v[0] + 2 * v[1] + 3 * v[2]
    g = lambda v: np.array([v @ v - 1, np.sum(v)])
    res = lagrange_solve(f, g, [-0.7, 0.0, 0.7], grad_f=lambda v: np.array([1.0, 2.0, 3.0]),
                         jac_g=lambda v: np.vstack([2 * v, np.ones(3)]))
    assert res.converged and res.multiplier.shape == (2,)
    c = np.array([1.0, 2.0, 3.0])
    proj = c - c.mean()  # the maximiser is the projection of c on the plane, normalised
    assert np.allclose(res.x, proj / np.linalg.norm(proj), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.floats(1.5, 4.0), st.floats(1.5, 4.0), st.floats(1.0, 3.0))
def test_lagrange_nearest_point_of_ellipse_agrees_with_slsqp(px, py, a):
    p = np.array([px, py])
    f = lambda v: float(np.sum((v - p) ** 2))
    g = lambda v: v[0] ** 2 / a**2 + v[1] ** 2 - 1
    start = np.array([a, 1.0]) / np.sqrt(2)
    ours = lagrange_solve(f, g, start)
    theirs = optimize.minimize(f, start, method="SLSQP", constraints=[{"type": "eq", "fun": g}],
                               options={"ftol": 1e-14, "maxiter": 500})
    assume(theirs.success)
    assert ours.converged
    assert np.linalg.norm(ours.x - theirs.x) < 1e-5


def test_lagrangian_gradient_is_the_formula():
    grad_L = lagrangian_gradient(f_circle, g_circle, 2)
    z = np.array([0.3, -1.1, 0.7])
    x, y, lam = z
    want = np.array([1 - lam * 2 * x, 2 * y - lam * 2 * y, -(x**2 + y**2 - 4)])
    assert np.allclose(grad_L(z), want, atol=1e-9)
    with pytest.raises(ValueError, match="length 3"):
        grad_L([0.3, -1.1])


# --------------------------------------------------------------------------- bad input

junk = st.one_of(st.none(), st.text(max_size=3), st.booleans(), st.just(np.nan), st.just(np.inf),
                 st.just([1.0, 2.0]), st.just(object()))


@FAST
@given(junk)
def test_newton_raphson_bad_x0(x0):
    with pytest.raises((TypeError, ValueError), match="x0"):
        newton_raphson(cubic, x0, dcubic)


@FAST
@given(st.one_of(st.none(), st.text(max_size=3), st.booleans(), st.just(np.nan), st.just([[1.0]]), st.just([]),
                 st.just(object())))
def test_vector_solvers_bad_x0(x0):
    with pytest.raises((TypeError, ValueError), match="x0"):
        newton_system(F_ch, x0)
    with pytest.raises((TypeError, ValueError), match="x0"):
        gradient_descent(lambda v: float(v @ v), x0, 0.1)
    with pytest.raises((TypeError, ValueError), match="x0"):
        lagrange_solve(f_circle, g_circle, x0)


@pytest.mark.parametrize("kwargs, err, pattern", [
    (dict(xtol=0.0), ValueError, "xtol"),
    (dict(xtol=-1.0), ValueError, "xtol"),
    (dict(xtol=np.nan), ValueError, "xtol"),
    (dict(max_steps=0), ValueError, "max_steps"),
    (dict(max_steps=2.5), TypeError, "max_steps"),
    (dict(bound="big"), TypeError, "bound"),
])
def test_newton_options_bad(kwargs, err, pattern):
    with pytest.raises(err, match=pattern):
        newton_raphson(cubic, 2.0, dcubic, **kwargs)
    with pytest.raises(err, match=pattern):
        newton_system(F_ch, [2.0, 0.5], J_ch, **kwargs)


def test_not_callable_is_named():
    with pytest.raises(TypeError, match="f must be a function"):
        newton_raphson(3.0, 1.0)
    with pytest.raises(TypeError, match="df must be a function"):
        newton_raphson(cubic, 1.0, "x")
    with pytest.raises(TypeError, match="F must be a function"):
        newton_system(None, [1.0])
    with pytest.raises(TypeError, match="J must be a function"):
        newton_system(F_ch, [1.0, 1.0], np.eye(2))
    with pytest.raises(TypeError, match="grad must be a function"):
        gradient_descent(f_circle, [1.0, 1.0], 0.1, grad=[1, 2])
    with pytest.raises(TypeError, match="g must be a function"):
        lagrange_solve(f_circle, 0, [1.0, 1.0])
    with pytest.raises(TypeError, match="grad_f must be a function"):
        lagrangian_gradient(f_circle, g_circle, 2, grad_f=1)


@pytest.mark.parametrize("returns", ["abc", None, True, np.array([1.0, 2.0]), 1j])
def test_functions_returning_garbage_are_named(returns):
    with pytest.raises(TypeError, match=r"f\(x\)"):
        newton_raphson(lambda x: returns, 1.0, lambda x: 1.0)
    with pytest.raises(TypeError, match=r"df\(x\)"):
        newton_raphson(lambda x: x, 1.0, lambda x: returns)


def test_system_wrong_shapes_are_named():
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        newton_system(lambda v: np.array([v[0]]), [1.0, 2.0])
    with pytest.raises(TypeError, match="F"):
        newton_system(lambda v: "no", [1.0, 2.0])
    with pytest.raises(ValueError, match="J"):
        newton_system(F_ch, [2.0, 0.5], lambda v: np.eye(3))
    with pytest.raises(TypeError, match="F"):
        newton_system(lambda v: v[5], [1.0, 2.0])


@pytest.mark.parametrize("kwargs, err, pattern", [
    (dict(eta=0.0), ValueError, "eta"),
    (dict(eta=-0.1), ValueError, "eta"),
    (dict(eta="big"), TypeError, "eta"),
    (dict(eta=0.1, gtol=0.0), ValueError, "gtol"),
    (dict(eta=0.1, max_steps=0), ValueError, "max_steps"),
    (dict(eta=0.1, bound=np.inf), ValueError, "bound"),
])
def test_descent_options_bad(kwargs, err, pattern):
    with pytest.raises(err, match=pattern):
        gradient_descent(lambda v: float(v @ v), [1.0, 1.0], **kwargs)


def test_descent_garbage_returns_are_named():
    with pytest.raises((TypeError, ValueError), match="f"):
        gradient_descent(lambda v: "x", [1.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="grad"):
        gradient_descent(lambda v: float(v @ v), [1.0, 1.0], 0.1, grad=lambda v: np.zeros(3))
    with pytest.raises((TypeError, ValueError), match="f"):
        gradient_descent(lambda v: v, [1.0, 1.0], 0.1)


@pytest.mark.parametrize("args, err, pattern", [
    ((0.0, 1.0), ValueError, "L"),
    ((1.0, -1.0), ValueError, "mu"),
    ((1.0, 2.0), ValueError, "larger"),
    (("a", 1.0), TypeError, "L"),
    ((2.0, 1.0, np.nan), ValueError, "angle"),
])
def test_quadratic_bowl_bad_input(args, err, pattern):
    with pytest.raises(err, match=pattern):
        quadratic_bowl(*args)


def test_bowl_methods_check_the_point():
    b = quadratic_bowl(2.0, 1.0)
    with pytest.raises(ValueError, match="x"):
        b.value([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="x"):
        b.gradient("ab")


def test_lagrange_bad_input_is_named():
    with pytest.raises(ValueError, match="fewer constraints"):
        lagrange_solve(f_circle, lambda v: np.array([v[0], v[1]]), [1.0, 1.0])
    with pytest.raises(ValueError, match="multiplier0"):
        lagrange_solve(f_circle, g_circle, [1.0, 1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="multiplier0"):
        lagrange_solve(f_circle, g_circle, [1.0, 1.0], [np.nan])
    with pytest.raises((TypeError, ValueError), match="g"):
        lagrange_solve(f_circle, lambda v: "x", [1.0, 1.0])
    with pytest.raises(ValueError, match="g must return"):
        lagrange_solve(f_circle, lambda v: np.ones((2, 2)), [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="grad_f"):
        lagrange_solve(f_circle, g_circle, [1.0, 1.0], grad_f=lambda v: np.zeros(3))
    with pytest.raises(ValueError, match="n must be at least 1"):
        lagrangian_gradient(f_circle, g_circle, 0)
    with pytest.raises(TypeError, match="n must be an integer"):
        lagrangian_gradient(f_circle, g_circle, 2.0)
