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
        # check the package computes the formula as stated
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


# ---- added after the review: claims the pages state that had no test --------------------------


def test_measured_order_tends_to_q_with_a_constant():  # eq-p5-order: q_k -> q also when C != 1
    import mpmath

    mpmath.mp.dps = 400
    def estimates(errs):
        return [mpmath.log(errs[k + 1] / errs[k]) / mpmath.log(errs[k] / errs[k - 1]) for k in range(1, len(errs) - 1)]

    for q in (2, 3):
        exact, perturbed = [mpmath.mpf("0.1")], [mpmath.mpf("0.1")]
        for _ in range(7):
            exact.append(mpmath.mpf("0.5") * exact[-1] ** q)  # e_{k+1} = C e_k^q exactly: q_k = q exactly
            perturbed.append(mpmath.mpf("0.5") * perturbed[-1] ** q * (1 + 3 * perturbed[-1]))  # ≈ C e_k^q
        assert all(abs(float(v) - q) < 1e-12 for v in estimates(exact))
        qk = estimates(perturbed)
        assert abs(float(qk[-1]) - q) < 1e-2
        assert abs(float(qk[0]) - q) > abs(float(qk[-1]) - q)  # it gets closer as the errors shrink


def test_quadratic_error_derivation_with_remainder():  # the dropdown: e_{k+1} = f''(xi)/(2 f'(x_k)) e_k^2
    # for a cubic the Taylor remainder is exact with xi between x_k and r; check the identity for f = x^3 - 2x - 5
    f = x**3 - 2 * x - 5
    r = sp.nsolve(f, x, 2)
    for xk_val in (sp.Float(2.3, 30), sp.Float(1.9, 30)):
        ek = xk_val - r
        e_next = newton_map(f).subs(x, xk_val) - r
        # solve for f''(xi): 0 = f(xk) - f'(xk) e + f''(xi)/2 e^2
        fpp_xi = 2 * (sp.diff(f, x).subs(x, xk_val) * ek - f.subs(x, xk_val)) / ek**2
        xi = fpp_xi / 6
        assert min(xk_val, r) < xi < max(xk_val, r)
        assert abs(e_next - fpp_xi / (2 * sp.diff(f, x).subs(x, xk_val)) * ek**2) < 1e-20


def test_multiple_root_derivation():  # the dropdown: f/f' = e/m + O(e^2) for f = (x - r)^m h
    for mult in (2, 3, 5):
        h = 3 + 2 * e + 5 * e**2  # any h with h(r) != 0, written in e = x - r
        f = e**mult * h
        ratio = f / sp.diff(f, e)
        series = sp.series(ratio, e, 0, 2).removeO()
        assert is_zero(series - e / mult)


def test_exercise_sqrt_orders_are_two():  # ex-p5nr-sqrt: the solution's glued orders
    res = newton_raphson(lambda v: v**2 - 10, 3.0, lambda v: 2 * v)
    err = np.abs(res.history - np.sqrt(10))
    q = convergence_order(err[err > 1e-14])
    assert res.converged and res.iterations == 4
    assert np.all(np.abs(q - 2) < 0.05)


def test_exercise_modified_newton_last_iterates():  # ex-p5nr-multiplicity: "1 + 7e-14, then 1 exactly"
    res = newton_raphson(lambda v: 2 * (v - 1) ** 2 * (v + 2), 2.0, lambda v: 2 * (v - 1) * (v + 2) + (v - 1) ** 2)
    assert 0 < res.history[4] - 1 < 1e-13
    assert res.history[5] == 1.0


def test_exercise_arctan_near_the_critical_start():  # ex-p5nr-critical at x_c ± 0.01; more steps than from 1.3
    xc = float(sp.nsolve(2 * x - (1 + x**2) * sp.atan(x), x, 1.4))
    d = lambda v: 1 / (1 + v**2)
    inside, outside = newton_raphson(np.arctan, xc - 0.01, d), newton_raphson(np.arctan, xc + 0.01, d)
    from_13 = newton_raphson(np.arctan, 1.3, d)
    assert inside.converged and outside.status == "diverged" and from_13.converged
    assert inside.iterations > from_13.iterations


def test_circle_hyperbola_has_four_crossings():  # x^2 = 2 ± sqrt3; the four points ±r, ±(r swapped)
    r = sp.sqrt(2 + sp.sqrt(3))
    assert is_zero(sp.sqrt(2 - sp.sqrt(3)) - 1 / r)  # so the root x^2 = 2 - sqrt3 is r swapped
    for sq in (2 + sp.sqrt(3), 2 - sp.sqrt(3)):
        assert is_zero(sq**2 - 4 * sq + 1)
    sols = sp.solve(list(F_sym), [x, y], dict=True)
    assert len(sols) == 4 and all(s[x].is_real and s[y].is_real for s in sols)
    found = sorted((round(float(s[x]), 12), round(float(s[y]), 12)) for s in sols)
    want = sorted((round(float(a), 12), round(float(b), 12)) for a, b in [(r, 1 / r), (-r, -1 / r), (1 / r, r), (-1 / r, -r)])
    assert found == want


def test_basins_are_decided_by_the_signs_of_u_and_v():  # u = x + y, v = x - y decouple Newton's map
    N = sp.Matrix([x, y]) - F_sym.jacobian([x, y]).inv() * F_sym
    u, v = x + y, x - y
    assert is_zero(sp.expand(F_sym[0] + 2 * F_sym[1] - (u**2 - 6)))
    assert is_zero(sp.expand(F_sym[0] - 2 * F_sym[1] - (v**2 - 2)))
    assert is_zero((N[0] + N[1]) - (u - (u**2 - 6) / (2 * u)))
    assert is_zero((N[0] - N[1]) - (v - (v**2 - 2) / (2 * v)))
    # numerically: the root reached has the signs of x + y and x - y at the start
    F = lambda w: np.array([w[0] ** 2 + w[1] ** 2 - 4, w[0] * w[1] - 1])
    J = lambda w: np.array([[2 * w[0], 2 * w[1]], [w[1], w[0]]])
    rng = np.random.default_rng(5)
    for start in rng.uniform(-3, 3, size=(40, 2)):
        res = newton_system(F, start, J, max_steps=60)
        assert res.converged
        assert np.sign(res.x.sum()) == np.sign(start.sum())
        assert np.sign(res.x[0] - res.x[1]) == np.sign(start[0] - start[1])


def test_exercise_nearly_singular_start():  # ex-p5ns-singular: first step 707.1, converges to r swapped
    F = lambda w: np.array([w[0] ** 2 + w[1] ** 2 - 4, w[0] * w[1] - 1])
    J = lambda w: np.array([[2 * w[0], 2 * w[1]], [w[1], w[0]]])
    res = newton_system(F, [1.0, 1.001], J)
    assert abs(np.linalg.norm(res.history[1] - res.history[0]) - 707.1) < 0.1
    r = np.sqrt(2 + np.sqrt(3))
    assert res.converged and np.allclose(res.x, [1 / r, r], atol=1e-12)


def test_numerical_jacobian_costs_2n_plus_2_calls_per_step():  # page 2: 4 + 1 (shape check) + 1 (residual)
    F = lambda w: np.array([w[0] ** 2 + w[1] ** 2 - 4, w[0] * w[1] - 1])
    res = newton_system(F, [2.0, 0.5])
    n = 2
    assert res.f_evaluations == res.iterations * (2 * n + 1 + 1)
    # the same count on the Lagrange page: n + 1 = 3 unknowns, 8 calls of grad L per Newton step
    lag = lagrange_solve(lambda v: v[0] + v[1] ** 2, lambda v: v[0] ** 2 + v[1] ** 2 - 4, [1.0, 1.5])
    assert lag.evaluations == lag.iterations * (2 * 3 + 2)


def test_central_differences_exact_for_quadratic_F():  # page 2: the numerical Jacobian's error is rounding
    h = sp.symbols("h", positive=True)
    for comp in F_sym:
        for var in (x, y):
            central = (comp.subs(var, var + h) - comp.subs(var, var - h)) / (2 * h)
            assert is_zero(central - sp.diff(comp, var))


def test_newton_on_bowl_finds_a_minimum():  # page 2: Hessian eigenvalues 4 ∓ sqrt5, both positive
    f = (x - 1) ** 2 + 3 * (y + 2) ** 2 + x * y
    ev = sp.hessian(f, (x, y)).eigenvals()
    assert set(ev) == {4 - sp.sqrt(5), 4 + sp.sqrt(5)} and all(v > 0 for v in ev)


def test_step_count_formula():  # p ln10 / (-ln rho) steps to shrink the error by 10^-p
    from mlcalc.optimise import quadratic_bowl

    for k in (10.0, 50.0, 200.0):
        b = quadratic_bowl(k, 1.0, 0.3)
        res = gradient_descent(b.value, np.array([1.0, 1.0]), 2 / (b.L + b.mu), grad=b.gradient, gtol=1e-10,
                               max_steps=20000)
        d = np.linalg.norm(res.history, axis=1)
        p_digits = np.log10(d[0] / d[-1])
        predicted = p_digits * np.log(10) / -np.log((k - 1) / (k + 1))
        assert abs(predicted - res.iterations) < 0.02 * res.iterations + 3


def test_too_large_step_first_closes_in():  # page 3, fig-p5-gd-paths: distance falls, then grows past the start
    from mlcalc.optimise import quadratic_bowl

    b = quadratic_bowl(10.0, 1.0, np.pi / 6)
    res = gradient_descent(b.value, np.array([1.5, 1.5]), 2.1 / 10, grad=b.gradient, gtol=1e-10, max_steps=5000)
    d = np.linalg.norm(res.history, axis=1)
    closest = int(np.argmin(d))
    assert closest >= 2 and np.all(np.diff(d[: closest + 1]) < 0) and np.all(np.diff(d[closest:]) > 0)
    assert res.status == "diverged"


def test_exercise_rescale_substitution():  # ex-p5gd-rescale: A = diag(1, 50); x = S u makes it the identity
    from mlcalc.optimise import quadratic_bowl

    A = quadratic_bowl(50.0, 1.0, 0.0).A
    assert np.allclose(A, np.diag([1.0, 50.0]))
    S = np.diag([1.0, 1 / np.sqrt(50.0)])
    assert np.allclose(S @ A @ S, np.eye(2))
    u1, u2 = sp.symbols("u1 u2", real=True)
    bowl = sp.Rational(1, 2) * (x**2 + 50 * y**2)
    assert is_zero(bowl.subs({x: u1, y: u2 / sp.sqrt(50)}) - (u1**2 + u2**2) / 2)


def test_multiplier_is_the_rate_with_c_symbolic():  # eq-p5-multiplier-meaning, every branch on the circle
    cc = sp.symbols("c", positive=True)
    Lag = f_c - lam * (g_c - cc)
    eqs = [sp.diff(Lag, v) for v in (x, y, lam)]
    root = sp.sqrt(4 + cc)
    sols = [{x: sp.Rational(1, 2), y: sgn * sp.sqrt(cc + sp.Rational(15, 4)), lam: 1} for sgn in (1, -1)]
    sols += [{x: sgn * root, y: 0, lam: 1 / (2 * sgn * root)} for sgn in (1, -1)]
    for s in sols:  # each branch solves the Lagrange system for every c > 0
        assert all(is_zero(eq.subs(s)) for eq in eqs)
    assert len(sp.solve([eq.subs(cc, 1) for eq in eqs], [x, y, lam], dict=True)) == 4  # and there are no others
    for s in sols:
        fstar = f_c.subs({x: s[x], y: s[y]})
        assert is_zero(sp.diff(fstar, cc) - s[lam])
    minimum = [s for s in sols if s[y] == 0 and s[x].subs(cc, 1) < 0][0]
    assert is_zero(f_c.subs({x: minimum[x], y: 0}) + sp.sqrt(4 + cc))
    assert is_zero(minimum[lam].subs(cc, 0) + sp.Rational(1, 4))


def test_ellipse_has_exactly_two_candidates():  # eq-p5-ellipse-quartic: two real roots, nearest and farthest
    quartic = sp.expand((4 - lam) ** 2 * (1 - lam) ** 2 - 36 * (1 - lam) ** 2 - 4 * (4 - lam) ** 2)
    # the quartic is the constraint after substituting x = 12/(4 - lam), y = 2/(1 - lam)
    lhs = (12 / (4 - lam)) ** 2 / 4 + (2 / (1 - lam)) ** 2 - 1
    assert is_zero(sp.expand(sp.cancel(lhs * (4 - lam) ** 2 * (1 - lam) ** 2)) + quartic)
    real = sp.Poly(quartic, lam).real_roots()
    assert len(real) == 2
    p = np.array([3.0, 2.0])
    pts = [np.array([12 / (4 - float(r)), 2 / (1 - float(r))]) for r in real]
    dists = sorted(np.linalg.norm(v - p) for v in pts)
    dist2 = lambda v: float(np.sum((v - p) ** 2))
    ellipse = lambda v: v[0] ** 2 / 4 + v[1] ** 2 - 1
    near = lagrange_solve(dist2, ellipse, [1.0, 1.0])
    far = lagrange_solve(dist2, ellipse, [-1.5, -0.5])
    assert abs(np.sqrt(near.value) - dists[0]) < 1e-9 and abs(np.sqrt(far.value) - dists[1]) < 1e-9
