"""Every formula stated on the Part 4 pages (Taylor series and linearisation), checked with sympy
or, where a page states a numerical claim, with numbers. Each test names the equation or exercise."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

import pytest

from mlcalc.taylor import lagrange_bound, local_model, loglog_slope, taylor_coefficients, taylor_polynomial
from mlcalc.taylor_explorer import CATALOGUE

x, h, u, a, t = sp.symbols("x h u a t", real=True)
dx, dy = sp.symbols("dx dy", real=True)
Z = sp.symbols("z")  # complex
K = 12


def is_zero(e):
    return sp.simplify(e) == 0


# ---- 01-approximating-functions ------------------------------------------------------------------

def test_cos_polynomials_match_derivatives():  # eq-p4-cos-polys, eq-p4-matching
    T = {0: sp.Integer(1), 2: 1 - x**2 / 2, 4: 1 - x**2 / 2 + x**4 / 24}
    for n, poly in T.items():
        for k in range(n + 2):
            want = sp.diff(sp.cos(x), x, k).subs(x, 0)
            got = sp.diff(poly, x, k).subs(x, 0)
            assert got == want  # T_{2m} = T_{2m+1} matches one derivative more than its order
    assert is_zero(sp.series(sp.cos(x), x, 0, 6).removeO() - T[4])


def test_exp_quadratic_exercise():  # ex-p4-app-exp
    T2 = 1 + x + x**2 / 2
    for k in range(3):
        assert sp.diff(T2, x, k).subs(x, 0) == sp.diff(sp.exp(x), x, k).subs(x, 0)


# ---- 02-taylor-coefficients ---------------------------------------------------------------------

def test_coefficient_is_kth_derivative_over_factorial():  # eq-p4-coefficient
    c = sp.symbols("c0:8")
    p = sum(ck * (x - a) ** k for k, ck in enumerate(c))
    for k in range(8):
        assert is_zero(sp.diff(p, x, k).subs(x, a) - sp.factorial(k) * c[k])


def test_exp_sin_cos_series():  # eq-p4-exp-sin-cos
    for expr, term in [
        (sp.exp(x), lambda k: sp.Rational(1, sp.factorial(k))),
        (sp.sin(x), lambda k: 0 if k % 2 == 0 else sp.Integer(-1) ** ((k - 1) // 2) / sp.factorial(k)),
        (sp.cos(x), lambda k: 0 if k % 2 else sp.Integer(-1) ** (k // 2) / sp.factorial(k)),
    ]:
        s = sp.series(expr, x, 0, K).removeO()
        for k in range(K):
            assert s.coeff(x, k) == term(k)
    # differentiating the sine series gives the cosine series
    assert is_zero(sp.diff(sp.series(sp.sin(x), x, 0, K).removeO(), x) - sp.series(sp.cos(x), x, 0, K - 1).removeO())


def test_sigmoid_series_poles_and_radius():  # sigmoid section
    sig = 1 / (1 + sp.exp(-x))
    s = sp.series(sig, x, 0, 8).removeO()
    assert s.coeff(x, 0) == sp.Rational(1, 2) and s.coeff(x, 1) == sp.Rational(1, 4)
    assert all(s.coeff(x, k) == 0 for k in (2, 4, 6))               # sigma - 1/2 is odd
    assert is_zero(sp.diff(sig, x) - sig * (1 - sig))                 # sigma' = sigma(1 - sigma)
    assert sp.simplify(1 + sp.exp(-sp.I * sp.pi)) == 0 and sp.simplify(1 + sp.exp(sp.I * sp.pi)) == 0
    c = taylor_coefficients(CATALOGUE["sigmoid"].f, 0.0, 40)
    k = np.arange(25, 41, 2)
    assert np.all(np.abs(np.abs(c[k]) ** (-1.0 / k) - np.pi) < 0.1)  # the root test tends to pi


def test_sigmoid_root_test_falls_to_pi_from_above():  # fig-p4-sigmoid-root, its alt text and prose
    c = taylor_coefficients(CATALOGUE["sigmoid"].f, 0.0, 40)
    k = np.arange(1, 41, 2)
    root = np.abs(c[k]) ** (-1.0 / k)
    assert np.all(root > np.pi) and np.all(np.diff(root) < 0)       # above pi, falling
    assert root[0] == pytest.approx(4.0) and root[0] <= 4.1         # inside the figure's ylim (3, 4.1)
    # the poles at +-i pi with residue 1: c_k ~ 2 (-1)^m / pi^(k+1), so |c_k|^(-1/k) ~ pi (pi/2)^(1/k)
    assert np.allclose(root[-5:], np.pi * (np.pi / 2) ** (1.0 / k[-5:]), rtol=1e-4)
    sig = 1 / (1 + sp.exp(-Z))
    assert sp.simplify(sp.residue(sig, Z, sp.I * sp.pi)) == 1
    # even coefficients vanish, so |c_k|^(-1/k) has no limit: the statement needs the lim sup
    assert np.all(np.abs(c[2::2]) < 1e-14)


def test_taylor_series_definition():  # eq-p4-taylor-series: f = sum c_k (x - a)^k with c_k = f^(k)(a)/k!
    for expr, a0 in ((sp.exp(x), 1), (sp.sin(x), sp.Rational(1, 3)), (sp.log(1 + x), 2)):
        s = sp.series(expr, x, a0, 8).removeO()
        built = sum(sp.diff(expr, x, k).subs(x, a0) / sp.factorial(k) * (x - a0) ** k for k in range(8))
        assert is_zero(sp.expand(s - built))


def test_cauchy_fft_formula_recovers_coefficients():  # eq-p4-cauchy-fft, as stated, one circle
    N, r, z0 = 64, 0.5, 0.3
    w = np.exp(2j * np.pi * np.arange(N) / N)
    values = np.exp(z0 + r * w)
    c = np.array([np.sum(values * w ** (-k)) / (N * r**k) for k in range(10)])
    assert np.allclose(c.real, [math.exp(z0) / math.factorial(k) for k in range(10)], rtol=1e-12)


def test_geometric_and_lorentz_exercises():  # ex-p4-coef-geometric, ex-p4-coef-lorentz
    assert is_zero(sp.diff(1 / (1 - x), x, 5) - sp.factorial(5) * (1 - x) ** -6)
    assert all(sp.series(1 / (1 - x), x, 0, K).removeO().coeff(x, k) == 1 for k in range(K))
    s = sp.series(1 / (1 + x**2), x, 0, 11).removeO()
    assert [s.coeff(x, k) for k in range(11)] == [1, 0, -1, 0, 1, 0, -1, 0, 1, 0, -1]
    assert set(sp.solve(1 + x**2, x)) == set() and set(sp.solve(1 + Z**2, Z)) == {sp.I, -sp.I}


def test_catalogue_radii():  # the radii the pages and the explorer state
    assert sp.solve(1 - t, t) == [1] and sp.solve(1 + t, t) == [-1]
    assert CATALOGUE["geometric"].radius_at(0.2) == 0.8
    assert CATALOGUE["log1p"].radius_at(0.5) == 1.5
    assert math.isclose(CATALOGUE["arctan"].radius_at(1.0), math.sqrt(2))
    assert math.isclose(CATALOGUE["sigmoid"].radius_at(0.0), math.pi)
    # 07 "Things to try": away from 0 the sigmoid's radius is sqrt(a^2 + pi^2)
    assert math.isclose(CATALOGUE["sigmoid"].radius_at(3.0), math.sqrt(9 + math.pi**2))
    assert round(CATALOGUE["sigmoid"].radius_at(3.0), 3) == 4.344
    assert set(sp.solve(1 + sp.exp(-Z), Z)) >= {sp.I * sp.pi}  # the sigmoid's pole on the axis
    # arctan' = 1/(1 + x^2): singular at +-i, at distance sqrt(a^2 + 1) from a
    assert is_zero(sp.diff(sp.atan(x), x) - 1 / (1 + x**2))


# ---- 03-where-series-fail -----------------------------------------------------------------------

def test_one_over_x_and_log_about_one():  # eq-p4-log-series
    s1 = sp.series(1 / x, x, 1, K).removeO().subs(x, u + 1).expand()
    s2 = sp.series(sp.log(x), x, 1, K).removeO().subs(x, u + 1).expand()
    for k in range(K):
        assert s1.coeff(u, k) == (-1) ** k
        assert s2.coeff(u, k) == (0 if k == 0 else sp.Rational((-1) ** (k + 1), k))
    assert is_zero(sp.diff(x ** -1, x, 4) - 24 * x**-5)


def test_flat_function_has_zero_derivatives_at_zero():  # eq-p4-flat-function
    g = sp.exp(-1 / x**2)
    for k in range(4):
        assert sp.limit(sp.diff(g, x, k), x, 0) == 0
        # the induction step: g^(k+1)(0) = lim (g^(k)(h) - 0)/h = 0
        assert sp.limit(sp.diff(g, x, k) / x, x, 0) == 0
    # the form P(1/x) exp(-1/x^2)
    assert is_zero(sp.diff(g, x) - 2 / x**3 * g)


def test_softplus_exercise():  # ex-p4-fail-relu
    s = sp.series(sp.log(1 + sp.exp(x)), x, 0, 6).removeO()
    assert s.coeff(x, 0) == sp.log(2) and s.coeff(x, 1) == sp.Rational(1, 2)
    assert s.coeff(x, 2) == sp.Rational(1, 8) and s.coeff(x, 3) == 0 and s.coeff(x, 4) == sp.Rational(-1, 192)
    assert is_zero(sp.diff(sp.log(1 + sp.exp(x)), x) - 1 / (1 + sp.exp(-x)))


# ---- 04-how-accurate ----------------------------------------------------------------------------

def test_lagrange_remainder_holds_for_exp():  # eq-p4-lagrange, eq-p4-lagrange-bound
    for n in range(6):
        for hv in (0.1, 0.5, 1.0):
            R = math.exp(hv) - float(taylor_polynomial(np.exp, 0.0, n)(hv))
            xi = math.log(math.factorial(n + 1) * R / hv ** (n + 1))
            assert 0 < xi < hv
            assert R <= lagrange_bound(math.exp(hv), 0.0, hv, n)
    # n = 0 is the mean value theorem: sin(1) - sin(0) = cos(xi) for some xi in (0, 1)
    xi0 = math.acos(math.sin(1.0))
    assert 0 < xi0 < 1


def test_error_is_order_n_plus_one():  # first neglected term; fig-p4-loglog
    for n in range(1, 5):
        rem = sp.series(sp.exp(h) - sum(h**k / sp.factorial(k) for k in range(n + 1)), h, 0, n + 3).removeO()
        assert rem.coeff(h, n + 1) == sp.Rational(1, sp.factorial(n + 1))
        assert all(rem.coeff(h, k) == 0 for k in range(n + 1))


def test_sin_cubic_error_is_fifth_order():  # ex-p4-acc-sin
    rem = sp.series(sp.sin(h) - (h - h**3 / 6), h, 0, 7).removeO()
    assert rem.coeff(h, 4) == 0 and rem.coeff(h, 5) == sp.Rational(1, 120)


def test_e_to_1e10_needs_the_stated_order():  # ex-p4-acc-e
    n = next(n for n in range(30) if 3 / math.factorial(n + 1) <= 1e-10)
    assert n == 13
    assert 3 / math.factorial(14) <= 1e-10 < 3 / math.factorial(13)  # order 13: 14 terms, 1/0! .. 1/13!
    assert abs(math.e - float(taylor_polynomial(np.exp, 0.0, n)(1.0))) < 1e-10


# ---- 05-linearisation ---------------------------------------------------------------------------

def test_linearisation_error():  # eq-p4-linearisation, eq-p4-linearisation-error
    f = sp.Function("f")
    L = f(a) + sp.diff(f(a), a) * (x - a)
    e = sp.series(sp.sqrt(x) - (2 + (x - 4) / 4), x, 4, 3).removeO()
    assert is_zero(e - sp.diff(sp.sqrt(x), x, 2).subs(x, 4) / 2 * (x - 4) ** 2)
    assert sp.diff(sp.sqrt(x), x, 2) == -1 / (4 * x ** sp.Rational(3, 2))
    assert sp.diff(sp.sqrt(x), x).subs(x, 4) == sp.Rational(1, 4)
    assert L.subs(x, a) == f(a)
    assert sp.diff(L, x) == sp.diff(f(a), a)            # the slope of L is f'(a) (the definition)
    L4 = 2 + (x - 4) / 4
    assert L4.subs(x, 4) == sp.sqrt(4) and sp.diff(L4, x) == sp.diff(sp.sqrt(x), x).subs(x, 4)


def test_forward_and_central_truncation_errors():  # eq-p4-expand-pm, eq-p4-forward-error, eq-p4-central-error
    for g in (sp.sin(x), sp.exp(2 * x), sp.log(1 + x**2)):
        d1, d2, d3 = (sp.diff(g, x, k) for k in (1, 2, 3))
        fwd = sp.series((g.subs(x, x + h) - g) / h - d1, h, 0, 2).removeO()
        assert is_zero(fwd - h / 2 * d2)
        cen = sp.series((g.subs(x, x + h) - g.subs(x, x - h)) / (2 * h) - d1, h, 0, 3).removeO()
        assert is_zero(cen - h**2 / 6 * d3)
        back = sp.series((g - g.subs(x, x - h)) / h - d1, h, 0, 2).removeO()   # ex-p4-lin-backward
        assert is_zero(back + h / 2 * d2)


def test_lagrange_forms_used_for_the_differences():  # eq-p4-expand-one, eq-p4-central-error as stated
    # forward: f(x+h) = f(x) + h f'(x) + h^2/2 f''(xi) with xi in (x, x+h), for f = exp
    for xv, hv in ((0.0, 0.1), (0.5, 0.3), (1.0, 0.01)):
        fpp = 2 * (math.exp(xv + hv) - math.exp(xv) - hv * math.exp(xv)) / hv**2
        xi = math.log(fpp)
        assert xv < xi < xv + hv
    # central: the error is h^2/6 f3(xi) with xi in (x - h, x + h), f3 the third derivative; f = sin, f3 = -cos
    for xv, hv in ((0.5, 0.1), (1.0, 0.4)):
        err = (math.sin(xv + hv) - math.sin(xv - hv)) / (2 * hv) - math.cos(xv)
        xi = math.acos(-6 * err / hv**2)
        assert xv - hv < xi < xv + hv


def test_complex_step_expansion():  # the complex step, from the same expansion
    g = sp.exp(x) * sp.sin(x)
    s = sp.series(g.subs(x, x + sp.I * h), h, 0, 4).removeO()
    imag_over_h = sp.expand((s - s.subs(h, -h)) / (2 * sp.I * h))  # odd part: i h f' - i h^3/6 f'''
    assert is_zero(imag_over_h - (sp.diff(g, x) - h**2 / 6 * sp.diff(g, x, 3)))


def test_small_angle_relative_error():  # ex-p4-lin-small-angle
    rel = sp.series((t - sp.sin(t)) / sp.sin(t), t, 0, 4).removeO()
    assert is_zero(rel - t**2 / 6)


# ---- 06-multivariate-taylor ---------------------------------------------------------------------

F = sp.sin(x) * sp.cos(u) + x * u / 2


def test_directional_derivatives_along_a_line():  # intuition: g'(0) = J dx, g''(0) = dx^T H dx
    x0, u0 = sp.Rational(3, 5), sp.Rational(2, 5)
    g = F.subs({x: x0 + t * dx, u: u0 + t * dy})
    J = sp.Matrix([[sp.diff(F, v) for v in (x, u)]]).subs({x: x0, u: u0})
    H = sp.hessian(F, (x, u)).subs({x: x0, u: u0})
    d = sp.Matrix([dx, dy])
    assert is_zero(sp.diff(g, t).subs(t, 0) - (J * d)[0])
    assert is_zero(sp.diff(g, t, 2).subs(t, 0) - (d.T * H * d)[0])
    # eq-p4-quadratic-2d written out
    q = (H[0, 0] * dx**2 + 2 * H[0, 1] * dx * dy + H[1, 1] * dy**2) / 2
    assert is_zero(q - (d.T * H * d)[0] / 2)


def test_multivariate_expansion_as_stated():  # eq-p4-multivariate-taylor
    """The series of f(x0 + t dx) in t, from sympy, against the equation's terms built independently
    from sympy's Jacobian and Hessian; then local_model's value, gradient and Hessian against sympy,
    and the measured error orders (2 for the linear model, 3 for the quadratic one)."""
    x0, u0 = sp.Rational(3, 5), sp.Rational(2, 5)
    at = {x: x0, u: u0}
    g = F.subs({x: x0 + t * dx, u: u0 + t * dy})
    s = sp.expand(sp.series(g, t, 0, 4).removeO())
    J = sp.Matrix([[sp.diff(F, v) for v in (x, u)]]).subs(at)
    H = sp.hessian(F, (x, u)).subs(at)
    d = sp.Matrix([dx, dy])
    assert is_zero(s.coeff(t, 0) - F.subs(at))
    assert is_zero(s.coeff(t, 1) - (J * d)[0])                 # J_f dx
    assert is_zero(s.coeff(t, 2) - (d.T * H * d)[0] / 2)       # 1/2 dx^T H_f dx
    # the remainder is third order and, for a generic direction, not smaller
    assert not is_zero(s.coeff(t, 3).subs({dx: 1, dy: sp.Rational(1, 3)}))
    fn = lambda p: np.sin(p[..., 0]) * np.cos(p[..., 1]) + p[..., 0] * p[..., 1] / 2  # noqa: E731
    m = local_model(fn, [0.6, 0.4])
    m1 = local_model(fn, [0.6, 0.4], order=1)
    assert m.value == pytest.approx(float(F.subs(at)), abs=1e-14)
    assert np.allclose(m.gradient, np.array(J, dtype=float).ravel(), atol=1e-8)   # gradient = J_f^T
    assert m.gradient.shape == (2,)
    assert np.allclose(m.hessian, np.array(H, dtype=float), atol=1e-6)
    rng = np.random.default_rng(4)
    steps = np.logspace(-1, -2.5, 8)
    for _ in range(5):
        v = rng.normal(size=2)
        v /= np.linalg.norm(v)
        pts = np.array([0.6, 0.4]) + steps[:, None] * v
        e1 = np.abs(fn(pts) - m1(pts))
        e2 = np.abs(fn(pts) - m(pts))
        assert abs(loglog_slope(steps, e1) - 2) < 0.1
        assert abs(loglog_slope(steps, e2) - 3) < 0.15


def test_a_broken_expansion_would_fail():
    """The check above can fail: a wrong factor on the Hessian term is caught."""
    x0, u0 = sp.Rational(3, 5), sp.Rational(2, 5)
    g = F.subs({x: x0 + t * dx, u: u0 + t * dy})
    s = sp.expand(sp.series(g, t, 0, 3).removeO())
    H = sp.hessian(F, (x, u)).subs({x: x0, u: u0})
    d = sp.Matrix([dx, dy])
    assert not is_zero(s.coeff(t, 2) - (d.T * H * d)[0])      # without the 1/2


def test_cubic_exercise():  # ex-p4-mv-by-hand
    f = x**2 * u
    J = [sp.diff(f, v).subs({x: 1, u: 2}) for v in (x, u)]
    H = sp.hessian(f, (x, u)).subs({x: 1, u: 2})
    assert J == [4, 1] and H == sp.Matrix([[4, 2], [2, 0]])
    d = sp.Matrix([sp.Rational(1, 10), sp.Rational(-1, 10)])
    model = 2 + (sp.Matrix([J]) * d)[0] + (d.T * H * d)[0] / 2
    assert model == sp.Rational(23, 10)
    exact = f.subs({x: sp.Rational(11, 10), u: sp.Rational(19, 10)})
    assert exact - model == d[0] ** 2 * d[1]                                   # = dx^2 dy
    assert sp.diff(f, x, 2, u) == 2


def test_newton_step_makes_the_model_stationary():  # ex-p4-mv-newton
    Hs = sp.Matrix(2, 2, sp.symbols("h11 h12 h12 h22"))
    g = sp.Matrix(sp.symbols("g1 g2"))
    d = sp.Matrix([dx, dy])
    m = (g.T * d)[0] + (d.T * Hs * d)[0] / 2
    grad = sp.Matrix([sp.diff(m, v) for v in (dx, dy)])
    assert is_zero(sp.simplify(grad - (g + Hs * d)).norm())
    step = -Hs.inv() * g
    assert is_zero(sp.simplify(grad.subs({dx: step[0], dy: step[1]})).norm())



# ---- numbers the exercise solutions state ---------------------------------------------------------

def test_cos_order_exercise():  # ex-p4-app-order: 8 at x = 1, 16 at x = 3, even
    def err(xv, n):
        return abs(math.cos(xv) - sum((-1) ** m * xv ** (2 * m) / math.factorial(2 * m) for m in range(n // 2 + 1)))
    for xv, want in ((1.0, 8), (3.0, 16)):
        assert err(xv, want) <= 1e-6 < err(xv, want - 1) and want % 2 == 0


def test_log_terms_exercise_and_convergence_claims():  # ex-p4-fail-terms (6 and 28); page 03 claims
    def T(xv, n):
        return sum((-1) ** (k + 1) * (xv - 1) ** k / k for k in range(1, n + 1))
    for xv, want in ((1.5, 6), (1.9, 28)):
        assert abs(math.log(xv) - T(xv, want)) <= 1e-3 < abs(math.log(xv) - T(xv, want - 1))
    # converges (slowly) at x = 2, diverges for x > 2: the terms do not shrink there
    assert abs(T(2.0, 20000) - math.log(2)) < 1e-4
    assert abs(T(2.5, 40) - math.log(2.5)) > abs(T(2.5, 20) - math.log(2.5)) > 1


def test_arctan_explorer_exercise():  # ex-p4-exp-arctan
    def err(xv, n):
        return abs(math.atan(xv) - float(taylor_polynomial(np.arctan, 0.0, n)(xv)))
    assert err(1.5, 1) == pytest.approx(0.517, abs=1e-3) and err(1.5, 19) == pytest.approx(78.1, abs=0.1)
    assert err(0.5, 1) == pytest.approx(0.0364, abs=1e-4) and err(0.5, 19) == pytest.approx(1.85e-8, rel=1e-2)
    # even orders add nothing: T_{2m} = T_{2m-1} for the odd arctan
    for n in (2, 4, 10):
        assert err(0.5, n) == pytest.approx(err(0.5, n - 1), rel=1e-9)


def test_best_expansion_point_exercise():  # ex-p4-exp-best-point
    grid = CATALOGUE["log1p"].a_values()
    assert 2.0 in grid                                                # a = 2 is on the explorer's grid
    errs = [abs(math.log1p(2.0) - float(taylor_polynomial(np.log1p, float(av), 5)(2.0))) for av in grid]
    assert grid[int(np.argmin(errs))] == 2.0 and min(errs) < 1e-14
    e0 = abs(math.log1p(2.0) - float(taylor_polynomial(np.log1p, 0.0, 5)(2.0)))
    e1 = abs(math.log1p(2.0) - float(taylor_polynomial(np.log1p, 1.0, 5)(2.0)))
    assert e0 > 1 > 1e-2 > e1
