"""Every formula stated in the prose of Part 3's pages 05-loss-gradients (loss) and
06-automatic-differentiation (ad), tested as stated; and the exercise solutions, run.

Each test is named after the formula's equation label (or exercise label). The pages' code cells
are executed once (module fixtures) so that the solutions run in the namespace a reader has.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.autodiff import Dual, Value, network_cost
from mlcalc.losses import (
    least_squares_gradient,
    log_sum_exp,
    logistic_loss,
    normal_equations,
    softmax,
    softmax_cross_entropy_gradient,
    softmax_jacobian,
    softplus,
)
from mlcalc.multivariate import gradient
from mlcalc.neural import Network, heart_curve

FAST = settings(max_examples=40, deadline=None)
PAGES = Path(__file__).resolve().parents[1] / "book" / "part3-neural-networks"
LOSS_PAGE = "05-loss-gradients.md"
AD_PAGE = "06-automatic-differentiation.md"


def code_cells(page: str) -> list[str]:
    text = (PAGES / page).read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S)
    cells = [re.sub(r"\A---\n.*?\n---\n", "", c, flags=re.S) for c in cells]
    return [re.sub(r"\A(:[\w-]+:.*\n)+", "", c) for c in cells]   # short-form options


def solution_blocks(page: str, label: str) -> list[str]:
    text = (PAGES / page).read_text(encoding="utf-8")
    start = text.index(f":::{{solution}} {label}\n")
    end = text.index("\n:::\n", start)
    return re.findall(r"```python\n(.*?)```", text[start:end], flags=re.S)


def run_page(page: str) -> dict:
    import matplotlib.pyplot as plt

    namespace: dict = {}
    for cell in code_cells(page):
        exec(compile(cell, page, "exec"), namespace)
        plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def loss_page() -> dict:
    return run_page(LOSS_PAGE)


@pytest.fixture(scope="module")
def ad_page() -> dict:
    return run_page(AD_PAGE)


# --- 05: matrix calculus ------------------------------------------------------------------------

n = 3
xs = sp.Matrix(sp.symbols("x1:4", real=True))
a_vec = sp.Matrix(sp.symbols("a1:4", real=True))
A = sp.Matrix(3, 3, sp.symbols("A1:10", real=True))


def grad(expr, variables):
    return sp.Matrix([sp.diff(expr, v) for v in variables])


def test_eq_p3loss_linear():
    f = (a_vec.T * xs)[0, 0]
    assert sp.simplify(grad(f, xs) - a_vec) == sp.zeros(3, 1)


def test_eq_p3loss_quadratic_general_symmetric_and_hessian():
    f = (xs.T * A * xs)[0, 0]
    assert sp.expand(grad(f, xs) - (A + A.T) * xs) == sp.zeros(3, 1)
    # the entry-by-entry form: (A x)_i + (A^T x)_i
    for i in range(3):
        assert sp.expand(sp.diff(f, xs[i]) - (sum(A[i, k] * xs[k] for k in range(3)) + sum(xs[j] * A[j, i] for j in range(3)))) == 0
    S = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}", real=True))
    g = (xs.T * S * xs)[0, 0]
    assert sp.expand(grad(g, xs) - 2 * S * xs) == sp.zeros(3, 1)
    assert sp.hessian(f, list(xs)) == A + A.T


theta = sp.Matrix(sp.symbols("t1:3", real=True))
Xs = sp.Matrix(4, 2, sp.symbols("X1:9", real=True))
ys = sp.Matrix(sp.symbols("y1:5", real=True))


def test_eq_p3loss_ls_expansion_and_gradient():
    r = ys - Xs * theta
    cost = (r.T * r)[0, 0]
    expanded = (ys.T * ys)[0, 0] - 2 * ((Xs.T * ys).T * theta)[0, 0] + (theta.T * Xs.T * Xs * theta)[0, 0]
    assert sp.expand(cost - expanded) == 0
    assert sp.expand(grad(cost, theta) - (-2 * Xs.T * ys + 2 * Xs.T * Xs * theta)) == sp.zeros(2, 1)
    assert sp.expand(grad(cost, theta) - (-2 * Xs.T * (ys - Xs * theta))) == sp.zeros(2, 1)
    # the Hessian 2 X^T X
    assert sp.expand(sp.hessian(cost, list(theta)) - 2 * Xs.T * Xs) == sp.zeros(2, 2)


@FAST
@given(st.integers(0, 10_000))
def test_eq_p3loss_normal_gradient_vanishes_and_hessian_is_positive_definite(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, 3))
    y = rng.normal(size=6)
    best = normal_equations(X, y)
    assert np.allclose(X.T @ X @ best, X.T @ y, atol=1e-9)
    assert np.allclose(least_squares_gradient(best, X, y), 0.0, atol=1e-9)
    assert np.all(np.linalg.eigvalsh(2 * X.T @ X) > 0)
    # and it is the minimum: any other theta costs more
    other = best + rng.normal(size=3)
    assert np.sum((y - X @ other) ** 2) > np.sum((y - X @ best) ** 2)


# --- 05: softmax, cross-entropy, logistic loss --------------------------------------------------

zs = sp.Matrix(sp.symbols("z1:4", real=True))
P = sp.Matrix([sp.exp(z) for z in zs]) / sum(sp.exp(z) for z in zs)


def test_eq_p3loss_softmax_sums_to_one_and_ignores_shifts():
    c = sp.Symbol("c", real=True)
    assert sp.simplify(sum(P) - 1) == 0
    shifted = sp.Matrix([sp.exp(z + c) for z in zs]) / sum(sp.exp(z + c) for z in zs)
    assert sp.simplify(shifted - P) == sp.zeros(3, 1)


def test_eq_p3loss_softmax_jacobian_entries_and_matrix():
    J = P.jacobian(list(zs))
    for i in range(3):
        # the log-derivative step: (1/p_i) dp_i/dz_j = [i = j] - p_j
        for j in range(3):
            assert sp.simplify(J[i, j] / P[i] - ((1 if i == j else 0) - P[j])) == 0
    assert sp.simplify(J - (sp.diag(*P) - P * P.T)) == sp.zeros(3, 3)
    assert sp.simplify(J - J.T) == sp.zeros(3, 3)
    assert sp.simplify(J * sp.ones(3, 1)) == sp.zeros(3, 1)
    rng = np.random.default_rng(1)
    for _ in range(5):
        z = rng.normal(scale=3, size=4)
        p = softmax(z)
        assert np.allclose(softmax_jacobian(z), np.diag(p) - np.outer(p, p))


def test_softmax_two_classes_is_the_sigmoid_with_jacobian_entries_pm_p1p2():
    z1, z2 = sp.symbols("z1 z2", real=True)
    p1 = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
    assert sp.simplify(p1 - 1 / (1 + sp.exp(-(z1 - z2)))) == 0
    p = sp.Matrix([p1, 1 - p1])
    J = p.jacobian([z1, z2])
    assert sp.simplify(J - sp.Matrix([[p1 * (1 - p1), -p1 * (1 - p1)], [-p1 * (1 - p1), p1 * (1 - p1)]])) == sp.zeros(2, 2)


ys3 = sp.Matrix(sp.symbols("u1:4", real=True))


def test_eq_p3loss_cross_entropy_scores_form_and_gradient():
    ce = -sum(ys3[k] * sp.log(P[k]) for k in range(3))
    lse = sp.log(sum(sp.exp(z) for z in zs))
    scores_form = lse - (ys3.T * zs)[0, 0]
    on_simplex = {ys3[2]: 1 - ys3[0] - ys3[1]}
    assert sp.simplify(sp.expand_log((ce - scores_form).subs(on_simplex), force=True)) == 0
    # the softmax is the gradient of the log-sum-exp
    assert sp.simplify(grad(lse, zs) - P) == sp.zeros(3, 1)
    # gradient p - y (with sum y = 1)
    assert sp.simplify((grad(scores_form, zs) - (P - ys3)).subs(on_simplex)) == sp.zeros(3, 1)
    # the chain rule: row (-y/p) times the softmax Jacobian is (p - y)^T
    row = sp.Matrix([[-ys3[k] / P[k] for k in range(3)]])
    chained = row * (sp.diag(*P) - P * P.T)
    assert sp.simplify((chained - (P - ys3).T).subs(on_simplex)) == sp.zeros(1, 3)
    # one-hot: C = -ln p_c
    onehot = {ys3[0]: 0, ys3[1]: 1, ys3[2]: 0}
    assert sp.simplify(ce.subs(onehot) + sp.log(P[1])) == 0


def test_eq_p3loss_ce_gradient_of_the_mean_is_p_minus_y_over_n():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(3, 4))
    Y = np.eye(3)[:, [0, 2, 1, 1]]
    assert np.allclose(softmax_cross_entropy_gradient(Z, Y), (softmax(Z) - Y) / 4)


zz, yy = sp.symbols("z y", real=True)
sig = 1 / (1 + sp.exp(-zz))


def test_eq_p3loss_logistic_two_forms_and_logs_of_the_sigmoid():
    assert sp.simplify(sp.log(sig) - (zz - sp.log(1 + sp.exp(zz)))) == 0
    assert sp.simplify(sp.expand_log(sp.log(1 - sig), force=True) + sp.log(1 + sp.exp(zz))) == 0
    L = -(yy * sp.log(sig) + (1 - yy) * sp.log(1 - sig))
    stated = sp.log(1 + sp.exp(zz)) - yy * zz
    for y0 in (0, 1, sp.Rational(3, 10)):
        for z0 in (-3, -0.5, 0, 2, 5):
            assert float((L - stated).subs({yy: y0, zz: z0})) == pytest.approx(0.0, abs=1e-12)


def test_eq_p3loss_logistic_gradient_and_weights():
    L = sp.log(1 + sp.exp(zz)) - yy * zz
    assert sp.simplify(sp.diff(sp.log(1 + sp.exp(zz)), zz) - sig) == 0
    assert sp.simplify(sp.diff(L, zz) - (sig - yy)) == 0
    w = sp.Matrix(sp.symbols("w1:4", real=True))
    x = sp.Matrix(sp.symbols("v1:4", real=True))
    b = sp.Symbol("b", real=True)
    z_of_w = (w.T * x)[0, 0] + b
    Lw = L.subs(zz, z_of_w)
    s = sig.subs(zz, z_of_w)
    assert sp.simplify(grad(Lw, w) - (s - yy) * x) == sp.zeros(3, 1)
    assert sp.simplify(sp.diff(Lw, b) - (s - yy)) == 0


def test_squared_distance_derivative_carries_sigma_prime(loss_page):
    f = (sig - yy) ** 2
    assert sp.simplify(sp.diff(f, zz) - 2 * (sig - yy) * sig * (1 - sig)) == 0
    # the figure's glued values at z = -6
    s = 1 / (1 + math.exp(6.0))
    assert abs(s - 1) == pytest.approx(0.9975273768433653)
    assert abs(2 * (s - 1) * s * (1 - s)) < abs(s - 1) / 100
    # the alt text: the squared distance's hump lies just left of z = 0, at z = -ln 2
    zs, push = loss_page["zs"], loss_page["push_squared"]
    assert -1.0 < zs[np.argmax(push)] < 0.0
    assert zs[np.argmax(push)] == pytest.approx(-math.log(2), abs=zs[1] - zs[0])
    assert push.max() == pytest.approx(8 / 27, rel=1e-3)


@FAST
@given(st.lists(st.floats(-800, 800), min_size=2, max_size=6))
def test_eq_p3loss_lse_shift_identity_and_softplus(values):
    z = np.array(values)
    m = z.max()
    assert log_sum_exp(z) == pytest.approx(m + np.log(np.sum(np.exp(z - m))), rel=1e-15)
    # the stable softplus equals ln(1 + e^z) where that can be computed
    for v in z:
        if abs(v) < 700:
            assert softplus(v) == pytest.approx(math.log1p(math.exp(v)), rel=1e-13, abs=1e-300)
    # the logistic loss of a confident wrong answer is about -z
    assert logistic_loss(-800.0, 1.0) == pytest.approx(800.0)


def test_loss_page_numbers(loss_page):
    g = loss_page
    # overflow of the naive forms, stated in the table
    assert np.isinf(g["naive_lse"]) and np.isnan(g["naive_softmax"]).all() and g["naive_lse_low"] == -np.inf
    assert np.isinf(g["naive_logistic"])
    assert log_sum_exp(g["big"]) == pytest.approx(1002 + log_sum_exp(np.array([-2.0, -1.0, 0.0])), rel=1e-15)
    assert np.allclose(softmax(g["big"]), softmax(np.array([0.0, 1.0, 2.0])))
    assert math.exp(np.log(np.finfo(float).max)) == pytest.approx(np.finfo(float).max, rel=1e-12)
    assert math.exp(-745.2) == 0.0 and math.exp(-745.0) > 0.0   # "underflows a little below -745"


def test_ex_p3loss_ridge_solution_runs(loss_page):
    ns = dict(loss_page)
    for block in solution_blocks(LOSS_PAGE, "ex-p3loss-ridge"):
        exec(block, ns)
    X, y, lam = ns["X"], ns["y"], ns["lam"]
    assert np.allclose(ns["ridge_gradient"](ns["theta_ridge"]), 0.0, atol=1e-12)
    th = np.array([0.3, -0.4])
    assert np.allclose(ns["ridge_gradient"](th), gradient(ns["ridge"], th), atol=1e-7)
    assert np.allclose((X.T @ X + lam * np.eye(2)) @ ns["theta_ridge"], X.T @ y)


def test_ex_p3loss_two_classes_solution_runs(loss_page, capsys):
    ns = dict(loss_page)
    for block in solution_blocks(LOSS_PAGE, "ex-p3loss-two-classes"):
        exec(block, ns)
    printed = [float(v) for v in capsys.readouterr().out.split()]
    assert len(printed) == 12 and max(map(abs, printed)) < 1e-12


def test_ex_p3loss_temperature_solution_runs(loss_page):
    ns = dict(loss_page)
    for block in solution_blocks(LOSS_PAGE, "ex-p3loss-temperature"):
        exec(block, ns)
    assert np.max(np.abs(ns["formula"] - ns["numerical"])) < 1e-9
    p, zz_, T = ns["p"], ns["zz"], ns["T"]
    assert np.allclose(ns["formula"], -p * (zz_ - p @ zz_) / T**2)
    assert np.allclose(softmax(zz_ / 1e-3), np.eye(4)[0]) and np.allclose(softmax(zz_ / 1e6), 0.25, atol=1e-5)


# --- 06: automatic differentiation --------------------------------------------------------------

x1, x2 = sp.symbols("x1 x2", positive=True)
F = sp.log(x1) + x1 * x2 - sp.tanh(x2)


def test_eq_p3ad_trace_and_closed_form_gradient(ad_page):
    assert sp.simplify(sp.diff(F, x1) - (1 / x1 + x2)) == 0
    assert sp.simplify(sp.diff(F, x2) - (x1 - (1 - sp.tanh(x2) ** 2))) == 0
    at = {x1: 2, x2: sp.Rational(1, 2)}
    f, v3, v4, v5, v6 = (ad_page[k] for k in ("f", "v3", "v4", "v5", "v6"))
    assert f.data == pytest.approx(float(F.subs(at)), rel=1e-15)
    assert (v3.data, v4.data, v5.data, v6.data) == pytest.approx((math.log(2), 1.0, math.tanh(0.5), math.log(2) + 1.0))
    assert ad_page["x1"].grad == pytest.approx(float(sp.diff(F, x1).subs(at)), rel=1e-15)
    assert ad_page["x2"].grad == pytest.approx(float(sp.diff(F, x2).subs(at)), rel=1e-15)


def test_eq_p3ad_adjoint_example():
    # the hand recursion of the page, against the engine
    v1, v2 = 2.0, 0.5
    v5 = math.tanh(v2)
    b7 = 1.0
    b6, b5 = b7, -b7
    b3 = b4 = b6
    b2 = b4 * v1 + b5 * (1 - v5**2)
    b1 = b3 / v1 + b4 * v2
    a, b = Value(v1), Value(v2)
    (a.log() + a * b - b.tanh()).backward()
    assert (a.grad, b.grad) == pytest.approx((b1, b2), rel=1e-15)


def test_forward_mode_tangent_rules_of_the_page():
    # the tangent recursion as stated, seeded with (1, 0) and (0, 1)
    for seed, exact in (((1.0, 0.0), 1 / 2.0 + 0.5), ((0.0, 1.0), 2.0 - (1 - math.tanh(0.5) ** 2))):
        v1, v2 = 2.0, 0.5
        d1, d2 = seed
        v5 = math.tanh(v2)
        d3 = d1 / v1
        d4 = d1 * v2 + v1 * d2
        d5 = (1 - v5**2) * d2
        d7 = (d3 + d4) - d5
        assert d7 == pytest.approx(exact, rel=1e-15)


a_, b_, c_, d_ = sp.symbols("a b c d", real=True)


def test_eq_p3ad_dual_product_rule_and_first_order_taylor():
    eps = sp.Symbol("epsilon")
    product = sp.expand((a_ + b_ * eps) * (c_ + d_ * eps)).subs(eps**2, 0)
    assert sp.expand(product - (a_ * c_ + (a_ * d_ + b_ * c_) * eps)) == 0
    # g(a + b eps) = g(a) + g'(a) b eps for each of the engine's functions, via Dual
    u = sp.Symbol("u", positive=True)
    for method, g in (("exp", sp.exp(u)), ("log", sp.log(u)), ("tanh", sp.tanh(u)), ("sigmoid", 1 / (1 + sp.exp(-u)))):
        for a0, b0 in ((0.7, 1.0), (1.9, -2.5)):
            out = getattr(Dual(a0, b0), method)()
            assert out.value == pytest.approx(float(g.subs(u, a0)), rel=1e-14)
            assert out.tangent == pytest.approx(float(sp.diff(g, u).subs(u, a0)) * b0, rel=1e-13)


def test_chain_derivative_c_to_the_n(ad_page):
    assert ad_page["x"].grad == pytest.approx(1.00001**100_000, rel=1e-12)
    assert len(ad_page["y"].topological_order()) == 2 * 100_000 + 1


def test_forward_and_reverse_mode_agree_and_the_counts(ad_page):
    g = ad_page
    assert np.max(np.abs(g["g_forward"] - g["g_reverse"])) < 1e-15
    gW, gb = Network(seed=0).gradients(*heart_curve(8))
    flat = np.concatenate([a.ravel() for pair in zip(gW, gb) for a in pair])
    assert np.allclose(g["g_reverse"], flat, rtol=0, atol=1e-15)
    assert g["flat"].size == 77
    # like-for-like counts, recomputed from a fresh graph: one step per node and per arrow
    net8 = Network(seed=0)
    t8, y8 = heart_curve(8)
    Ws = [[[Value(v) for v in row] for row in w] for w in net8.weights]
    Bs = [[Value(v) for v in b[:, 0]] for b in net8.biases]
    order = network_cost(Ws, Bs, t8, y8).topological_order()
    steps = len(order) + sum(len(node.parents) for node in order)
    assert g["n_nodes"] == len(order) and g["n_nodes"] + g["n_edges"] == steps
    counts = g["counts"]
    for (P, forward, reverse), h in zip(counts, g["widths"]):
        wide = Network((1, h, h, 2), seed=0)
        assert P == wide.n_parameters == h * h + 5 * h + 2
        assert forward == P * reverse   # "exactly P times as many"
    assert np.all(np.diff(counts[:, 1] / counts[:, 2]) > 0)   # the gap widens with P
    # "forward mode grows like P^2, reverse mode like P": the fitted log-log slopes
    assert g["slope_forward"] == pytest.approx(2.0, abs=0.1)
    assert g["slope_reverse"] == pytest.approx(1.0, abs=0.1)
    assert g["slope_forward"] - g["slope_reverse"] == pytest.approx(1.0, abs=1e-12)


def test_the_page_prints_the_engine_at_phone_width(ad_page, capsys):
    from mlcalc.autodiff import Value as V

    ad_page["show_source"](V.__init__, V.__mul__, V.tanh, V.topological_order, V.backward)
    printed = capsys.readouterr().out
    assert "parents=(self, o)" in printed and "local=(o.data, self.data)" in printed
    assert '"""' not in printed and "Introduced on" not in printed
    assert max(len(line) for line in printed.splitlines()) <= 60


def test_backprop_is_reverse_mode_adjoint_of_z_is_delta():
    """The adjoint of every weighted input is the error signal of eq-p3bp-delta-out / -delta-back."""
    net = Network((2, 3, 4, 2), seed=5)
    x = np.array([[0.3], [-0.8]])
    y = np.array([[0.2], [0.9]])
    a: list = [Value(float(v)) for v in x[:, 0]]
    z_nodes = []
    for W, b in zip(net.weights, net.biases):
        z = [sum((float(W[j, k]) * a[k] for k in range(W.shape[1])), Value(0.0)) + float(b[j, 0]) for j in range(W.shape[0])]
        z_nodes.append(z)
        a = [zj.sigmoid() for zj in z]
    cost = sum(((aj - float(yj)) ** 2 for aj, yj in zip(a, y[:, 0])), Value(0.0))
    cost.backward()
    acts = net.forward(x).activations
    delta = 2 * (acts[-1] - y) * acts[-1] * (1 - acts[-1])
    for layer in range(net.n_layers - 1, -1, -1):
        assert np.allclose([zj.grad for zj in z_nodes[layer]], delta[:, 0], rtol=1e-13, atol=1e-16)
        if layer:
            delta = (net.weights[layer].T @ delta) * acts[layer] * (1 - acts[layer])


def test_matmul_backward_rules_a_bar_is_wt_z_bar_and_w_bar_is_outer_product():
    rng = np.random.default_rng(4)
    W = rng.normal(size=(3, 4))
    a = rng.normal(size=4)
    upstream = rng.normal(size=3)   # z_bar: the adjoints of z = W a, from a cost c^T z
    Wv = [[Value(float(v)) for v in row] for row in W]
    av = [Value(float(v)) for v in a]
    z = [sum((Wv[j][k] * av[k] for k in range(4)), Value(0.0)) for j in range(3)]
    cost = sum((float(upstream[j]) * z[j] for j in range(3)), Value(0.0))
    cost.backward()
    assert np.allclose([v.grad for v in av], W.T @ upstream, rtol=1e-14)
    assert np.allclose([[v.grad for v in row] for row in Wv], np.outer(upstream, a), rtol=1e-14)


def test_network_gradients_on_the_page_agree_to_1e_12(ad_page):
    assert ad_page["worst"] <= 1e-12
    assert ad_page["nodes_100"] > 10_000
    assert ad_page["slowdown"] > 1


def test_ex_p3ad_by_hand_solution(ad_page, capsys):
    ns = dict(ad_page)
    (block,) = solution_blocks(AD_PAGE, "ex-p3ad-by-hand")
    exec(block, ns)
    a, b = Value(1.0), Value(2.0)
    g = a**2 * b + (a * b).exp()
    g.backward()
    assert (ns["mine"]["dg/dx1"], ns["mine"]["dg/dx2"]) == pytest.approx((a.grad, b.grad), rel=1e-14)


def test_ex_p3ad_logistic_solution(ad_page, capsys):
    ns = dict(ad_page)
    (block,) = solution_blocks(AD_PAGE, "ex-p3ad-logistic")
    exec(block, ns)
    s, label = ns["s"], ns["label"]
    assert [w.grad for w in ns["w"]] == pytest.approx([(s - label) * x for x in ns["xs"]], rel=1e-13)
    assert ns["bias"].grad == pytest.approx(s - label, rel=1e-13)


def test_ex_p3ad_curve_solution(ad_page, capsys):
    ns = dict(ad_page)
    (block,) = solution_blocks(AD_PAGE, "ex-p3ad-curve")
    exec(block, ns)
    tangents = [d.tangent for d in ns["a"]]
    net = ns["net"]
    numerical = ns["jacobian"](lambda s: net.predict(s.reshape(1, 1)).ravel(), np.array([0.3]))[:, 0]
    relative = np.abs(np.array(tangents) - numerical) / np.abs(numerical)
    assert np.all(relative < 1e-7)   # "about eight significant digits", the differences' accuracy
    # forward mode is exact: compare with sympy's derivative of the same network
    t = sp.Symbol("t")
    act = [t]
    for W, b in zip(net.weights, net.biases):
        act = [1 / (1 + sp.exp(-(sum(float(W[j, k]) * act[k] for k in range(W.shape[1])) + float(b[j, 0])))) for j in range(W.shape[0])]
    exact = [float(sp.diff(o, t).subs(t, 0.3)) for o in act]
    assert tangents == pytest.approx(exact, rel=1e-13)


def test_network_cost_with_duals_is_one_forward_pass_per_parameter():
    net = Network(seed=1)
    t, pts = heart_curve(3)
    Wd = [[[Dual(float(v), 1.0 if (l, j, k) == (1, 2, 3) else 0.0) for k, v in enumerate(row)]
           for j, row in enumerate(w)] for l, w in enumerate(net.weights)]
    Bd = [[Dual(float(v)) for v in b[:, 0]] for b in net.biases]
    assert network_cost(Wd, Bd, t, pts).tangent == pytest.approx(net.gradients(t, pts)[0][1][2, 3], rel=1e-13)
