"""The book's network one scalar at a time: its cost as a :class:`Value` (or :class:`Dual`).

Backpropagation is reverse mode applied to a network: :func:`network_gradients` builds the
cost of a :class:`mlcalc.neural.Network` out of Values and reproduces
:meth:`~mlcalc.neural.Network.gradients`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._validate import as_finite_array
from .dual import Dual
from .value import Value

__all__ = ["network_cost", "network_gradients"]

Array = NDArray[np.float64]


def _network_arrays(network: Any, x: Any, y: Any) -> tuple[list[Array], list[Array], Array, Array]:
    from ..neural import Network  # the network of Part 3; imported here to keep the engine standalone

    if not isinstance(network, Network):
        raise TypeError(f"network must be a mlcalc.neural.Network, not {type(network).__name__}")
    weights = [as_finite_array(w, f"network.weights[{i}]", ndim=2) for i, w in enumerate(network.weights)]
    biases = [as_finite_array(b, f"network.biases[{i}]", ndim=2) for i, b in enumerate(network.biases)]
    xa = as_finite_array(x, "x", shape=(network.sizes[0], None))
    ya = as_finite_array(y, "y", shape=(network.sizes[-1], None))
    if xa.shape[1] != ya.shape[1]:
        raise ValueError(f"x and y must have the same number of columns (points), got {xa.shape[1]} and {ya.shape[1]}")
    if xa.shape[1] > 1000:
        raise ValueError(f"x has {xa.shape[1]} points; the scalar engine is for small batches (at most 1000)")
    for i, (w, b) in enumerate(zip(weights, biases)):
        want = (network.sizes[i + 1], network.sizes[i])
        if w.shape != want or b.shape != (want[0], 1):
            raise ValueError(f"layer {i + 1} of the network has weights {w.shape} and biases {b.shape}, expected {want} and {(want[0], 1)}")
    return weights, biases, xa, ya


def network_cost(weights: Any, biases: Any, x: ArrayLike, y: ArrayLike) -> Any:
    r"""The cost :math:`C = \frac1N\sum_k\lVert a^{(L)}_k - y_k\rVert^2` of a sigmoid network, as one Value.

    ``weights[l][j][k]`` is the Value :math:`W^{(l+1)}_{jk}` and ``biases[l][j]`` the Value
    :math:`b^{(l+1)}_j` (or :class:`Dual` numbers, for forward mode; then the result is a Dual);
    ``x`` and ``y`` are arrays with one column per point, as in :mod:`mlcalc.neural`. The loops are the forward pass of
    :meth:`~mlcalc.neural.Network.forward`, written one number at a time, so that every
    multiplication and addition becomes a node of the graph.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """
    xa = as_finite_array(x, "x", ndim=2)
    ya = as_finite_array(y, "y", ndim=2)
    if xa.shape[1] != ya.shape[1]:
        raise ValueError(f"x and y must have the same number of columns (points), got {xa.shape[1]} and {ya.shape[1]}")
    try:
        first = (weights[0][0][0], biases[0][0])
    except (TypeError, IndexError, KeyError):
        raise TypeError("weights must be a list of layers of rows of Values, biases a list of layers of Values") from None
    if not all(isinstance(v, (Value, Dual)) for v in first):
        raise TypeError(f"weights and biases must be Values (or Duals, for forward mode), not {type(first[0]).__name__}")
    n_points = xa.shape[1]
    total: Value | float = 0.0
    for k in range(n_points):
        a: list[Value | float] = [float(v) for v in xa[:, k]]
        for W, b in zip(weights, biases):
            a = [sum((w_jk * a_k for w_jk, a_k in zip(row, a)), b_j).sigmoid() for row, b_j in zip(W, b)]
        for a_j, y_j in zip(a, ya[:, k]):
            total = total + (a_j - float(y_j)) ** 2
    if not isinstance(total, (Value, Dual)):
        raise TypeError("weights and biases must be Values (or Duals, for forward mode), not plain numbers")
    return total / n_points


def network_gradients(network: Any, x: Any, y: Any) -> tuple[list[Array], list[Array], int]:
    r"""The Jacobians of a network's cost by the scalar reverse-mode engine, and the graph's size.

    Wraps every weight and bias of ``network`` (a :class:`mlcalc.neural.Network`) in a
    :class:`Value`, builds the cost with :func:`network_cost` on the points ``x`` (shape
    ``(sizes[0], N)``) with targets ``y`` (``(sizes[-1], N)``), calls :meth:`Value.backward`
    and reads the ``.grad`` back into arrays shaped like ``network.weights`` and
    ``network.biases``. Returns ``(dW, db, nodes)``, where ``nodes`` is the number of Values
    in the graph. The result equals :meth:`~mlcalc.neural.Network.gradients` up to rounding.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """
    weights, biases, xa, ya = _network_arrays(network, x, y)
    Ws = [[[Value(v) for v in row] for row in w] for w in weights]
    Bs = [[Value(v) for v in b[:, 0]] for b in biases]
    cost = network_cost(Ws, Bs, xa, ya)
    cost.backward()
    dW = [np.array([[v.grad for v in row] for row in W]) for W in Ws]
    db = [np.array([[v.grad] for v in B]) for B in Bs]
    return dW, db, len(cost.topological_order())
