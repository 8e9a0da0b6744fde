"""Formulas stated on the Part 1 pages 05-product-rule, 06-chain-rule and 07-taming-a-beast.

Each test is named after the page (p1prod, p1chain, p1beast) and the formula it checks: by sympy,
symbolically, and by comparing the formula with the complex-step derivative of ``mlcalc`` at
seeded random points.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from mlcalc.derivatives import check_derivative, derivative

x = sp.Symbol("x", real=True)
u, v, w = (sp.Function(name) for name in "uvw")


def is_zero(expr: sp.Expr) -> bool:
    return sp.simplify(expr) == 0


def random_points(seed: int, low: float = -3.0, high: float = 3.0, n: int = 40) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, n)


def assert_matches_numerical(f, df, points: np.ndarray) -> None:
    """``df`` agrees with the complex-step derivative of ``f`` (accurate to rounding)."""
    numerical = derivative(f, points, method="complex")
    np.testing.assert_allclose(df(points), numerical, rtol=1e-11, atol=1e-11)


# --- 05-product-rule -------------------------------------------------------------------------


def test_p1prod_product_rule():
    """(uv)' = u'v + uv'  (eq-p1prod-rule)."""
    lhs = sp.diff(u(x) * v(x), x)
    rhs = sp.diff(u(x), x) * v(x) + u(x) * sp.diff(v(x), x)
    assert is_zero(lhs - rhs)


def test_p1prod_area_identity():
    """(u + du)(v + dv) = uv + v du + u dv + du dv  (eq-p1prod-area)."""
    U, V, dU, dV = sp.symbols("U V dU dV")
    assert sp.expand((U + dU) * (V + dV) - (U * V + V * dU + U * dV + dU * dV)) == 0


def test_p1prod_difference_quotient_split():
    """The rise over run of uv splits into v du/h + u dv/h + (du/h) dv  (eq-p1prod-quotient)."""
    h = sp.Symbol("h", nonzero=True)
    du = u(x + h) - u(x)
    dv = v(x + h) - v(x)
    lhs = (u(x + h) * v(x + h) - u(x) * v(x)) / h
    rhs = v(x) * du / h + u(x) * dv / h + du / h * dv
    assert is_zero(lhs - rhs)


def test_p1prod_rectangle_x_times_x_squared():
    """Width x, height x^2: the product rule gives 1 * x^2 + x * 2x = 3x^2, the power rule's answer."""
    by_product_rule = 1 * x**2 + x * 2 * x
    assert is_zero(by_product_rule - sp.diff(x**3, x))
    assert is_zero(by_product_rule - 3 * x**2)


def test_p1prod_not_product_of_derivatives():
    """The tempting (uv)' = u'v' fails for u = v = x: it gives 1, the truth is 2x."""
    true = sp.diff(x * x, x)
    tempting = sp.diff(x, x) * sp.diff(x, x)
    assert true == 2 * x
    assert sp.simplify(true - tempting) != 0  # 2x is not 1
    assert (true - tempting).subs(x, 3) == 5


@pytest.mark.parametrize(
    ("expr", "derivative_on_page"),
    [
        (x**2 * sp.sin(x), 2 * x * sp.sin(x) + x**2 * sp.cos(x)),  # eq-p1prod-x2sin
        (sp.exp(x) * sp.cos(x), sp.exp(x) * (sp.cos(x) - sp.sin(x))),  # eq-p1prod-expcos
        (sp.exp(x) * sp.cos(x), sp.exp(x) * sp.cos(x) - sp.exp(x) * sp.sin(x)),  # eq-p1prod-expcos
    ],
)
def test_p1prod_worked_examples_symbolic(expr, derivative_on_page):
    assert is_zero(sp.diff(expr, x) - derivative_on_page)


def test_p1prod_worked_examples_numerical():
    pts = random_points(51, -4, 4)
    assert_matches_numerical(lambda t: t**2 * np.sin(t),
                             lambda t: 2 * t * np.sin(t) + t**2 * np.cos(t), pts)
    assert_matches_numerical(lambda t: np.exp(t) * np.cos(t),
                             lambda t: np.exp(t) * (np.cos(t) - np.sin(t)), pts)


def test_p1prod_expcos_flat_points_and_their_kind():
    """e^x cos x is flat at pi/4 + k pi; a peak at pi/4, a trough at 5pi/4, e^pi times deeper."""
    g = sp.exp(x) * sp.cos(x)
    dg, d2g = sp.diff(g, x), sp.diff(g, x, 2)
    for k in range(-3, 4):
        assert is_zero(dg.subs(x, sp.pi / 4 + k * sp.pi))
    assert d2g.subs(x, sp.pi / 4).evalf() < 0
    assert d2g.subs(x, 5 * sp.pi / 4).evalf() > 0
    assert is_zero(g.subs(x, sp.pi / 4) - sp.exp(sp.pi / 4) / sp.sqrt(2))
    assert is_zero(g.subs(x, 5 * sp.pi / 4) + sp.exp(5 * sp.pi / 4) / sp.sqrt(2))
    assert is_zero(-g.subs(x, 5 * sp.pi / 4) / g.subs(x, sp.pi / 4) - sp.exp(sp.pi))


@pytest.mark.parametrize("n", range(1, 9))
def test_p1prod_power_rule_by_induction(n):
    """x^n = x * x^(n-1): the product rule gives x^(n-1) + x (n-1) x^(n-2) = n x^(n-1)."""
    step = 1 * x ** (n - 1) + x * (n - 1) * x ** (n - 2)
    assert is_zero(step - n * x ** (n - 1))
    assert is_zero(sp.diff(x**n, x) - step)


def test_p1prod_three_factor_rule():
    """(uvw)' = u'vw + uv'w + uvw'  (eq-p1prod-three)."""
    lhs = sp.diff(u(x) * v(x) * w(x), x)
    rhs = (sp.diff(u(x), x) * v(x) * w(x) + u(x) * sp.diff(v(x), x) * w(x)
           + u(x) * v(x) * sp.diff(w(x), x))
    assert is_zero(lhs - rhs)


def test_p1prod_three_factor_example():
    """(x e^x sin x)' = e^x sin x + x e^x sin x + x e^x cos x (exercise ex-p1prod-three)."""
    page = sp.exp(x) * sp.sin(x) + x * sp.exp(x) * sp.sin(x) + x * sp.exp(x) * sp.cos(x)
    assert is_zero(sp.diff(x * sp.exp(x) * sp.sin(x), x) - page)
    assert_matches_numerical(lambda t: t * np.exp(t) * np.sin(t),
                             lambda t: np.exp(t) * (np.sin(t) + t * np.sin(t) + t * np.cos(t)),
                             random_points(52))


# --- 06-chain-rule ---------------------------------------------------------------------------

OUTER_INNER_PAIRS = [
    (sp.sin(x), x**2),
    (sp.exp(x), -x**2 / 2),
    (x**5, 3 * x + 1),
    (sp.cos(x), sp.exp(x) + x**3),
    (1 / x, 2 + sp.cos(x)),
]


@pytest.mark.parametrize(("outer", "inner"), OUTER_INNER_PAIRS)
def test_p1chain_chain_rule(outer, inner):
    """(f(g(x)))' = f'(g(x)) g'(x)  (eq-p1chain-rule), for several outer and inner functions."""
    composed = outer.subs(x, inner)
    by_rule = sp.diff(outer, x).subs(x, inner) * sp.diff(inner, x)
    assert is_zero(sp.diff(composed, x) - by_rule)


def test_p1chain_chain_rule_general_functions():
    """The chain rule with undetermined functions, as sympy states it."""
    f, g = sp.Function("f"), sp.Function("g")
    t = sp.Symbol("t")
    lhs = sp.diff(f(g(x)), x)
    rhs = sp.diff(f(t), t).subs(t, g(x)) * sp.diff(g(x), x)
    assert is_zero((lhs - rhs).doit())


def test_p1chain_three_links():
    """(f(g(k(x))))' = f'(g(k(x))) g'(k(x)) k'(x), checked for sin(exp(x^2))."""
    t = sp.Symbol("t")
    f, g, k = sp.sin(t), sp.exp(t), x**2
    by_rule = sp.cos(sp.exp(k)) * sp.exp(k) * sp.diff(k, x)
    assert is_zero(sp.diff(f.subs(t, g.subs(t, k)), x) - by_rule)


def test_p1chain_rates_multiply_linear():
    """Linear links: the hiker (-6.5 C/km * 0.4 km/h) and the gears (3 * 2)."""
    t, a = sp.symbols("t a")
    altitude = sp.Rational(2, 5) * t + 1
    temperature = 15 - sp.Rational(13, 2) * a
    assert sp.diff(temperature.subs(a, altitude), t) == sp.Rational(-13, 5)  # -2.6 C per hour
    assert sp.diff((2 * a).subs(a, 3 * t), t) == 6


def test_p1chain_rates_at_one():
    """For sin(x^2) at x = 1: du/dx = 2, dy/du = cos 1, dy/dx = 2 cos 1."""
    assert sp.diff(x**2, x).subs(x, 1) == 2
    assert is_zero(sp.diff(sp.sin(x**2), x).subs(x, 1) - 2 * sp.cos(1))


@pytest.mark.parametrize(
    ("expr", "derivative_on_page", "inner_factor_forgotten"),
    [
        (sp.sin(x**2), 2 * x * sp.cos(x**2), sp.cos(x**2)),  # eq-p1chain-sinx2
        (sp.exp(-x**2 / 2), -x * sp.exp(-x**2 / 2), sp.exp(-x**2 / 2)),  # eq-p1chain-bell
        ((3 * x + 1) ** 5, 15 * (3 * x + 1) ** 4, 5 * (3 * x + 1) ** 4),  # eq-p1chain-power
    ],
)
def test_p1chain_worked_examples(expr, derivative_on_page, inner_factor_forgotten):
    assert is_zero(sp.diff(expr, x) - derivative_on_page)
    assert not is_zero(sp.diff(expr, x) - inner_factor_forgotten)


def test_p1chain_worked_examples_numerical():
    pts = random_points(61, -2, 2)
    assert_matches_numerical(lambda t: np.sin(t**2), lambda t: 2 * t * np.cos(t**2), pts)
    assert_matches_numerical(lambda t: np.exp(-t**2 / 2), lambda t: -t * np.exp(-t**2 / 2), pts)
    assert_matches_numerical(lambda t: (3 * t + 1) ** 5, lambda t: 15 * (3 * t + 1) ** 4, pts)


def test_p1chain_forgotten_factor_hides_at_one_half():
    """At x = 1/2 the inner rate 2x of sin(x^2) is 1: the forgotten factor changes nothing there."""
    half = sp.Rational(1, 2)
    assert sp.diff(sp.sin(x**2), x).subs(x, half) == sp.cos(x**2).subs(x, half)


def test_p1chain_bell_slope_signs():
    """The bell is flat at 0, falls for x > 0 and rises for x < 0."""
    d = -x * sp.exp(-x**2 / 2)
    assert d.subs(x, 0) == 0
    assert all(d.subs(x, s) < 0 for s in (sp.Rational(1, 3), 1, 5))
    assert all(d.subs(x, -s) > 0 for s in (sp.Rational(1, 3), 1, 5))


def test_p1chain_reciprocal():
    """(1/v)' = -v^(-2) v'  (eq-p1chain-reciprocal)."""
    assert is_zero(sp.diff(1 / v(x), x) + sp.diff(v(x), x) / v(x) ** 2)


def test_p1chain_quotient_rule():
    """(u/v)' = u' v^-1 + u(-v^-2 v') = (u'v - uv')/v^2  (eq-p1chain-quotient)."""
    du, dv = sp.diff(u(x), x), sp.diff(v(x), x)
    lhs = sp.diff(u(x) / v(x), x)
    middle = du / v(x) + u(x) * (-dv / v(x) ** 2)
    rhs = (du * v(x) - u(x) * dv) / v(x) ** 2
    assert is_zero(lhs - middle)
    assert is_zero(middle - rhs)


def test_p1chain_tan():
    """(tan x)' = (cos x cos x - sin x (-sin x))/cos^2 x = 1/cos^2 x  (eq-p1chain-tan)."""
    middle = (sp.cos(x) * sp.cos(x) - sp.sin(x) * (-sp.sin(x))) / sp.cos(x) ** 2
    assert is_zero(sp.diff(sp.tan(x), x) - middle)
    assert is_zero(middle - 1 / sp.cos(x) ** 2)
    assert check_derivative(np.tan, lambda t: 1 / np.cos(t) ** 2, low=-1.4, high=1.4,
                            verbose=False).passed


def test_p1chain_sin_squared_versus_sin_of_square():
    """((sin x)^2)' = 2 sin x cos x, while (sin(x^2))' = 2x cos(x^2): order matters."""
    assert is_zero(sp.diff(sp.sin(x) ** 2, x) - 2 * sp.sin(x) * sp.cos(x))
    assert not is_zero(sp.diff(sp.sin(x) ** 2, x) - sp.diff(sp.sin(x**2), x))


def test_p1chain_sigmoid():
    """sigma' = e^-x/(1 + e^-x)^2 = sigma (1 - sigma)  (eq-p1chain-sigmoid)."""
    sigma = 1 / (1 + sp.exp(-x))
    assert is_zero(sp.diff(sigma, x) - sp.exp(-x) / (1 + sp.exp(-x)) ** 2)
    assert is_zero(sp.diff(sigma, x) - sigma * (1 - sigma))
    assert is_zero((1 - sigma) - sp.exp(-x) / (1 + sp.exp(-x)))

    def sig(t):
        return 1 / (1 + np.exp(-t))

    assert_matches_numerical(sig, lambda t: sig(t) * (1 - sig(t)), random_points(62, -6, 6))


def test_p1chain_log():
    """From e^(ln x) = x: x (ln x)' = 1, so (ln x)' = 1/x  (eq-p1chain-log)."""
    xp = sp.Symbol("x", positive=True)
    # the chain rule on e^{u(x)} for an unknown inner u: (e^u)' = e^u u'
    u = sp.Function("u")
    assert is_zero(sp.diff(sp.exp(u(xp)), xp) - sp.exp(u(xp)) * sp.diff(u(xp), xp))
    # with u = ln x the left side is (x)' = 1 and e^u = x, so x L = 1 for L = (ln x)'
    slope = sp.Symbol("L")
    (solution,) = sp.solve(sp.Eq(xp * slope, 1), slope)
    assert is_zero(solution - 1 / xp)
    assert is_zero(sp.diff(sp.log(xp), xp) - solution)
    # numerically: exp(log t) has slope exp(log t) * (1/t), which is 1
    assert check_derivative(
        lambda t: np.exp(np.log(t)), lambda t: np.exp(np.log(t)) / t, low=0.1, high=5, verbose=False
    ).passed
    assert check_derivative(np.log, lambda t: 1 / t, low=0.1, high=5, verbose=False).passed


# --- 07-taming-a-beast -----------------------------------------------------------------------

A = sp.exp(-x**2 / 4)
B = sp.sin(x**3 + 2 * x)
P = A * B
W = 2 + sp.cos(x)
BEAST = P / W


def beast_numpy(t):
    return np.exp(-t**2 / 4) * np.sin(t**3 + 2 * t) / (2 + np.cos(t))


def beast_prime_final_form(t):
    """Equation eq-p1beast-final, typed exactly as the page states it (one term per line)."""
    s = t**3 + 2 * t
    w_ = 2 + np.cos(t)
    return np.exp(-t**2 / 4) / w_**2 * (
        (3 * t**2 + 2) * w_ * np.cos(s)
        - t / 2 * w_ * np.sin(s)
        + np.sin(t) * np.sin(s)
    )


def test_p1beast_steps():
    """Steps 1-4: a', b', p' and w'  (eq-p1beast-a, -b, -p, -w)."""
    assert is_zero(sp.diff(A, x) - (-x / 2) * sp.exp(-x**2 / 4))
    assert is_zero(sp.diff(B, x) - sp.cos(x**3 + 2 * x) * (3 * x**2 + 2))
    p_page = sp.exp(-x**2 / 4) * ((3 * x**2 + 2) * sp.cos(x**3 + 2 * x)
                                  - x / 2 * sp.sin(x**3 + 2 * x))
    assert is_zero(sp.diff(P, x) - p_page)
    assert sp.diff(W, x) == -sp.sin(x)


def test_p1beast_quotient_step():
    """Step 5: f' = (p' w + p sin x)/w^2  (eq-p1beast-quotient)."""
    by_step = (sp.diff(P, x) * W + P * sp.sin(x)) / W**2
    assert is_zero(sp.diff(BEAST, x) - by_step)


def test_p1beast_final_formula_symbolic():
    """eq-p1beast-final agrees with sympy's derivative of the beast."""
    s = x**3 + 2 * x
    final = sp.exp(-x**2 / 4) / W**2 * ((3 * x**2 + 2) * W * sp.cos(s) - x / 2 * W * sp.sin(s)
                                        + sp.sin(x) * sp.sin(s))
    assert is_zero(sp.expand(sp.diff(BEAST, x) - final))


def test_p1beast_final_formula_numerical():
    """eq-p1beast-final agrees with the complex step and with sympy, at seeded random points."""
    pts = random_points(71, -3, 3, n=200)
    assert_matches_numerical(beast_numpy, beast_prime_final_form, pts)
    exact = sp.lambdify(x, sp.diff(BEAST, x), "numpy")
    np.testing.assert_allclose(beast_prime_final_form(pts), exact(pts), rtol=1e-12, atol=1e-13)


def test_p1beast_value_at_zero():
    """f'(0) = (1/9)(2 * 3 * 1 - 0 + 0) = 2/3."""
    assert sp.diff(BEAST, x).subs(x, 0) == sp.Rational(2, 3)
    assert beast_prime_final_form(0.0) == pytest.approx(2 / 3, rel=1e-15)


def test_p1beast_sign_slip_subtracts_two_p_sin_over_w_squared():
    """Writing (cos x)' = +sin x subtracts 2 p sin x / w^2 from the derivative."""
    with_slip = (sp.diff(P, x) * W - P * sp.sin(x)) / W**2
    assert is_zero(with_slip - sp.diff(BEAST, x) + 2 * P * sp.sin(x) / W**2)


def test_p1beast_three_factor_route():
    """f = a b w^-1 by the three-factor product rule gives the quotient-rule result."""
    dinv = sp.sin(x) / W**2  # (w^-1)' = -w'/w^2 = sin x / w^2
    three = sp.diff(A, x) * B / W + A * sp.diff(B, x) / W + A * B * dinv
    assert is_zero(sp.diff(1 / W, x) - dinv)
    assert is_zero(three - (sp.diff(P, x) * W + P * sp.sin(x)) / W**2)


def test_p1beast_student_slip_is_wrong():
    """b' = cos(3x^2 + 2) (exercise ex-p1beast-slip) is not the derivative of sin(x^3 + 2x)."""
    assert not is_zero(sp.diff(B, x) - sp.cos(3 * x**2 + 2))


def test_p1beast_reader_exercise():
    """g = x^2 e^(sin 2x)/(1 + x^4) and its derivative (eq-p1beast-g, eq-p1beast-g-prime)."""
    g = x**2 * sp.exp(sp.sin(2 * x)) / (1 + x**4)
    p_prime = 2 * x * sp.exp(sp.sin(2 * x)) * (1 + x * sp.cos(2 * x))
    assert is_zero(sp.diff(x**2 * sp.exp(sp.sin(2 * x)), x) - p_prime)
    g_prime_page = (2 * x * sp.exp(sp.sin(2 * x)) * ((1 + x * sp.cos(2 * x)) * (1 + x**4) - 2 * x**4)
                    / (1 + x**4) ** 2)
    assert is_zero(sp.diff(g, x) - g_prime_page)

    def g_np(t):
        return t**2 * np.exp(np.sin(2 * t)) / (1 + t**4)

    def g_prime_np(t):  # the code in the solution dropdown
        return (2 * t * np.exp(np.sin(2 * t)) * ((1 + t * np.cos(2 * t)) * (1 + t**4) - 2 * t**4)
                / (1 + t**4) ** 2)

    assert check_derivative(g_np, g_prime_np, low=-3, high=3, points=50, verbose=False).passed
    assert_matches_numerical(g_np, g_prime_np, random_points(72))
