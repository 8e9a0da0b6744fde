"""Checking a reader's backpropagation against finite differences of the cost (Part 3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array, as_int, as_positive_scalar, as_seed, require_callable
from ..derivatives import EPS
from ..multivariate import gradient
from .heart import heart_curve
from .network import Network

__all__ = ["LayerCheck", "BackpropCheck", "check_backprop"]

Array = NDArray[np.float64]

#: The most parameters :func:`check_backprop` differentiates numerically (two cost evaluations each).
MAX_CHECKED_PARAMETERS: int = 20_000


@dataclass(frozen=True)
class LayerCheck:
    r"""How one gradient (of the cost with respect to one weight matrix or bias vector) compared with finite differences.

    ``layer`` counts from 1 as in the maths (``weights[layer - 1]``); ``part`` is ``"W"`` or
    ``"b"``. ``error`` is the largest absolute difference, ``relative_error`` that divided by the
    largest entry of the numerical gradient, and ``worst_index`` the entry where it occurs.
    When the shapes differ, ``yours_shape != expected_shape`` and the errors are ``inf``.

    Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
    """

    layer: int
    part: str
    expected_shape: tuple[int, ...]
    yours_shape: tuple[int, ...]
    error: float
    relative_error: float
    worst_index: tuple[int, ...]
    yours_value: float
    numerical_value: float
    passed: bool

    @property
    def label(self) -> str:
        """``"W3"`` or ``"b3"``: the part and the layer."""
        return f"{self.part}{self.layer}"


@dataclass(frozen=True)
class BackpropCheck:
    """The result of :func:`check_backprop`: one :class:`LayerCheck` per gradient compared.

    ``passed`` is true when every gradient agrees within tolerance. ``str(result)`` is the
    friendly message that :func:`check_backprop` prints.

    Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
    """

    name: str
    checks: tuple[LayerCheck, ...]
    rtol: float
    passed: bool

    @property
    def worst_relative_error(self) -> float:
        """The largest relative error over every gradient compared."""
        return max(c.relative_error for c in self.checks)

    def __str__(self) -> str:
        labels = ", ".join(c.label for c in self.checks)
        if self.passed:
            return (
                f"✓ {self.name}: {labels} agree with finite differences of the cost "
                f"(largest relative difference {self.worst_relative_error:.2g})."
            )
        bad = [c for c in self.checks if not c.passed]
        lines = [
            f"✗ {self.name}: {', '.join(c.label for c in bad)} disagree"
            f"{'s' if len(bad) == 1 else ''} with finite differences of the cost "
            f"(tolerance {self.rtol:.0e} relative).",
            "   gradient  shape      worst entry   yours          numerical      relative difference",
        ]
        for c in self.checks:
            shape = "×".join(map(str, c.expected_shape))
            if c.yours_shape != c.expected_shape:
                hint = "  (transposed?)" if c.yours_shape == c.expected_shape[::-1] else ""
                lines.append(
                    f"   {c.label:<9} {shape:<10} your array has shape {c.yours_shape}, "
                    f"expected {c.expected_shape}{hint}"
                )
                continue
            mark = "ok" if c.passed else f"{c.relative_error:.2g}"
            lines.append(
                f"   {c.label:<9} {shape:<10} {str(list(c.worst_index)):<13} {c.yours_value:<14.6g} "
                f"{c.numerical_value:<14.6g} {mark}"
            )
        ratios = [
            c.yours_value / c.numerical_value
            for c in bad
            if c.yours_shape == c.expected_shape and c.numerical_value != 0
        ]
        if bad and all(c.yours_shape == c.expected_shape and c.yours_value == 0 for c in bad):
            lines.append("   Hint: yours is all zeros there: fill in the gradient.")
        elif ratios and all(abs(r - ratios[0]) < 1e-6 * max(1.0, abs(ratios[0])) for r in ratios):
            lines.append(f"   Hint: yours is {ratios[0]:.4g} times the numerical value; a constant factor is missing?")
        return "\n".join(lines)


def _numerical_jacobian(network: Network, x: Array, y: Array, array: Array, h: Array | None = None) -> Array:
    """Central differences of the cost with respect to every entry of ``array``, one of the
    network's own parameter arrays (changed in place while the cost is evaluated, then restored)."""
    keep = array.copy()

    def cost_at(values: Array) -> float:
        array[...] = values.reshape(array.shape)
        return network.cost(x, y)

    try:
        return gradient(cost_at, keep.reshape(-1), h).reshape(array.shape)
    finally:
        array[...] = keep


def _second_opinion(network: Network, x: Array, y: Array, array: Array, mine: Array, allowed: float) -> Array | None:
    """A numerical Jacobian from other steps, the first that can be trusted (nearest the default step first), or None.

    Rungs of a ladder of steps around the default (up to about a fortieth of ``max(1, |θ|)``, so
    that a step stays local), each computed at ``h``, ``h/2`` and ``h/4`` and trusted only when
    the three agree within ``allowed``; the first trusted rung decides. So a correct gradient is
    not failed because the default step did not suit the cost, and a wrong one is still caught.
    """
    base = EPS ** (1 / 3) * np.maximum(1.0, np.abs(array.reshape(-1)))
    for k in (0, -2, 2, -4, 4, -6, 6):  # nearest the default first: the likeliest to be trusted
        h = base * 4.0**k
        try:
            a = _numerical_jacobian(network, x, y, array, h)
            b = _numerical_jacobian(network, x, y, array, h / 2)
            c = _numerical_jacobian(network, x, y, array, h / 4)
        except (ValueError, TypeError, ArithmeticError):
            continue
        error = float(np.max(np.abs(a - b)) + np.max(np.abs(b - c)))
        if error <= allowed:
            return c
    return None


def check_backprop(
    jacobians: Callable[[Network, Array, Array], Any],
    network: Network | None = None,
    x: ArrayLike | None = None,
    y: ArrayLike | None = None,
    *,
    layer: int | None = None,
    seed: int = 0,
    rtol: float = 1e-6,
    verbose: bool = True,
) -> BackpropCheck:
    r"""Check the gradients of the cost you wrote (by backpropagation) against central finite differences.

    Parameters
    ----------
    jacobians
        Your function, called as ``jacobians(network, x, y)``. With ``layer=None`` it returns
        ``(dW, db)``, two lists with one array per layer, shaped like ``network.weights`` and
        ``network.biases`` (as :meth:`Network.gradients` does). With ``layer=l`` it returns
        the pair ``(dW, db)`` for that layer only: :math:`\partial C/\partial W^{(l)}` and
        :math:`\partial C/\partial b^{(l)}`.
    network, x, y
        Where to check. By default the book's network ``Network((1, 6, 7, 2), seed)`` on 16
        points of :func:`heart_curve`.
    layer
        Check one layer, numbered from 1 as in the maths (``weights[layer - 1]``), or all.
    rtol
        A gradient passes when its largest difference from the numerical one is at most
        ``rtol`` times the numerical gradient's largest entry.

    Each entry of the numerical gradient is :math:`\bigl(C(\theta + h) - C(\theta - h)\bigr)/2h`
    with :math:`h = \varepsilon^{1/3}\max(1, |\theta|)` (:func:`mlcalc.multivariate.gradient`), about
    :math:`10^{-10}` relative accuracy here. A disagreement is reported only if it survives a
    second opinion from other steps, so a correct gradient is not failed by an unlucky step.
    Prints a message that says, for each gradient, where and by how much yours disagrees
    (unless ``verbose=False``), and returns a :class:`BackpropCheck`.

    Introduced on :doc:`/book/part3-neural-networks/03-backpropagation`.
    """
    require_callable(jacobians, "jacobians")
    tol = as_positive_scalar(rtol, "rtol")
    if network is None:
        net = Network((1, 6, 7, 2), seed=as_seed(seed))
    elif isinstance(network, Network):
        net = network.copy()
    else:
        raise TypeError(f"network must be a mlcalc.neural.Network, not {type(network).__name__}")
    if net.n_parameters > MAX_CHECKED_PARAMETERS:
        raise ValueError(
            f"network has {net.n_parameters:,} parameters; check_backprop differentiates the cost numerically, "
            f"two evaluations per parameter, and is meant for at most {MAX_CHECKED_PARAMETERS:,}"
        )
    if (x is None) != (y is None):
        raise ValueError("give both x and y, or neither (then the heart curve is used)")
    if x is None:
        if net.sizes[0] != 1 or net.sizes[-1] != 2:
            raise ValueError(f"give x and y for a network with sizes {net.sizes} (the default data is the heart curve)")
        xa, ya = heart_curve(16)
    else:
        xa, ya = net._data(x, y)
    net._parameters()
    layers = range(1, net.n_layers + 1)
    if layer is not None:
        lay = as_int(layer, "layer", minimum=1)
        if lay > net.n_layers:
            raise ValueError(f"layer must be between 1 and {net.n_layers} for a network with sizes {net.sizes}, got {lay}")
        layers = range(lay, lay + 1)

    returned = jacobians(net.copy(), xa.copy(), ya.copy())
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        want = "(dW, db) for that layer" if layer is not None else "(dW, db), two lists with one array per layer"
        raise TypeError(f"jacobians must return a pair {want}; got {type(returned).__name__}")
    if layer is None:
        dWs, dbs = returned
        for name, value in (("dW", dWs), ("db", dbs)):
            if not isinstance(value, (list, tuple)) or len(value) != net.n_layers:
                raise TypeError(
                    f"jacobians must return {name} as a list of {net.n_layers} arrays (one per layer); "
                    f"to check one layer pass layer=..."
                )
        yours = {(lay, "W"): dWs[lay - 1] for lay in layers} | {(lay, "b"): dbs[lay - 1] for lay in layers}
    else:
        yours = {(layers[0], "W"): returned[0], (layers[0], "b"): returned[1]}

    checks = []
    for lay in layers:
        for part, store in (("W", net.weights), ("b", net.biases)):
            mine = as_finite_array(
                yours[(lay, part)], f"the d{part} for layer {lay} returned by jacobians", allow_empty=True
            )
            numerical = _numerical_jacobian(net, xa, ya, store[lay - 1])
            if mine.shape != numerical.shape and mine.size == numerical.size and numerical.shape[1] == 1 and mine.ndim == 1:
                mine = mine.reshape(numerical.shape)  # a bias Jacobian given as a flat vector is fine
            if mine.shape != numerical.shape:
                inf = float("inf")
                checks.append(LayerCheck(lay, part, numerical.shape, mine.shape, inf, inf, (), inf, inf, False))
                continue
            size = max(float(np.max(np.abs(numerical))), 1e-12)
            if float(np.max(np.abs(mine - numerical))) > tol * size:  # confirm before reporting
                second = _second_opinion(net, xa, ya, store[lay - 1], mine, tol * size)
                if second is not None:  # a trusted numerical Jacobian: it decides
                    numerical = second
            err = np.abs(mine - numerical)
            worst = np.unravel_index(int(np.argmax(err)), err.shape)
            rel = float(err[worst]) / size
            checks.append(
                LayerCheck(
                    layer=lay,
                    part=part,
                    expected_shape=numerical.shape,
                    yours_shape=mine.shape,
                    error=float(err[worst]),
                    relative_error=rel,
                    worst_index=tuple(int(i) for i in worst),
                    yours_value=float(mine[worst]),
                    numerical_value=float(numerical[worst]),
                    passed=rel <= tol,
                )
            )
    fname = getattr(jacobians, "__name__", "jacobians")
    result = BackpropCheck(
        name="your function" if fname == "<lambda>" else fname,
        checks=tuple(checks),
        rtol=tol,
        passed=all(c.passed for c in checks),
    )
    if verbose:
        print(result)
    return result
