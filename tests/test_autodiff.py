"""mlcalc.autodiff: the reverse-mode Value, the forward-mode Dual and the network built from Values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlcalc.autodiff import Dual, Value, backward, network_cost, network_gradients
from mlcalc.multivariate import gradient
from mlcalc.neural import Network, heart_curve

FAST = settings(max_examples=60, deadline=None)


# --- every operation: value and local derivative ----------------------------------------------

UNARY = [
    ("exp", lambda v: v.exp(), math.exp, math.exp),
    ("log", lambda v: v.log(), math.log, lambda x: 1 / x),
    ("sigmoid", lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    ("tanh", lambda v: v.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    ("neg", lambda v: -v, lambda x: -x, lambda x: -1.0),
    ("square", lambda v: v**2, lambda x: x * x, lambda x: 2 * x),
    ("sqrt", lambda v: v**0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x)),
    ("cube", lambda v: v**3, lambda x: x**3, lambda x: 3 * x * x),
    ("reciprocal", lambda v: 1 / v, lambda x: 1 / x, lambda x: -1 / x**2),
    ("power zero", lambda v: v**0, lambda x: 1.0, lambda x: 0.0),
]


@pytest.mark.parametrize("name, op, f, df", UNARY, ids=[u[0] for u in UNARY])
@pytest.mark.parametrize("cls", [Value, Dual])
def test_unary_operations_value_and_derivative(name, op, f, df, cls):
    for x in (0.3, 1.7, 2.5):
        if cls is Value:
            v = Value(x)
            out = op(v)
            out.backward()
            value, slope = out.data, v.grad
        else:
            out = op(Dual(x, 1.0))
            value, slope = out.value, out.tangent
        assert value == pytest.approx(f(x), rel=1e-14, abs=1e-15)
        assert slope == pytest.approx(df(x), rel=1e-13, abs=1e-15)


BINARY = [
    ("+", lambda a, b: a + b, lambda x, y: (1.0, 1.0)),
    ("-", lambda a, b: a - b, lambda x, y: (1.0, -1.0)),
    ("*", lambda a, b: a * b, lambda x, y: (y, x)),
    ("/", lambda a, b: a / b, lambda x, y: (1 / y, -x / y**2)),
]


@pytest.mark.parametrize("name, op, partials", BINARY, ids=[b[0] for b in BINARY])
def test_binary_operations_both_partials_and_mixed_with_numbers(name, op, partials):
    x, y = 1.3, -0.7
    a, b = Value(x), Value(y)
    out = op(a, b)
    out.backward()
    assert (a.grad, b.grad) == pytest.approx(partials(x, y), rel=1e-15)
    # a plain number on either side, including numpy scalars on the left
    for left, right in ((op(a, y), op(x, y)), (op(x, b), op(x, y)), (op(np.float64(x), b), op(x, y))):
        assert isinstance(left, Value) and left.data == pytest.approx(right, rel=1e-15)
    # forward mode: the tangent along (1, 0) and (0, 1)
    d1 = op(Dual(x, 1.0), Dual(y, 0.0)).tangent
    d2 = op(Dual(x, 0.0), Dual(y, 1.0)).tangent
    assert (d1, d2) == pytest.approx(partials(x, y), rel=1e-15)
    assert isinstance(op(np.float64(x), Dual(y, 1.0)), Dual)


def test_sigmoid_is_accurate_and_finite_far_out():
    for z in (-800.0, -40.0, 0.0, 40.0, 800.0):
        v = Value(z)
        s = v.sigmoid()
        s.backward()
        assert 0.0 <= s.data <= 1.0 and math.isfinite(v.grad)
    assert Value(-40.0).sigmoid().data == pytest.approx(math.exp(-40.0) / (1 + math.exp(-40.0)), rel=1e-15)


# --- accumulation over reuse, and the order of the backward pass --------------------------------


def test_gradients_accumulate_over_every_use():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    (x + x + x).backward()
    assert x.grad == 3.0
    # a diamond: x feeds two branches that meet again
    x = Value(0.5)
    u, v = x.exp(), x * 2.0
    f = u * v
    f.backward()
    assert x.grad == pytest.approx(math.exp(0.5) * 1.0 + math.exp(0.5) * 2.0, rel=1e-15)


def test_backward_twice_gives_the_same_gradients_and_resets_interior_nodes():
    x, y = Value(1.5), Value(-0.5)
    f = (x * y).tanh() + x.log()
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == first


def test_topological_order_puts_every_node_after_its_parents():
    x, y = Value(0.7), Value(1.1)
    f = ((x * y).exp() + x / y - y.sigmoid()) * x.tanh()
    order = f.topological_order()
    position = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is f and len(position) == len(order)
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]


def test_a_chain_of_100000_operations_does_not_overflow_the_stack():
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()  # recursion would raise RecursionError far earlier
    assert x.grad == pytest.approx(1.00001**100_000, rel=1e-12)
    assert len(y.topological_order()) == 200_001


def test_leaf_grad_is_one_for_the_output_itself_and_zero_for_unused_values():
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0
    unused = Value(5.0)
    f = x * 3.0
    f.backward()
    assert unused.grad == 0.0 and repr(f).startswith("Value(data=6")


# --- random expressions against sympy and against central differences ---------------------------

X, Y = sp.symbols("x y", real=True)


def expressions(depth: int):
    leaves = st.sampled_from(["x", "y"]) | st.floats(-2, 2, allow_nan=False).map(lambda c: ("const", round(c, 3)))
    if depth == 0:
        return leaves
    sub = expressions(depth - 1)
    unary = st.tuples(st.sampled_from(["exp∘tanh", "log1+sq", "sigmoid", "tanh", "neg", "sq", "cube"]), sub)
    binary = st.tuples(st.sampled_from(["+", "-", "*", "/1+sq"]), sub, sub)
    return leaves | unary | binary


def evaluate(expr, x, y, exp, log, tanh, sigmoid):
    """One interpreter for three number types: Value/Dual (methods), sympy (functions)."""
    if expr == "x":
        return x
    if expr == "y":
        return y
    if expr[0] == "const":
        return expr[1]
    args = [evaluate(e, x, y, exp, log, tanh, sigmoid) for e in expr[1:]]
    op = expr[0]
    if op == "exp∘tanh":
        return exp(tanh(args[0]))
    if op == "log1+sq":
        return log(args[0] ** 2 + 1)
    if op == "sigmoid":
        return sigmoid(args[0])
    if op == "tanh":
        return tanh(args[0])
    if op == "neg":
        return -args[0]
    if op == "sq":
        return args[0] ** 2
    if op == "cube":
        return args[0] ** 3
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    return args[0] / (args[1] ** 2 + 1)


def as_value(a):
    return a if isinstance(a, (Value, Dual)) else Value(a)


METHODS = dict(exp=lambda a: a.exp(), log=lambda a: a.log(), tanh=lambda a: a.tanh(), sigmoid=lambda a: a.sigmoid())
SYMPY = dict(exp=sp.exp, log=sp.log, tanh=sp.tanh, sigmoid=lambda a: 1 / (1 + sp.exp(-a)))


def lifted(kind):
    wrap = (lambda a: a if isinstance(a, Value) else Value(a)) if kind is Value else (
        lambda a: a if isinstance(a, Dual) else Dual(a))
    return {k: (lambda f: (lambda a: f(wrap(a))))(f) for k, f in METHODS.items()}


@FAST
@given(expressions(3), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_random_expressions_match_sympy_and_central_differences(expr, x0, y0):
    symbolic = sp.sympify(evaluate(expr, X, Y, **SYMPY))
    exact = [float(sp.diff(symbolic, s).subs({X: x0, Y: y0})) for s in (X, Y)]
    value_expected = float(symbolic.subs({X: x0, Y: y0}))
    # reverse mode
    vx, vy = Value(x0), Value(y0)
    out = evaluate(expr, vx, vy, **lifted(Value))
    if isinstance(out, Value):
        out.backward()
        grads = [vx.grad, vy.grad]
        value = out.data
    else:  # a constant expression
        grads, value = [0.0, 0.0], float(out)
    scale = 1e-9 * max(1.0, *map(abs, exact))
    assert value == pytest.approx(value_expected, rel=1e-9, abs=1e-12)
    assert grads == pytest.approx(exact, abs=scale)
    # forward mode, one pass per input
    for k, seed in enumerate(((1.0, 0.0), (0.0, 1.0))):
        d = evaluate(expr, Dual(x0, seed[0]), Dual(y0, seed[1]), **lifted(Dual))
        tangent = d.tangent if isinstance(d, Dual) else 0.0
        assert tangent == pytest.approx(exact[k], abs=scale)
    # central differences
    numerical = gradient(lambda p: float(sp.N(symbolic.subs({X: p[0], Y: p[1]}))), np.array([x0, y0]))
    assert grads == pytest.approx(list(numerical), abs=1e-6 * max(1.0, *map(abs, exact)))


# --- the book's network -------------------------------------------------------------------------


@pytest.mark.parametrize("sizes, seed, n", [((1, 6, 7, 2), 0, 8), ((1, 6, 7, 2), 3, 20), ((2, 3, 1), 1, 5), ((1, 4, 4, 4, 2), 2, 6)])
def test_network_gradients_reproduce_backpropagation(sizes, seed, n):
    net = Network(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (sizes[0], n))
    y = rng.uniform(0.05, 0.95, (sizes[-1], n))
    dW, db, nodes = network_gradients(net, x, y)
    gW, gb = net.gradients(x, y)
    for a, b in zip(dW + db, gW + gb):
        assert a.shape == b.shape
        assert np.max(np.abs(a - b)) <= 1e-12 * max(1.0, np.max(np.abs(b)))
    assert nodes > net.n_parameters


def test_network_cost_equals_network_cost_of_the_package_and_accepts_duals():
    net = Network(seed=0)
    t, pts = heart_curve(5)
    Ws = [[[Value(v) for v in row] for row in w] for w in net.weights]
    Bs = [[Value(v) for v in b[:, 0]] for b in net.biases]
    assert network_cost(Ws, Bs, t, pts).data == pytest.approx(net.cost(t, pts), rel=1e-14)
    Wd = [[[Dual(v) for v in row] for row in w] for w in net.weights]
    Bd = [[Dual(v) for v in b[:, 0]] for b in net.biases]
    assert network_cost(Wd, Bd, t, pts).value == pytest.approx(net.cost(t, pts), rel=1e-14)


# --- bad input gets a clear, named error --------------------------------------------------------


@pytest.mark.parametrize("cls", [Value, Dual])
@pytest.mark.parametrize(
    "bad, error, words",
    [("3", TypeError, "real number"), (None, TypeError, "real number"), (True, TypeError, "real number"),
     (float("nan"), ValueError, "finite"), (float("inf"), ValueError, "finite"), (1 + 2j, TypeError, "real number")],
)
def test_constructor_refuses_non_numbers_and_non_finite(cls, bad, error, words):
    with pytest.raises(error, match=words):
        cls(bad)


def test_value_refuses_arrays_and_nested_values():
    with pytest.raises(ValueError, match="single number"):
        Value(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="cut the graph"):
        Value(Value(1.0))


@pytest.mark.parametrize("cls", [Value, Dual])
def test_operations_refuse_non_number_operands_naming_the_operation(cls):
    x = cls(1.0)
    for op, sym in ((lambda: x + "a", r"\+"), (lambda: x * None, r"\*"), (lambda: "a" - x, "-"), (lambda: x / [1], "/"),
                    (lambda: x * float("nan"), "finite")):
        with pytest.raises((TypeError, ValueError), match=sym):
            op()
    with pytest.raises(TypeError, match="exponent"):
        x ** cls(2.0)


@pytest.mark.parametrize("cls", [Value, Dual])
def test_domain_errors_and_overflow_are_named(cls):
    with pytest.raises(ValueError, match="log needs a positive value"):
        cls(0.0).log()
    with pytest.raises(ValueError, match="log needs a positive value"):
        cls(-2.0).log()
    with pytest.raises(ValueError, match="division"):
        cls(1.0) / 0.0
    with pytest.raises(ValueError, match="overflows"):
        cls(800.0).exp()
    with pytest.raises(ValueError, match="overflow"):
        cls(1e200) * 1e200
    with pytest.raises(ValueError, match="no real non-integer power"):
        cls(-2.0) ** 0.5
    with pytest.raises(ValueError, match="infinite at 0"):
        cls(0.0) ** -1
    with pytest.raises(ValueError, match="overflows"):
        cls(10.0) ** 400


def test_value_as_exponent_is_refused():
    with pytest.raises(TypeError, match="exponent"):
        2.0 ** Value(1.0)


def test_backward_needs_one_scalar_value():
    x = Value(1.0)
    with pytest.raises(TypeError, match="sum them"):
        backward([x * 2, x * 3])
    with pytest.raises(TypeError, match="sum them"):
        backward(np.array([x, x], dtype=object))
    with pytest.raises(TypeError, match="needs a Value"):
        backward(3.0)
    with pytest.raises(TypeError, match="needs a Value"):
        backward(Dual(1.0, 1.0))
    y = x * 2
    backward(y)
    assert x.grad == 2.0


def test_network_functions_refuse_bad_input():
    net = Network(seed=0)
    t, pts = heart_curve(4)
    with pytest.raises(TypeError, match="network must be"):
        network_gradients("net", t, pts)
    with pytest.raises(ValueError, match="x must have shape"):
        network_gradients(net, t.ravel(), pts)
    with pytest.raises(ValueError, match="same number of columns"):
        network_gradients(net, t, pts[:, :3])
    with pytest.raises(ValueError, match="finite"):
        network_gradients(net, t * np.nan, pts)
    with pytest.raises(ValueError, match="small batches"):
        network_gradients(net, np.zeros((1, 1001)), np.zeros((2, 1001)))
    broken = net.copy()
    broken.weights[1] = broken.weights[1].T
    with pytest.raises(ValueError, match="layer 2"):
        network_gradients(broken, t, pts)
    with pytest.raises(TypeError, match="Values"):
        network_cost([w.tolist() for w in net.weights], [b[:, 0].tolist() for b in net.biases], t, pts)


@pytest.mark.parametrize("cls", [Value, Dual])
def test_operand_errors_name_the_class_in_use(cls):
    # a shape-(1,) bias column entry, the slip the exercise ex-p3ad-curve warns about
    with pytest.raises(TypeError, match=f"a real number or a {cls.__name__}, not ndarray"):
        cls(1.0) + np.array([0.5])


def test_value_nodes_are_built_with_public_parents_and_local():
    x, y = Value(2.0), Value(3.0)
    node = Value(6.0, parents=(x, y), local=(3.0, 2.0), op="*")
    node.backward()
    assert (x.grad, y.grad) == (3.0, 2.0) and (x * y).local == node.local
    with pytest.raises(ValueError, match="same length"):
        Value(1.0, parents=(x,), local=())
    with pytest.raises(TypeError, match="parents must be Values"):
        Value(1.0, parents=(2.0,), local=(1.0,))
    with pytest.raises(ValueError, match=r"result of '\*' is not finite"):
        Value(float("inf"), parents=(x,), local=(1.0,), op="*")


def listing(function) -> list[str]:
    """The lines of a function's source without its docstring, as the page prints them."""
    import ast
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(function))
    lines = source.splitlines()
    first = ast.parse(source).body[0].body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        del lines[first.lineno - 1:first.end_lineno]
    return lines


def test_the_engine_listing_is_short_and_phone_width():
    """The operators are a few lines each and the printed lines are short (at most 60 characters)."""
    for method in (Value.__init__, Value.__add__, Value.__mul__, Value.tanh,
                   Value.topological_order, Value.backward):
        lines = listing(method)
        assert max(len(line) for line in lines) <= 60, method.__name__   # the page prints these
        assert not any('"""' in line for line in lines)
    for method in (Value.__add__, Value.__sub__, Value.__mul__, Value.__truediv__, Value.exp,
                   Value.log, Value.sigmoid, Value.tanh, Value.__pow__):
        assert len(listing(method)) <= 6, method.__name__
