"""Every formula stated on the Part 5 pages (optimisation), checked with sympy or, where the page
states a numerical claim, with numbers. Each test names the equation or exercise label."""

from __future__ import annotations

import numpy as np
import sympy as sp

from mlcalc.optimise import convergence_order, gradient_descent, lagrange_solve, newton_raphson, newton_system

x, y, z, e, lam, c, eta, xk = sp.symbols("x y z e lambda c eta x_k", real=True)
L, mu, kappa, a = sp.symbols("L mu kappa a", positive=True)
m = sp.symbols("m", positive=True, integer=True)


def is_zero(expr):
    return sp.simplify(expr) == 0


def newton_map(f, var=x):
    return var - f / sp.diff(f, var)


# ---- 01-newton-raphson -------------------------------------------------------------------------


def test_newton_step_is_the_zero_of_the_tangent_line():  # eq-p5-newton-step
    f = sp.Function("f")
    tangent = f(xk) + sp.diff(f(xk), xk) * (x - xk)
    root = sp.solve(sp.Eq(tangent, 0), x)[0]
    assert is_zero(root - (xk - f(xk) / sp.diff(f(xk), xk)))


def test_newtons_cubic_by_hand():  # worked example: x1 = 2.1, x2 = 2.1 - 0.061/11.23
    f = x**3 - 2 * x - 5
    N = sp.lambdify(x, newton_map(f))
    assert sp.Rational(f.subs(x, 2)) == -1 and sp.diff(f, x).subs(x, 2) == 10
    x1 = newton_map(f).subs(x, 2)
    assert x1 == sp.Rational(21, 10)
    assert f.subs(x, x1) == sp.Rational(61, 1000) and sp.diff(f, x).subs(x, x1) == sp.Rational(1123, 100)
    assert abs(N(2.1) - 2.0945681) < 1e-7


def test_quadratic_error_constant():  # eq-p5-quadratic: e_{k+1} ≈ f''(r)/(2 f'(r)) e_k^2
    for f in (x**3 - 2 * x - 5, sp.exp(x) - 3, x**2 - a):
        root = sp.nsolve(f.subs(a, 2), x, 2) if f.has(a) else sp.nsolve(f, x, 2)
        g = f.subs(a, 2) if f.has(a) else f
        err_next = newton_map(g).subs(x, root + e) - root
        series = sp.series(err_next, e, 0, 3).removeO()
        C = (sp.diff(g, x, 2) / (2 * sp.diff(g, x))).subs(x, root)
        assert abs(float(series.coeff(e, 1))) < 1e-12
        assert abs(float(series.coeff(e, 2) - C)) < 1e-10


def test_measured_order_formula_recovers_q():  # eq-p5-order
    for q in (1, 2, 3):
        errs = [sp.Rational(1, 10)]
        for _ in range(3):
            errs.append(sp.Rational(1, 2) * errs[-1] ** q)
        k = 1
        qk = sp.log(errs[k + 1] / errs[k]) / sp.log(errs[k] / errs[k - 1])
        # with a constant C the estimate is only approximately q; check the package agrees with it
        assert abs(float(qk) - convergence_order([float(v) for v in errs])[0]) < 1e-12
        if q == 1:
            assert abs(float(qk) - 1) < 1e-12


def test_multiple_root_ratio():  # eq-p5-multiple-root: e_{k+1} ≈ (m-1)/m e_k
    for mult in (2, 3, 4):
        f = (x - 1) ** mult * (x + 2)
        err_next = newton_map(f).subs(x, 1 + e) - 1
        ratio = sp.limit(err_next / e, e, 0)
        assert ratio == sp.Rational(mult - 1, mult)


def test_cycle_of_x3_minus_2x_plus_2():  # the 2-cycle 0 -> 1 -> 0
    N = newton_map(x**3 - 2 * x + 2)
    assert N.subs(x, 0) == 1 and N.subs(x, 1) == 0


def test_arctan_critical_start():  # eq-p5-arctan-critical: N(x_c) = -x_c
    N = newton_map(sp.atan(x))
    assert is_zero(N - (x - (1 + x**2) * sp.atan(x)))
    xc = sp.nsolve(2 * x - (1 + x**2) * sp.atan(x), x, 1.4)
    assert abs(float(N.subs(x, xc) + xc)) < 1e-12
    d = lambda v: 1 / (1 + v**2)
    assert newton_raphson(np.arctan, float(xc) - 1e-3, d).converged
    assert newton_raphson(np.arctan, float(xc) + 1e-3, d).status == "diverged"


def test_exercise_babylonian_rule():  # ex-p5nr-sqrt
    assert is_zero(newton_map(x**2 - a) - (x + a / x) / 2)


def test_exercise_modified_newton_is_quadratic():  # ex-p5nr-multiplicity
    f = (x - 1) ** 2 * (x + 2)
    step = x - 2 * f / sp.diff(f, x)
    err_next = step.subs(x, 1 + e) - 1
    assert sp.limit(err_next / e, e, 0) == 0
    assert sp.limit(err_next / e**2, e, 0) != 0
    res = newton_raphson(lambda v: 2 * (v - 1) ** 2 * (v + 2), 2.0, lambda v: 2 * (v - 1) * (v + 2) + (v - 1) ** 2)
    assert res.converged and res.iterations == 5  # the solution's numbers: 1.11, 1.0019, 1.0000006, 1
    assert np.allclose(res.history[1:4], [1.11, 1.0019, 1.0000006], atol=[5e-3, 5e-5, 5e-8])
    assert abs(convergence_order(np.abs(res.history - 1)[np.abs(res.history - 1) > 1e-14])[-1] - 2) < 0.05


# ---- 02-newton-systems -------------------------------------------------------------------------

F_sym = sp.Matrix([x**2 + y**2 - 4, x * y - 1])


def test_circle_hyperbola_jacobian_and_first_step():  # eq-p5-circle-hyperbola, eq-p5-newton-system
    J = F_sym.jacobian([x, y])
    assert J == sp.Matrix([[2 * x, 2 * y], [y, x]])
    at = {x: 2, y: sp.Rational(1, 2)}
    step = J.subs(at).solve(-F_sym.subs(at))
    assert list(step) == [sp.Rational(-1, 15), sp.Rational(1, 60)]
    assert sp.simplify(J.det() - 2 * (x**2 - y**2)) == 0  # singular on y = ±x
    assert abs(float(J.det().subs({x: 1, y: sp.Rational(1001, 1000)})) + 0.004) < 1e-5  # ex-p5ns-singular


def test_circle_hyperbola_roots():  # x^4 - 4x^2 + 1 = 0, r = (sqrt(2+sqrt3), 1/sqrt(2+sqrt3))
    quartic = sp.expand((F_sym[0] * x**2).subs(y, 1 / x))
    assert is_zero(quartic - (x**4 - 4 * x**2 + 1))
    r = sp.sqrt(2 + sp.sqrt(3))
    assert is_zero(F_sym.subs({x: r, y: 1 / r})[0]) and is_zero(F_sym.subs({x: r, y: 1 / r})[1])


def test_linearisation_of_a_system():  # eq-p5-linearise-system: error is second order in the step
    dx, dy, s = sp.symbols("dx dy s", real=True)
    J = F_sym.jacobian([x, y])
    exact = F_sym.subs({x: x + s * dx, y: y + s * dy}, simultaneous=True)
    linear = F_sym + J * sp.Matrix([s * dx, s * dy])
    diff = sp.expand(exact - linear)
    for comp in diff:
        assert sp.limit(comp / s, s, 0) == 0


def test_newton_on_gradient_of_quadratic_is_one_step():  # eq-p5-newton-optimise
    f = (x - 1) ** 2 + 3 * (y + 2) ** 2 + x * y
    g = sp.Matrix([sp.diff(f, v) for v in (x, y)])
    H = sp.hessian(f, (x, y))
    x0 = sp.Matrix([5, 5])
    x1 = x0 + H.solve(-g.subs({x: 5, y: 5}))
    assert g.subs({x: x1[0], y: x1[1]}) == sp.zeros(2, 1)
    res = newton_system(lambda v: np.array([2 * (v[0] - 1) + v[1], 6 * (v[1] + 2) + v[0]]), [5.0, 5.0])
    assert np.allclose(res.history[1], np.array(x1, dtype=float).ravel(), atol=1e-8)


def test_exercise_circle_meets_cubic():  # ex-p5ns-cubic: about (0.8260, 0.5636)
    F = lambda v: np.array([v[0] ** 2 + v[1] ** 2 - 1, v[1] - v[0] ** 3])
    J = lambda v: np.array([[2 * v[0], 2 * v[1]], [-3 * v[0] ** 2, 1.0]])
    res = newton_system(F, [1.0, 1.0], J)
    assert res.converged and np.allclose(res.x, [0.8260, 0.5636], atol=1e-4)


# ---- 03-gradient-descent -----------------------------------------------------------------------


def test_descent_on_bowl_multiplies_eigencomponents():  # eq-p5-gd-factor
    l1, l2 = sp.symbols("l1 l2", positive=True)
    A = sp.diag(l1, l2)
    xs = sp.Matrix([x, y])
    f = (xs.T * A * xs)[0] / 2
    g = sp.Matrix([sp.diff(f, v) for v in (x, y)])
    step = xs - eta * g
    assert is_zero(step[0] - (1 - eta * l1) * x) and is_zero(step[1] - (1 - eta * l2) * y)


def test_stability_bound_two_over_L():  # eq-p5-gd-stable
    lam_ = sp.symbols("lambda_", positive=True)
    sol = sp.solve_univariate_inequality(sp.Abs(1 - eta * lam_) < 1, eta, relational=False)
    assert sol == sp.Interval.open(0, 2 / lam_)


def test_best_step_and_rate():  # eq-p5-gd-best, ex-p5gd-best
    eta_star = sp.solve(sp.Eq(1 - eta * mu, eta * L - 1), eta)[0]
    assert is_zero(eta_star - 2 / (L + mu))
    rate = sp.simplify(1 - eta_star * mu)
    assert is_zero(rate - (L - mu) / (L + mu))
    assert is_zero(rate.subs(L, kappa * mu) - (kappa - 1) / (kappa + 1))
    assert is_zero(sp.Abs(1 - eta_star * L).subs({L: 3, mu: 1}) - rate.subs({L: 3, mu: 1}))
    # the maximum is smallest there: numerically on a grid for L = 10, mu = 1
    grid = np.linspace(0.01, 0.3, 2901)
    worst = np.maximum(np.abs(1 - grid * 1.0), np.abs(1 - grid * 10.0))
    assert abs(grid[np.argmin(worst)] - 2 / 11) < 1e-4


def test_cautious_rate_and_step_count():  # 1 - 1/kappa; -ln((k-1)/(k+1)) ≈ 2/k
    assert is_zero((1 - mu / L).subs(L, kappa * mu) - (1 - 1 / kappa))
    t = sp.symbols("t", positive=True)  # t = 1/kappa
    expr = -sp.log((1 / t - 1) / (1 / t + 1))
    assert sp.series(expr, t, 0, 2).removeO() == 2 * t


def test_descent_measured_rate_matches_theory():  # the page's table
    from mlcalc.optimise import quadratic_bowl
    for k in (2.0, 10.0, 50.0):
        b = quadratic_bowl(k, 1.0, 0.3)
        res = gradient_descent(b.value, np.array([1.0, 1.0]), 1 / b.L, grad=b.gradient, gtol=1e-10, max_steps=20000)
        d = np.linalg.norm(res.history, axis=1)
        assert abs(d[-1] / d[-2] - (1 - 1 / k)) < 1e-6


def test_exercise_best_step_for_given_A():  # ex-p5gd-hessian: eta* = 2/5, rate sqrt5/5
    A = sp.Matrix([[3, 1], [1, 2]])
    ev = sorted(A.eigenvals().keys(), key=lambda v: float(v))
    assert is_zero(ev[0] - (5 - sp.sqrt(5)) / 2) and is_zero(ev[1] - (5 + sp.sqrt(5)) / 2)
    eta_star = 2 / (ev[0] + ev[1])
    assert eta_star == sp.Rational(2, 5)
    assert is_zero((1 - eta_star * ev[0]) - sp.sqrt(5) / 5)


def test_exercise_rescaled_bowl_is_one_step():  # ex-p5gd-rescale
    A = np.diag([1.0, 1.0])
    res = gradient_descent(lambda u: 0.5 * u @ A @ u, np.array([0.7, -1.3]), 1.0, grad=lambda u: A @ u)
    assert res.converged and res.iterations == 1


# ---- 05-lagrange-multipliers -------------------------------------------------------------------

f_c = x + y**2
g_c = x**2 + y**2 - 4


def test_gradient_of_lagrangian():  # eq-p5-lagrangian, eq-p5-grad-lagrangian
    Lag = f_c - lam * g_c
    grad_L = sp.Matrix([sp.diff(Lag, v) for v in (x, y, lam)])
    want = sp.Matrix([sp.diff(f_c, x) - lam * sp.diff(g_c, x), sp.diff(f_c, y) - lam * sp.diff(g_c, y), -g_c])
    assert sp.simplify(grad_L - want) == sp.zeros(3, 1)


def test_circle_candidates():  # worked example: four stationary points of L, values 17/4, -2, 2
    Lag = f_c - lam * g_c
    sols = sp.solve([sp.diff(Lag, v) for v in (x, y, lam)], [x, y, lam], dict=True)
    found = {(s[x], s[y], s[lam]) for s in sols}
    want = {(sp.Rational(1, 2), sp.sqrt(15) / 2, 1), (sp.Rational(1, 2), -sp.sqrt(15) / 2, 1),
            (-2, 0, -sp.Rational(1, 4)), (2, 0, sp.Rational(1, 4))}
    assert found == want
    values = sorted(f_c.subs({x: s[0], y: s[1]}) for s in found)
    assert values == [-2, 2, sp.Rational(17, 4), sp.Rational(17, 4)]


def test_lagrange_condition_gradients_parallel():  # eq-p5-lagrange-condition at the maximum
    pt = {x: sp.Rational(1, 2), y: sp.sqrt(15) / 2}
    gf = sp.Matrix([sp.diff(f_c, v) for v in (x, y)]).subs(pt)
    gg = sp.Matrix([sp.diff(g_c, v) for v in (x, y)]).subs(pt)
    assert is_zero(gf[0] * gg[1] - gf[1] * gg[0])
    assert sp.simplify(gf - 1 * gg) == sp.zeros(2, 1)


def test_local_minimum_at_two_zero():  # (2, 0): f = 2 + 3 t^2 + ... along the circle
    t = sp.symbols("t", real=True)
    along = f_c.subs({x: 2 * sp.cos(t), y: 2 * sp.sin(t)})
    assert sp.series(along, t, 0, 3).removeO() == 2 + 3 * t**2


def test_multiplier_is_the_rate_of_the_best_value():  # eq-p5-multiplier-meaning
    # maximum of x + y^2 on x^2 + y^2 = 4 + c: x = 1/2, y^2 = 4 + c - 1/4, f* = 1/4 + 4 + c
    fstar = sp.Rational(1, 2) + (4 + c - sp.Rational(1, 4))
    assert is_zero(fstar - (sp.Rational(1, 4) + 4 + c))
    assert sp.diff(fstar, c) == 1
    # numerically, on the ellipse problem too: df*/dc = lambda
    p = np.array([3.0, 2.0])
    dist2 = lambda v: float(np.sum((v - p) ** 2))
    best = lambda cc: lagrange_solve(dist2, lambda v: v[0] ** 2 / 4 + v[1] ** 2 - 1 - cc, [1.0, 1.0])
    h = 1e-4
    rate = (best(h).value - best(-h).value) / (2 * h)
    assert abs(rate - best(0.0).multiplier[0]) < 1e-5


def test_exercise_product_on_a_line():  # ex-p5lm-product
    Lag = x * y - lam * (x + y - 10)
    sol = sp.solve([sp.diff(Lag, v) for v in (x, y, lam)], [x, y, lam], dict=True)[0]
    assert (sol[x], sol[y], sol[lam]) == (5, 5, 5)
    assert sp.Rational(505, 100) ** 2 == sp.Rational(255025, 10000)


def test_exercise_farthest_point():  # ex-p5lm-farthest: about (-1.952, -0.219), distance 5.426
    p = np.array([3.0, 2.0])
    res = lagrange_solve(lambda v: float(np.sum((v - p) ** 2)), lambda v: v[0] ** 2 / 4 + v[1] ** 2 - 1, [-1.5, -0.5])
    assert res.converged and np.allclose(res.x, [-1.952, -0.219], atol=1e-3)
    assert abs(np.sqrt(res.value) - 5.426) < 1e-3
