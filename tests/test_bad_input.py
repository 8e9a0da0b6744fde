"""Bad and extreme input to every public callable: a named error, or a right answer.

Two tables drive this module, and other modules add their rows to them:

* ``CASES``: one :class:`Case` per public callable, with good arguments and, for each argument,
  its *kind*. Every bad value of that kind (``BAD[kind]``, e.g. NaN, a string, a boolean, an
  empty array, ``10**400`` for a real array) is substituted in turn, and the call must raise
  ``ValueError`` or ``TypeError`` whose message names the argument (the name as a word, so
  ``f`` matches ``f(x + h) is NaN …`` but not ``df``).
* ``EXTREMES``: valid but extreme calls, each with a check of its result; the call must give
  the right answer or raise a named ``ValueError``/``TypeError``. A wrong number returned
  silently fails.

Hypothesis then throws random bad values of the same kinds at the same arguments.

To cover a new module, add a ``Case`` for each public callable (and its extreme rows) to the
tables below, using an existing kind or a new entry in ``BAD``.

Run ``python tests/test_bad_input.py`` for the figures: bad inputs tried and handled well, and
silent wrong answers left.
"""

from __future__ import annotations

import math
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlcalc import derivatives as d
from mlcalc import multivariate as mv
from mlcalc import neural as nn
from mlcalc import plotting as pl

NAN, INF = float("nan"), float("inf")

# ----------------------------------------------------------------------------------------------
# Bad values by kind. Each is (label, value); every one must be refused with a named error.
# ----------------------------------------------------------------------------------------------

_NOT_NUMBERS = [
    ("None", None),
    ("str", "0.5"),
    ("0-d str array", np.array("0.5")),
    ("bool", True),
    ("0-d bool array", np.array(True)),
    ("complex", 1j),
    ("object", object()),
    ("a function", math.sin),
    ("10**400", 10**400),
]
_NON_FINITE = [("nan", NAN), ("inf", INF), ("-inf", -INF)]

BAD: dict[str, list[tuple[str, Any]]] = {
    # a real number or array of any shape
    "real": _NOT_NUMBERS + _NON_FINITE + [
        ("list with a str", [1.0, "a"]),
        ("ragged", [[1.0, 2.0], [3.0]]),
        ("array with a nan", [1.0, NAN]),
        ("empty", []),
        ("bool array", np.array([True, False])),
    ],
    # one real number
    "scalar": _NOT_NUMBERS + _NON_FINITE + [("two numbers", [1.0, 2.0]), ("empty", [])],
    # a point of R^2, shape (2,)
    "point2": _NOT_NUMBERS + _NON_FINITE + [
        ("array with a nan", [0.5, NAN]),
        ("array with an inf", [INF, 0.5]),
        ("a number", 0.5),
        ("a matrix", [[0.5, 0.2], [0.1, 0.3]]),
        ("empty", []),
        ("list with a str", [0.5, "a"]),
    ],
    # an integer
    "int": [
        ("float", 2.5), ("str", "3"), ("bool", True), ("None", None), ("negative", -1),
        ("huge", 10**10), ("10**400", 10**400), ("list", [1, 2]), ("nan", NAN),
    ],
    # a seed: a non-negative integer
    "seed": [("float", 0.5), ("str", "0"), ("bool", True), ("None", None), ("negative", -1), ("nan", NAN)],
    # a method name
    "method": [("capitalised", "Central"), ("int", 3), ("None", None), ("empty", ""), ("unknown", "backward")],
    # something that must be callable
    "callable": [("number", 3), ("None", None), ("str", "sin"), ("list", [math.sin])],
}


def _fn(value: Any) -> Callable[..., Any]:
    return lambda *args: value


def _same_shape(value: float) -> Callable[..., Any]:
    return lambda x: np.full(np.shape(x), value)


# a function of one real variable (vectorised): f(x) has x's shape
BAD["fn1"] = BAD["callable"] + [
    ("returns None", _fn(None)),
    ("returns a str", _fn("a")),
    ("returns nan", _same_shape(NAN)),
    ("returns inf", _same_shape(INF)),
    ("returns bools", lambda x: np.full(np.shape(x), True)),
    ("returns complex", lambda x: np.full(np.shape(x), 1 + 1j)),
    ("returns a wrong shape", lambda x: np.ones(np.shape(x) + (2,))),
    ("returns a list of str", lambda x: ["a"] * np.size(x)),
]
# a scalar function of a vector x of shape (n,)
BAD["fnv"] = BAD["callable"] + [
    ("returns None", _fn(None)),
    ("returns a str", _fn("a")),
    ("returns nan", _fn(NAN)),
    ("returns inf", _fn(INF)),
    ("returns complex", _fn(1 + 1j)),
    ("returns a bool", _fn(True)),
    ("returns a matrix", _fn(np.ones((2, 2)))),
    ("returns an empty array", _fn(np.array([]))),
]
# a matrix-valued function of x (a Jacobian or Hessian you wrote)
BAD["fnm"] = BAD["callable"] + [
    ("returns None", _fn(None)),
    ("returns a str", _fn("a")),
    ("returns nan", _fn(np.full((2, 2), NAN))),
    ("returns a wrong shape", _fn(np.ones((3, 3)))),
    ("returns complex", _fn(np.ones((2, 2)) * 1j)),
    ("returns a ragged list", _fn([[1.0, 2.0], [3.0]])),
]
# a path t -> point of R^2
BAD["path"] = BAD["callable"] + [
    ("returns None", _fn(None)),
    ("returns a str", _fn("a")),
    ("returns nan", _fn(np.array([NAN, 1.0]))),
    ("returns a matrix", _fn(np.ones((2, 2)))),
    ("returns a number", _fn(1.0)),
]
BAD["positive"] = BAD["scalar"] + [("zero", 0.0), ("negative", -1.0)]
BAD["positive array"] = BAD["real"] + [("zero", 0.0), ("negative", [-1.0, 1.0])]
BAD["nonneg"] = BAD["scalar"] + [("negative", -1.0)]
BAD["count"] = BAD["int"] + [("zero", 0), ("a billion", 10**9)]
BAD["net x"] = BAD["real"] + [("wrong rows", np.ones((2, 5))), ("1-D", np.ones(5)), ("no columns", np.ones((1, 0)))]
BAD["net y"] = BAD["real"] + [("wrong rows", np.ones((3, 16))), ("wrong columns", np.ones((2, 15)))]
BAD["weights"] = BAD["real"] + [("wrong shape", np.ones((7, 6))), ("a number", 1.0)]
BAD["sizes"] = [
    ("str", "1, 6, 2"), ("a number", 5), ("None", None), ("one layer", [3]), ("zero", [1, 0, 2]),
    ("float", [1, 2.5]), ("bool", [1, True]), ("huge", [1, 10**10]), ("10**400", [1, 10**400]),
]
BAD["jacobians"] = BAD["callable"] + [
    ("returns None", _fn(None)),
    ("returns a number", _fn(1.0)),
    ("returns (None, None)", _fn((None, None))),
    ("returns lists of None", _fn(([None] * 3, [None] * 3))),
    ("returns lists of str", _fn((["a"] * 3, ["b"] * 3))),
    ("returns nan arrays", lambda net, x, y: ([np.full_like(w, NAN) for w in net.weights],
                                              [np.full_like(b, NAN) for b in net.biases])),
]
BAD["network"] = [("a number", 3), ("a str", "net"), ("a list", [1, 6, 2])]
BAD["margin"] = BAD["scalar"] + [("half", 0.5), ("negative", -0.1)]
BAD["H"] = BAD["real"] + [("not square", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), ("1-D", [1.0, 2.0])]
BAD["panels"] = BAD["int"] + [("zero", 0), ("a thousand", 1000)]


# ----------------------------------------------------------------------------------------------
# The cases: every public callable, its good arguments, and the kind of each argument.
# ----------------------------------------------------------------------------------------------


@dataclass
class Case:
    """A public callable with good arguments ``args`` (passed by keyword) and, for each argument
    to attack, its kind in ``BAD``. ``call`` receives the arguments as keywords."""

    name: str
    call: Callable[..., Any]
    args: dict[str, Any]
    kinds: dict[str, str]
    skip: dict[str, set[str]] = field(default_factory=dict)  # labels that are valid for that argument


def _quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(**kwargs: Any) -> Any:
        return fn(**kwargs, verbose=False)

    return run


T16, Y16 = nn.heart_curve(16)
SIN1 = lambda x: np.sin(x)  # noqa: E731
COS1 = lambda x: np.cos(x)  # noqa: E731
BOWL = lambda v: float(v[0] ** 2 + 3 * v[1] ** 2)  # noqa: E731
BOWL_J = lambda v: np.array([[2 * v[0], 6 * v[1]]])  # noqa: E731
BOWL_H = lambda v: np.array([[2.0, 0.0], [0.0, 6.0]])  # noqa: E731
CIRCLE = lambda t: np.array([np.cos(t), np.sin(t)])  # noqa: E731


def _network_method(method: str) -> Callable[..., Any]:
    def run(**kwargs: Any) -> Any:
        return getattr(nn.Network((1, 6, 7, 2), seed=0), method)(**kwargs)

    return run


def _with_weight(**kwargs: Any) -> Any:
    net = nn.Network((1, 6, 7, 2), seed=0)
    net.weights[0] = kwargs["weights[0]"]
    return net.cost(T16, Y16)


def _with_bias(**kwargs: Any) -> Any:
    net = nn.Network((1, 6, 7, 2), seed=0)
    net.biases[1] = kwargs["biases[1]"]
    return net.gradients(T16, Y16)


def _backprop(net: nn.Network, x: Any, y: Any) -> Any:
    return net.gradients(x, y)


CASES: list[Case] = [
    # -- mlcalc.derivatives
    Case("derivatives.optimal_step", d.optimal_step, {"method": "central", "x": 1.0},
         {"method": "method", "x": "real"}),
    Case("derivatives.error_model", d.error_model,
         {"method": "central", "h": [1e-3, 1e-6], "f_size": 1.0, "higher_derivative": 1.0},
         {"method": "method", "h": "positive array", "f_size": "scalar", "higher_derivative": "scalar"}),
    Case("derivatives.model_best_step", d.model_best_step,
         {"method": "central", "f_size": 1.0, "higher_derivative": 1.0},
         {"method": "method", "f_size": "scalar", "higher_derivative": "scalar"}),
    Case("derivatives.difference_quotient", d.difference_quotient, {"f": SIN1, "x": 1.0, "h": 0.1},
         {"f": "fn1", "x": "real", "h": "real"}),
    Case("derivatives.derivative", d.derivative, {"f": SIN1, "x": [0.5, 1.0], "method": "central", "h": 1e-5},
         {"f": "fn1", "x": "real", "method": "method", "h": "positive array"}, skip={"h": {"None"}}),
    Case("derivatives.check_derivative", _quiet(d.check_derivative),
         {"f": SIN1, "df": COS1, "low": -1.0, "high": 1.0, "points": 5, "seed": 0, "rtol": 1e-6},
         {"f": "fn1", "df": "fn1", "low": "scalar", "high": "scalar", "points": "count", "seed": "seed",
          "rtol": "positive"}),
    # -- mlcalc.multivariate
    Case("multivariate.first_step", mv.first_step, {"x": [0.5, 2.0]}, {"x": "point2"}),
    Case("multivariate.gradient", mv.gradient, {"f": BOWL, "x": [0.5, 0.2], "h": 1e-5},
         {"f": "fnv", "x": "point2", "h": "positive array"}, skip={"h": {"None"}}),
    Case("multivariate.jacobian", mv.jacobian, {"f": BOWL, "x": [0.5, 0.2], "h": 1e-5},
         {"f": "fnv", "x": "point2", "h": "positive array"}, skip={"f": {"returns a matrix"}, "h": {"None"}}),
    Case("multivariate.hessian", mv.hessian, {"f": BOWL, "x": [0.5, 0.2], "h": 1e-4},
         {"f": "fnv", "x": "point2", "h": "positive array"}, skip={"h": {"None"}}),
    Case("multivariate.total_derivative", mv.total_derivative, {"f": BOWL, "path": CIRCLE, "t": 0.3},
         {"f": "fnv", "path": "path", "t": "scalar"}),
    Case("multivariate.polar_to_cartesian", mv.polar_to_cartesian, {"r": [1.0, 2.0], "theta": 0.5},
         {"r": "real", "theta": "real"}),
    Case("multivariate.classify_stationary_point", mv.classify_stationary_point,
         {"H": [[2.0, 0.0], [0.0, 1.0]], "tol": 1e-8, "atol": 1e-6},
         {"H": "H", "tol": "nonneg", "atol": "nonneg"}),
    Case("multivariate.noise_error_model", mv.noise_error_model,
         {"h": [1e-3, 1e-2], "noise": 1e-6, "third_derivative": 1.0},
         {"h": "positive array", "noise": "nonneg", "third_derivative": "scalar"}),
    Case("multivariate.noise_optimal_step", mv.noise_optimal_step, {"noise": 1e-6, "third_derivative": 1.0},
         {"noise": "positive", "third_derivative": "scalar"}),
    Case("multivariate.check_jacobian", _quiet(mv.check_jacobian),
         {"f": BOWL, "J": BOWL_J, "dim": 2, "low": -1.0, "high": 1.0, "points": 3, "seed": 0, "rtol": 1e-6},
         {"f": "fnv", "J": "fnm", "dim": "count", "low": "real", "high": "real", "points": "count",
          "seed": "seed", "rtol": "positive"},
         skip={"J": {"returns a wrong shape"}, "f": {"returns a matrix"}}),
    Case("multivariate.check_hessian", _quiet(mv.check_hessian),
         {"f": BOWL, "H": BOWL_H, "dim": 2, "low": -1.0, "high": 1.0, "points": 3, "seed": 0, "rtol": 1e-4},
         {"f": "fnv", "H": "fnm", "dim": "count", "low": "real", "high": "real", "points": "count",
          "seed": "seed", "rtol": "positive"}),
    # -- mlcalc.neural
    Case("neural.sigmoid", nn.sigmoid, {"z": [0.0, 1.0]}, {"z": "real"}),
    Case("neural.sigmoid_derivative", nn.sigmoid_derivative, {"z": [0.0, 1.0]}, {"z": "real"}),
    Case("neural.heart_curve", nn.heart_curve, {"n": 16, "margin": 0.05}, {"n": "count", "margin": "margin"}),
    Case("neural.Network", nn.Network, {"sizes": (1, 6, 2), "seed": 0, "scale": 1.0},
         {"sizes": "sizes", "seed": "seed", "scale": "positive"}),
    Case("neural.Network.forward", _network_method("forward"), {"x": T16}, {"x": "net x"}),
    Case("neural.Network.predict", _network_method("predict"), {"x": T16}, {"x": "net x"}),
    Case("neural.Network.cost", _network_method("cost"), {"x": T16, "y": Y16}, {"x": "net x", "y": "net y"}),
    Case("neural.Network.gradients", _network_method("gradients"), {"x": T16, "y": Y16},
         {"x": "net x", "y": "net y"}),
    Case("neural.Network.train", _network_method("train"),
         {"x": T16, "y": Y16, "steps": 3, "rate": 1.0, "noise": 0.1, "seed": 0, "snapshot_every": 1,
          "snapshot_x": T16},
         {"x": "net x", "y": "net y", "steps": "int", "rate": "positive", "noise": "nonneg", "seed": "seed",
          "snapshot_every": "count", "snapshot_x": "net x"},
         skip={"snapshot_every": {"None"}, "snapshot_x": {"None"}}),
    Case("neural.Network.weights[0] (set by the reader)", _with_weight, {"weights[0]": np.ones((6, 1))},
         {"weights[0]": "weights"}),
    Case("neural.Network.biases[1] (set by the reader)", _with_bias, {"biases[1]": np.ones((7, 1))},
         {"biases[1]": "weights"}),
    Case("neural.check_backprop", _quiet(nn.check_backprop),
         {"jacobians": _backprop, "network": None, "x": None, "y": None, "layer": None, "seed": 0, "rtol": 1e-6},
         {"jacobians": "jacobians", "network": "network", "layer": "count", "seed": "seed", "rtol": "positive"},
         skip={"network": set(), "layer": {"None"}}),
    # -- mlcalc.plotting
    Case("plotting.new_figure", pl.new_figure, {"ncols": 1, "nrows": 1}, {"ncols": "panels", "nrows": "panels"}),
]


def _rows() -> list[tuple[Case, str, str, Any]]:
    rows = []
    for case in CASES:
        for arg, kind in case.kinds.items():
            for label, value in BAD[kind]:
                if label in case.skip.get(arg, set()):
                    continue
                rows.append((case, arg, label, value))
    return rows


ROWS = _rows()


def names(message: str, arg: str) -> bool:
    """Whether ``message`` names the argument ``arg`` as a word (``f`` in ``f(x)``, not in ``df``)."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(arg)}(?![A-Za-z0-9_])", message) is not None


def outcome(call: Callable[..., Any], kwargs: dict[str, Any], arg: str) -> str:
    """'named' (a ValueError/TypeError naming ``arg``), 'unnamed', 'accepted' or 'other: …'."""
    import matplotlib.pyplot as plt

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(**kwargs)
    except (ValueError, TypeError) as exc:
        return "named" if names(str(exc), arg) else f"unnamed: {type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - anything else is a finding
        return f"other: {type(exc).__name__}: {exc}"
    finally:
        plt.close("all")
    return "accepted"


@pytest.mark.parametrize(
    "case, arg, label, value", ROWS, ids=[f"{c.name}-{a}-{lab}" for c, a, lab, _ in ROWS]
)
def test_bad_input_is_refused_with_a_named_error(case, arg, label, value):
    result = outcome(case.call, {**case.args, arg: value}, arg)
    assert result == "named", f"{case.name}({arg}={label}): {result}"


def test_every_case_accepts_its_good_arguments():
    for case in CASES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            case.call(**case.args)


def test_every_public_callable_of_these_modules_has_a_case():
    import inspect

    covered = {c.name.split(" ")[0] for c in CASES}
    containers = {  # results and records, built by the package, not by a reader
        "derivatives.DerivativeCheck", "multivariate.MatrixCheck", "neural.ForwardPass",
        "neural.TrainingResult", "neural.TrainingDiverged", "neural.LayerCheck", "neural.BackpropCheck",
        "plotting.use_book_style",  # takes no arguments
    }
    missing = []
    for prefix, module in (("derivatives", d), ("multivariate", mv), ("neural", nn), ("plotting", pl)):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and f"{prefix}.{name}" not in covered | containers:
                missing.append(f"{prefix}.{name}")
    assert not missing, f"public callables without a bad-input case: {missing}"
    assert {"neural.Network.cost", "neural.Network.gradients", "neural.Network.train"} <= covered
    assert inspect.isclass(nn.Network)


# ----------------------------------------------------------------------------------------------
# Extreme but valid input: a right answer, or a named error. Never a wrong number.
# ----------------------------------------------------------------------------------------------


def _close(expected: float, rtol: float) -> Callable[[Any], bool]:
    return lambda got: bool(np.all(np.isfinite(got)) and np.allclose(got, expected, rtol=rtol, atol=0))


def _train_diverges() -> Any:
    net = nn.Network((1, 6, 7, 2), seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = net.train(T16, Y16, 50, 1e300)
    finite = all(np.all(np.isfinite(w)) for w in net.weights + net.biases)
    warned = any(issubclass(w.category, nn.TrainingDiverged) for w in caught)
    return result.diverged_at is not None and finite and warned and np.all(np.isfinite(result.costs))


def _checks_pass(check: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    return bool(check(*args, **kwargs, verbose=False).passed)


def _checks_fail(check: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    return not check(*args, **kwargs, verbose=False).passed


def _big_weights_backprop() -> bool:
    net = nn.Network((1, 6, 7, 2), seed=1, scale=4.0)
    return _checks_pass(nn.check_backprop, _backprop, net, T16, Y16)


EXTREMES: list[tuple[str, Callable[[], Any], Callable[[Any], bool], str | None]] = [
    # (label, call, check of the result, argument an error must name if the call raises)
    ("derivative(np.sin, 1e5)", lambda: d.derivative(np.sin, 1e5), _close(math.cos(1e5), 1e-8), None),
    ("derivative(np.sin, 1e5, 'forward')", lambda: d.derivative(np.sin, 1e5, "forward"), _close(math.cos(1e5), 1e-6), None),
    ("derivative(np.sin, -3e7)", lambda: d.derivative(np.sin, -3e7), _close(math.cos(-3e7), 1e-8), None),
    ("derivative(np.sin, 1e10)", lambda: d.derivative(np.sin, 1e10), _close(math.cos(1e10), 1e-6), None),
    ("derivative(x**2, 1e150)", lambda: d.derivative(lambda x: x**2, 1e150), _close(2e150, 1e-8), None),
    ("derivative(x**3, 1e8)", lambda: d.derivative(lambda x: x**3, 1e8), _close(3e16, 1e-8), None),
    ("derivative(np.exp, 700)", lambda: d.derivative(np.exp, 700.0), _close(math.exp(700), 1e-8), None),
    ("derivative(np.sin, 1e-300)", lambda: d.derivative(np.sin, 1e-300), _close(1.0, 1e-10), None),
    ("derivative(np.sin, 1e308)", lambda: d.derivative(np.sin, 1e308), _close(math.cos(1e308), 1e-6), "x"),
    ("derivative(np.exp, 0, h=1e-20)", lambda: d.derivative(np.exp, 0.0, h=1e-20), _close(1.0, 1e-6), "h"),
    ("derivative(np.exp, 0, h=1e-320)", lambda: d.derivative(np.exp, 0.0, h=1e-320), _close(1.0, 1e-6), "h"),
    ("derivative(np.exp, 800) overflows", lambda: d.derivative(np.exp, 800.0), _close(math.inf, 0), "f"),
    ("derivative(np.sqrt, -1, 'complex')", lambda: d.derivative(np.sqrt, -1.0, "complex"), _close(NAN, 0), "f"),
    ("derivative(np.sqrt, 0, 'complex')", lambda: d.derivative(np.sqrt, 0.0, "complex"), _close(NAN, 0), "f"),
    ("derivative(np.abs, 1, 'complex')", lambda: d.derivative(np.abs, 1.0, "complex"), _close(1.0, 1e-10), "f"),
    ("derivative(np.exp, 1, 'complex', h=1e-310)", lambda: d.derivative(np.exp, 1.0, "complex", h=1e-310),
     _close(math.e, 1e-10), "h"),
    ("derivative(cos, 0, h=1e-20) is 0", lambda: d.derivative(np.cos, 0.0, h=1e-20), lambda g: g == 0.0, "h"),
    ("difference_quotient(unsigned f)", lambda: d.difference_quotient(lambda x: (np.asarray(x) * 10).astype(np.uint8), 1.0, -0.5),
     _close(10.0, 1e-12), None),
    ("difference_quotient(f, 1e16, 1) (x + h == x)", lambda: d.difference_quotient(np.sin, 1e16, 1.0), _close(NAN, 0), "h"),
    ("difference_quotient divides by the step taken", lambda: d.difference_quotient(lambda x: x, 1.0, 3e-16),
     _close(1.0, 1e-15), None),
    ("difference_quotient(exp, 700, 100) overflows", lambda: d.difference_quotient(np.exp, 700.0, 100.0),
     _close(NAN, 0), "f"),
    ("difference_quotient(complex-valued f)", lambda: d.difference_quotient(lambda x: np.sqrt(x + 0j), -1.0, 0.1),
     _close(NAN, 0), "f"),
    ("check_derivative(sin, cos) near 1e4", lambda: _checks_pass(d.check_derivative, np.sin, np.cos, low=1e4, high=1e4 + 10),
     bool, None),
    ("check_derivative(x + 1e12, 1)", lambda: _checks_pass(d.check_derivative, lambda x: x + 1e12, lambda x: np.ones_like(x)),
     bool, None),
    ("check_derivative fails a slip near 1e4", lambda: _checks_fail(d.check_derivative, np.sin, lambda x: 1.001 * np.cos(x),
                                                                     low=1e4, high=1e4 + 10), bool, None),
    ("check_derivative fails df = 0 for the beast-like g (07-taming-a-beast)", lambda: _checks_fail(
        d.check_derivative, lambda x: x**2 * np.exp(np.sin(2 * x)) / (1 + x**4), np.zeros_like, low=-3, high=3,
        points=50), bool, None),
    ("check_derivative fails df = 0 for a decaying f", lambda: _checks_fail(
        d.check_derivative, lambda x: np.exp(-x**2), np.zeros_like, low=1.0, high=3.0), bool, None),
    ("check_jacobian fails J = 0 for a decaying f", lambda: _checks_fail(
        mv.check_jacobian, lambda v: np.exp(-v[0] ** 2 - v[1] ** 2), lambda v: np.zeros((1, 2)), 2, low=1.0, high=3.0),
     bool, None),
    ("check_derivative fails a 1e-5 slip", lambda: _checks_fail(d.check_derivative, np.sin, lambda x: np.cos(x) + 1e-5),
     bool, None),
    ("check_derivative(low=-1e308, high=1e308)", lambda: d.check_derivative(np.sin, np.cos, low=-1e308, high=1e308,
                                                                              verbose=False), lambda r: False, "high"),
    ("error_model('central', 1e-320) is huge, not inf", lambda: d.error_model("central", 1e-320),
     _close(d.EPS / 1e-320, 1e-12), "h"),
    ("error_model('forward', 1e-320, f_size=1e20) overflows", lambda: d.error_model("forward", 1e-320, f_size=1e20),
     _close(INF, 0), "h"),
    ("model_best_step(f_size=1e308, higher_derivative=1e-308)",
     lambda: d.model_best_step("central", f_size=1e308, higher_derivative=1e-308), _close(INF, 0), "f_size"),
    ("gradient(sin x0, [1e5, 1])", lambda: mv.gradient(lambda v: np.sin(v[0]) * v[1], [1e5, 1.0]),
     _close([math.cos(1e5), math.sin(1e5)], 1e-7), None),
    ("jacobian at 1e7 (to 1e-8 of its largest entry)",
     lambda: mv.jacobian(lambda v: np.array([np.sin(v[0]), v[0] * v[1]]), [1e7, 0.5]),
     lambda J: bool(np.max(np.abs(J - [[math.cos(1e7), 0.0], [0.5, 1e7]])) <= 1e-8 * 1e7), None),
    ("jacobian(sin) at 1e7", lambda: mv.jacobian(lambda v: np.sin(v[0]), [1e7]), _close([[math.cos(1e7)]], 1e-7), None),
    ("hessian(sin x0, [1e4, 0.5])", lambda: mv.hessian(lambda v: np.sin(v[0]) + v[1] ** 2, [1e4, 0.5]),
     lambda H: bool(abs(H[0, 0] + math.sin(1e4)) < 1e-4 and abs(H[1, 1] - 2) < 1e-4 and abs(H[0, 1]) < 1e-4), None),
    ("gradient(exp, [0], h=1e-20)", lambda: mv.gradient(lambda v: np.exp(v[0]), [0.0], h=1e-20), _close([1.0], 1e-6), "h"),
    ("hessian(exp, [0], h=1e-160)", lambda: mv.hessian(lambda v: np.exp(v[0]), [0.0], h=1e-160), _close([[1.0]], 1e-6), "h"),
    ("hessian(exp, [0], h=1e-30)", lambda: mv.hessian(lambda v: np.exp(v[0]), [0.0], h=1e-30), _close([[1.0]], 1e-6), "h"),
    ("gradient(1e300 x0^2) overflows", lambda: mv.gradient(lambda v: 1e300 * v[0] ** 2 * 1e10, [1.0]),
     _close([INF], 0), "f"),
    ("total_derivative at t = 1e5", lambda: mv.total_derivative(lambda v: v[0], lambda t: np.array([np.sin(t), t]), 1e5),
     _close(math.cos(1e5), 1e-7), None),
    ("classify(3e-8 I) (numerical Hessian of a degenerate point)",
     lambda: mv.classify_stationary_point(3e-8 * np.eye(2)), lambda k: k == "unknown", None),
    ("classify(hessian of x^4 + y^4 at 0)",
     lambda: mv.classify_stationary_point(mv.hessian(lambda v: v[0] ** 4 + v[1] ** 4, [0.0, 0.0])),
     lambda k: k == "unknown", None),
    ("classify(diag(1, -1, 0))", lambda: mv.classify_stationary_point(np.diag([1.0, -1.0, 0.0])),
     lambda k: k == "saddle", None),
    ("classify(diag(1e308, 1e308))", lambda: mv.classify_stationary_point(np.diag([1e308, 1e308])),
     lambda k: k == "minimum", "H"),
    ("classify(diag(-1e308, 1e308))", lambda: mv.classify_stationary_point(np.diag([-1e308, 1e308])),
     lambda k: k == "saddle", "H"),
    ("check_jacobian(sin) near 1e4", lambda: _checks_pass(
        mv.check_jacobian, lambda v: np.array([np.sin(v[0]) * v[1]]),
        lambda v: np.array([[np.cos(v[0]) * v[1], np.sin(v[0])]]), low=[1e4, -1], high=[1e4 + 10, 1]), bool, None),
    ("check_hessian(sin) near 1e4", lambda: _checks_pass(
        mv.check_hessian, lambda v: np.sin(v[0]) + v[1] ** 2,
        lambda v: np.array([[-np.sin(v[0]), 0.0], [0.0, 2.0]]), low=[1e4, -1], high=[1e4 + 10, 1]), bool, None),
    ("check_jacobian fails a slip near 1e4", lambda: _checks_fail(
        mv.check_jacobian, lambda v: np.array([np.sin(v[0]) * v[1]]),
        lambda v: np.array([[1.001 * np.cos(v[0]) * v[1], np.sin(v[0])]]), low=[1e4, -1], high=[1e4 + 10, 1]),
     bool, None),
    ("gradient at a point of 20,000 coordinates", lambda: mv.gradient(np.sum, np.zeros(20_000)), lambda r: False, "x"),
    ("hessian at a point of 2,000 coordinates", lambda: mv.hessian(np.sum, np.zeros(2_000)), lambda r: False, "x"),
    ("noise_error_model(h=1e-320)", lambda: mv.noise_error_model(1e-320, 1.0), _close(INF, 0), "h"),
    ("noise_optimal_step(1e-300)", lambda: mv.noise_optimal_step(1e-300), lambda h: 0 < h < 1e-90, None),
    ("polar_to_cartesian(1e308, 0.5)", lambda: mv.polar_to_cartesian(1e308, 0.5),
     _close([1e308 * math.cos(0.5), 1e308 * math.sin(0.5)], 1e-12), None),
    ("sigmoid(+-1000)", lambda: nn.sigmoid([-1000.0, 1000.0]), lambda s: list(s) == [0.0, 1.0], None),
    ("sigmoid_derivative(1e5)", lambda: nn.sigmoid_derivative(1e5), lambda s: s == 0.0, None),
    ("heart_curve(10**10)", lambda: nn.heart_curve(10**10), lambda r: False, "n"),
    ("Network((1, 10**6, 10**6, 2))", lambda: nn.Network((1, 10**6, 10**6, 2)), lambda r: False, "sizes"),
    ("Network(scale=1e5).gradients", lambda: nn.Network(scale=1e5).gradients(T16, Y16),
     lambda g: all(np.all(np.isfinite(a)) for a in g[0] + g[1]), None),
    ("Network(scale=1e6).cost", lambda: nn.Network(scale=1e6).cost(T16, Y16), lambda c: np.isfinite(c), None),
    ("train(rate=1e300) diverges, reported", _train_diverges, bool, None),
    ("train(steps=10**10)", lambda: nn.Network().train(T16, Y16, 10**10, 1.0), lambda r: False, "steps"),
    ("train(snapshot_every=1, 10**7 steps)", lambda: nn.Network().train(T16, Y16, 10**7, 1.0, snapshot_every=1),
     lambda r: False, "snapshot_every"),
    ("check_backprop on a network of 10**5 parameters", lambda: nn.check_backprop(
        _backprop, nn.Network((1, 300, 300, 2)), T16, Y16, verbose=False), lambda r: False, "network"),
    ("check_backprop(correct, larger weights)", _big_weights_backprop, bool, None),
    ("check_backprop(wrong by a factor)", lambda: _checks_fail(
        nn.check_backprop, lambda net, x, y: tuple([2 * a for a in g] for g in net.gradients(x, y))), bool, None),
]


def extreme_outcome(call: Callable[[], Any], check: Callable[[Any], bool], arg: str | None) -> str:
    """'right', 'named error', or what went wrong."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call()
    except (ValueError, TypeError) as exc:
        if arg is not None and names(str(exc), arg):
            return "named error"
        return f"unnamed error: {type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001
        return f"other: {type(exc).__name__}: {exc}"
    try:
        ok = bool(check(result))
    except Exception:  # noqa: BLE001
        ok = False
    return "right" if ok else f"silently wrong: {result!r}"[:300]


@pytest.mark.parametrize("label, call, check, arg", EXTREMES, ids=[e[0] for e in EXTREMES])
def test_extreme_input_gives_a_right_answer_or_a_named_error(label, call, check, arg):
    result = extreme_outcome(call, check, arg)
    assert result in ("right", "named error"), f"{label}: {result}"


# ----------------------------------------------------------------------------------------------
# Hypothesis: random bad values of the same kinds
# ----------------------------------------------------------------------------------------------

_ARRAY_ARGS = [(c, a) for c in CASES for a, k in c.kinds.items() if k in ("real", "positive array", "H")]
_SCALAR_ARGS = [(c, a) for c in CASES for a, k in c.kinds.items() if k in ("scalar", "positive", "nonneg", "margin")]
_POINT_ARGS = [(c, a) for c in CASES for a, k in c.kinds.items() if k == "point2"]
_INT_ARGS = [(c, a) for c in CASES for a, k in c.kinds.items() if k in ("int", "count", "panels")]
_SEED_ARGS = [(c, a) for c in CASES for a, k in c.kinds.items() if k == "seed"]
_FN_ARGS = [(c, a) for c in CASES for a, k in c.kinds.items() if k in ("fn1", "fnv", "fnm", "path")]

finite = st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e3, max_value=1e3)
non_finite = st.sampled_from([NAN, INF, -INF])


@st.composite
def array_with_a_hole(draw: Any, size: int | None = None) -> list[Any]:
    values = draw(st.lists(finite, min_size=size or 1, max_size=size or 5))
    where = draw(st.integers(0, len(values) - 1))
    values[where] = draw(st.one_of(non_finite, st.text(min_size=1, max_size=3), st.none(), st.booleans()))
    return values


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(st.sampled_from(_ARRAY_ARGS), array_with_a_hole())
def test_random_arrays_with_a_bad_entry(case_arg, value):
    case, arg = case_arg
    assert outcome(case.call, {**case.args, arg: value}, arg) == "named"


@_SETTINGS
@given(st.sampled_from(_POINT_ARGS), array_with_a_hole(size=2))
def test_random_points_with_a_bad_entry(case_arg, value):
    case, arg = case_arg
    assert outcome(case.call, {**case.args, arg: value}, arg) == "named"


@_SETTINGS
@given(st.sampled_from(_SCALAR_ARGS), st.one_of(non_finite, st.text(max_size=4), st.none(), st.booleans(),
                                                 st.lists(finite, min_size=2, max_size=3),
                                                 st.integers(min_value=10**309, max_value=10**400)))
def test_random_bad_scalars(case_arg, value):
    case, arg = case_arg
    assert outcome(case.call, {**case.args, arg: value}, arg) == "named"


@_SETTINGS
@given(st.sampled_from(_INT_ARGS), st.one_of(st.integers(max_value=-1), st.floats(allow_nan=True),
                                              st.text(max_size=3), st.booleans(),
                                              st.integers(min_value=10**11, max_value=10**400)))
def test_random_bad_integers(case_arg, value):
    case, arg = case_arg
    assert outcome(case.call, {**case.args, arg: value}, arg) == "named"


@_SETTINGS
@given(st.sampled_from(_SEED_ARGS), st.one_of(st.integers(max_value=-1), st.floats(allow_nan=True),
                                               st.text(max_size=3), st.booleans(), st.none()))
def test_random_bad_seeds(case_arg, value):
    case, arg = case_arg
    assert outcome(case.call, {**case.args, arg: value}, arg) == "named"


@_SETTINGS
@given(st.sampled_from(_FN_ARGS), st.one_of(non_finite, st.text(max_size=3), st.none(),
                                             st.lists(st.text(max_size=2), min_size=1, max_size=3)))
def test_random_functions_returning_garbage(case_arg, garbage):
    case, arg = case_arg
    assert outcome(case.call, {**case.args, arg: _fn(garbage)}, arg) == "named"


# ----------------------------------------------------------------------------------------------
# The figures for the closing note
# ----------------------------------------------------------------------------------------------


def main() -> int:
    tally: dict[str, int] = {}
    problems = []
    for case, arg, label, value in ROWS:
        result = outcome(case.call, {**case.args, arg: value}, arg)
        key = result.split(":")[0]
        tally[key] = tally.get(key, 0) + 1
        if key != "named":
            problems.append(f"{case.name}({arg}={label}): {result}")
    extremes: dict[str, int] = {}
    for label, call, check, arg in EXTREMES:
        result = extreme_outcome(call, check, arg)
        key = result.split(":")[0]
        extremes[key] = extremes.get(key, 0) + 1
        if key not in ("right", "named error"):
            problems.append(f"{label}: {result}")
    tried = len(ROWS) + len(EXTREMES)
    good = tally.get("named", 0) + extremes.get("right", 0) + extremes.get("named error", 0)
    print(f"public callables covered: {len(CASES)}")
    print(f"bad inputs tried: {len(ROWS)}; refused with a named error: {tally.get('named', 0)}; {tally}")
    print(f"extreme valid inputs tried: {len(EXTREMES)}; {extremes}")
    print(f"handled well: {good} of {tried}; silent wrong answers left: {extremes.get('silently wrong', 0) + tally.get('accepted', 0)}")
    for p in problems:
        print("  ", p)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
