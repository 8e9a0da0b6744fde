r"""Part 3 — automatic differentiation: a reverse-mode scalar ``Value`` and a forward-mode ``Dual``.

A program built from ``+ - * /``, powers, ``exp``, ``log``, the sigmoid and ``tanh`` is a chain
of elementary operations, each with a derivative we know. Recording every operation as a node of a
*computation graph* and applying the chain rule node by node gives the derivatives of the whole
program, exact up to rounding, with no step :math:`h` and no symbolic algebra.

*Reverse mode* (:class:`Value`) runs the program once forwards, recording each node's local
derivatives :math:`\partial v/\partial u` with respect to its inputs, then walks the graph
backwards from the output :math:`C`, accumulating the *adjoints*
:math:`\bar u = \partial C/\partial u = \sum_{v \text{ uses } u} \bar v\,\partial v/\partial u`.
One backward pass gives the derivative of one output with respect to every input.

*Forward mode* (:class:`Dual`) carries a *tangent* :math:`\dot v = \partial v/\partial x` along
with each value: one pass gives the derivatives of every output with respect to one input.

Backpropagation is reverse mode applied to a network: :func:`network_gradients` builds the cost
of a :class:`mlcalc.neural.Network` out of :class:`Value` scalars and reproduces
:meth:`~mlcalc.neural.Network.gradients`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import as_finite_array

__all__ = ["Value", "Dual", "backward", "network_cost", "network_gradients"]

Array = NDArray[np.float64]


def _number(value: Any, name: str) -> float:
    """``value`` as a finite float, or a TypeError/ValueError that names ``name``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number or a Value, not {type(value).__name__}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def _finite(result: float, what: str) -> float:
    """Refuse a non-finite result with a message saying which operation produced it."""
    if not math.isfinite(result):
        raise ValueError(f"{what} is not a finite float64 number (it overflows); rescale the inputs")
    return result


def _exp(x: float, who: str) -> float:
    try:
        return _finite(math.exp(x), f"{who}: exp({x:g})")
    except OverflowError:
        raise ValueError(f"{who}: exp({x:g}) overflows float64 (the largest is exp(709.78))") from None


def _sigmoid(x: float) -> float:
    # the two algebraically equal forms, each used where its exponential cannot overflow
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# ----------------------------------------------------------------------------------------------
# Reverse mode
# ----------------------------------------------------------------------------------------------


class Value:
    r"""A real number that remembers how it was computed, for reverse-mode differentiation.

    ``Value(3.0)`` is a leaf of a computation graph (an input or a parameter). Arithmetic with
    Values (``+ - * /``, ``**`` by a number, and the methods :meth:`exp`, :meth:`log`,
    :meth:`sigmoid`, :meth:`tanh`) returns a new Value that records its *parents*, the Values it
    was computed from, and the *local derivatives* :math:`\partial v/\partial u` with respect to
    each of them. Plain numbers mix in freely: ``2 * x + 1`` is a Value.

    :meth:`backward` on the output :math:`C` fills ``.grad`` of every Value in its graph with
    the adjoint :math:`\bar u = \partial C/\partial u`, visiting the nodes in reverse
    topological order (each after every node that uses it) and adding
    :math:`\bar v\,\partial v/\partial u` to :math:`\bar u` along every edge: a Value used twice
    collects both contributions, the sum over paths of the multivariate chain rule.

    Attributes
    ----------
    data
        The number (a float).
    grad
        :math:`\partial C/\partial(\text{this Value})` after ``C.backward()``; 0 before.
    parents, local
        The Values this one was computed from, and :math:`\partial(\text{this})/\partial(\text{parent})`
        for each; empty for a leaf.
    op
        The name of the operation that made it (``"+"``, ``"exp"``, …; ``""`` for a leaf).

    Every result is checked: a non-finite input, a non-number operand, the log of a
    non-positive value, division by zero or an overflow raise ``TypeError``/``ValueError``
    naming the operation.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """

    __slots__ = ("data", "grad", "parents", "local", "op")
    __array_ufunc__ = None  # numpy scalars on the left defer to Value's own operators

    def __init__(self, data: Any, *, _parents: tuple[Value, ...] = (), _local: tuple[float, ...] = (), op: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError("data must be a number; Value(Value(...)) would cut the graph (use the Value itself)")
        if isinstance(data, np.ndarray) and data.ndim > 0:
            raise ValueError(f"data must be a single number, got an array of shape {data.shape}; a Value is a scalar")
        self.data: float = _number(data, "data")
        self.grad: float = 0.0
        self.parents: tuple[Value, ...] = _parents
        self.local: tuple[float, ...] = _local
        self.op: str = op

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{', op=' + repr(self.op) if self.op else ''})"

    # -- the operations -----------------------------------------------------------------------

    @staticmethod
    def _lift(other: Any, op: str) -> Value:
        if isinstance(other, Value):
            return other
        return Value(_number(other, f"the other operand of {op}"))

    def __add__(self, other: Any) -> Value:
        o = self._lift(other, "+")
        return Value(_finite(self.data + o.data, "a sum"), _parents=(self, o), _local=(1.0, 1.0), op="+")

    def __mul__(self, other: Any) -> Value:
        o = self._lift(other, "*")
        return Value(_finite(self.data * o.data, "a product"), _parents=(self, o), _local=(o.data, self.data), op="*")

    def __neg__(self) -> Value:
        return Value(-self.data, _parents=(self,), _local=(-1.0,), op="neg")

    def __sub__(self, other: Any) -> Value:
        o = self._lift(other, "-")
        return Value(_finite(self.data - o.data, "a difference"), _parents=(self, o), _local=(1.0, -1.0), op="-")

    def __truediv__(self, other: Any) -> Value:
        o = self._lift(other, "/")
        if o.data == 0.0:
            raise ValueError(f"division by a Value equal to 0 ({self.data:g} / 0)")
        q = _finite(self.data / o.data, "a quotient")
        # d(u/v)/du = 1/v, d(u/v)/dv = -u/v² = -q/v
        return Value(q, _parents=(self, o), _local=(1.0 / o.data, -q / o.data), op="/")

    def __radd__(self, other: Any) -> Value:
        return self._lift(other, "+") + self

    def __rsub__(self, other: Any) -> Value:
        return self._lift(other, "-") - self

    def __rmul__(self, other: Any) -> Value:
        return self._lift(other, "*") * self

    def __rtruediv__(self, other: Any) -> Value:
        return self._lift(other, "/") / self

    def __pow__(self, p: Any) -> Value:
        if isinstance(p, Value):
            raise TypeError("the exponent of ** must be a plain number; for u**v with a Value v write (v * u.log()).exp()")
        q = _number(p, "the exponent of **")
        x = self.data
        if x == 0.0 and q < 1.0 and q != 0.0:
            raise ValueError(f"0 ** {q:g}: the power (or its derivative) is infinite at 0")
        if x < 0.0 and not q.is_integer():
            raise ValueError(f"({x:g}) ** {q:g}: a negative number has no real non-integer power")
        try:
            value = x**q
            slope = q * x ** (q - 1.0) if q != 0.0 else 0.0
        except OverflowError:
            raise ValueError(f"({x:g}) ** {q:g} overflows float64") from None
        return Value(_finite(value, f"({x:g}) ** {q:g}"), _parents=(self,), _local=(_finite(slope, "the slope of **"),), op=f"**{q:g}")

    def __rpow__(self, other: Any) -> Value:
        raise TypeError("a Value may be raised to a number (x ** 2) but not used as an exponent; write (y * log(b)).exp() for b ** y")

    def exp(self) -> Value:
        """:math:`e^u`, whose derivative is itself."""
        e = _exp(self.data, "Value.exp")
        return Value(e, _parents=(self,), _local=(e,), op="exp")

    def log(self) -> Value:
        r""":math:`\ln u` for :math:`u > 0`, with derivative :math:`1/u`."""
        if self.data <= 0.0:
            raise ValueError(f"Value.log needs a positive value, got {self.data:g}")
        return Value(math.log(self.data), _parents=(self,), _local=(1.0 / self.data,), op="log")

    def sigmoid(self) -> Value:
        r""":math:`\sigma(u) = 1/(1 + e^{-u})`, with derivative :math:`\sigma(u)(1 - \sigma(u))`."""
        s = _sigmoid(self.data)
        return Value(s, _parents=(self,), _local=(s * (1.0 - s),), op="sigmoid")

    def tanh(self) -> Value:
        r""":math:`\tanh u`, with derivative :math:`1 - \tanh^2 u`."""
        t = math.tanh(self.data)
        return Value(t, _parents=(self,), _local=(1.0 - t * t,), op="tanh")

    # -- the backward pass --------------------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every Value this one depends on (itself included), each after all of its parents.

        Built by an explicit depth-first search with a stack, not recursion, so a chain of
        a million operations is fine.

        Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
        """
        order: list[Value] = []
        seen: set[int] = {id(self)}
        stack: list[tuple[Value, int]] = [(self, 0)]
        while stack:
            node, i = stack[-1]
            if i < len(node.parents):
                stack[-1] = (node, i + 1)
                parent = node.parents[i]
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, 0))
            else:
                stack.pop()
                order.append(node)  # all its parents are already in the list
        return order

    def backward(self) -> None:
        r"""Fill ``.grad`` of every Value in this one's graph with :math:`\partial(\text{this})/\partial u`.

        Sets every ``.grad`` in the graph to 0, this Value's to 1, and then, in reverse
        topological order, adds ``node.grad * local`` to each parent's ``.grad``. (So calling it
        twice gives the same gradients; PyTorch instead adds to the old ones.)

        Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
        """
        self._propagate(self.topological_order())

    def _propagate(self, order: list[Value]) -> None:
        """The backward sweep along ``order``, this Value's :meth:`topological_order`."""
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, slope in zip(node.parents, node.local):
                parent.grad += node.grad * slope


def backward(output: Any) -> None:
    """Run :meth:`Value.backward` on ``output``, which must be a single :class:`Value`.

    A list or array of Values (a vector output) is refused with a ``TypeError``: a gradient
    belongs to one scalar, so add up (or pick) the outputs first.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """
    if isinstance(output, Value):
        output.backward()
        return
    if isinstance(output, (list, tuple, np.ndarray)):
        raise TypeError(
            f"backward needs a scalar Value, but output is a {type(output).__name__} of "
            f"{np.size(np.asarray(output, dtype=object))} entries; sum them (or pick one) first"
        )
    raise TypeError(f"backward needs a Value, not {type(output).__name__}")


# ----------------------------------------------------------------------------------------------
# Forward mode
# ----------------------------------------------------------------------------------------------


class Dual:
    r"""A dual number :math:`a + b\,\epsilon` with :math:`\epsilon^2 = 0`, for forward-mode differentiation.

    ``value`` is :math:`a` and ``tangent`` is :math:`b`. Because :math:`\epsilon^2 = 0`,
    :math:`f(a + b\epsilon) = f(a) + f'(a)\,b\,\epsilon` for every smooth :math:`f`: seeding
    ``Dual(x, 1.0)`` and running a program on it returns the value and the derivative with
    respect to ``x`` together, in one pass. With several inputs, seed one of them with tangent 1
    and the rest with 0: one pass per input. Supports the same operations as :class:`Value`.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """

    __slots__ = ("value", "tangent")
    __array_ufunc__ = None

    def __init__(self, value: Any, tangent: Any = 0.0) -> None:
        self.value: float = _number(value, "value")
        self.tangent: float = _number(tangent, "tangent")

    def __repr__(self) -> str:
        return f"Dual({self.value:.6g}, {self.tangent:.6g})"

    @staticmethod
    def _lift(other: Any, op: str) -> Dual:
        return other if isinstance(other, Dual) else Dual(_number(other, f"the other operand of {op}"))

    @staticmethod
    def _make(value: float, tangent: float, what: str) -> Dual:
        return Dual(_finite(value, what), _finite(tangent, f"the tangent of {what}"))

    def __add__(self, other: Any) -> Dual:
        o = self._lift(other, "+")
        return self._make(self.value + o.value, self.tangent + o.tangent, "a sum")

    def __sub__(self, other: Any) -> Dual:
        o = self._lift(other, "-")
        return self._make(self.value - o.value, self.tangent - o.tangent, "a difference")

    def __mul__(self, other: Any) -> Dual:
        o = self._lift(other, "*")
        return self._make(self.value * o.value, self.tangent * o.value + self.value * o.tangent, "a product")

    def __truediv__(self, other: Any) -> Dual:
        o = self._lift(other, "/")
        if o.value == 0.0:
            raise ValueError(f"division by a Dual whose value is 0 ({self.value:g} / 0)")
        q = self.value / o.value
        return self._make(q, (self.tangent - q * o.tangent) / o.value, "a quotient")

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.tangent)

    def __radd__(self, other: Any) -> Dual:
        return self._lift(other, "+") + self

    def __rsub__(self, other: Any) -> Dual:
        return self._lift(other, "-") - self

    def __rmul__(self, other: Any) -> Dual:
        return self._lift(other, "*") * self

    def __rtruediv__(self, other: Any) -> Dual:
        return self._lift(other, "/") / self

    def __pow__(self, p: Any) -> Dual:
        if isinstance(p, Dual):
            raise TypeError("the exponent of ** must be a plain number, not a Dual")
        q = _number(p, "the exponent of **")
        x = self.value
        if x == 0.0 and q < 1.0 and q != 0.0:
            raise ValueError(f"0 ** {q:g}: the power (or its derivative) is infinite at 0")
        if x < 0.0 and not q.is_integer():
            raise ValueError(f"({x:g}) ** {q:g}: a negative number has no real non-integer power")
        try:
            value, slope = x**q, (q * x ** (q - 1.0) if q != 0.0 else 0.0)
        except OverflowError:
            raise ValueError(f"({x:g}) ** {q:g} overflows float64") from None
        return self._make(value, slope * self.tangent, f"({x:g}) ** {q:g}")

    def exp(self) -> Dual:
        """:math:`e^u`, tangent :math:`e^u\\dot u`."""
        e = _exp(self.value, "Dual.exp")
        return self._make(e, e * self.tangent, "exp")

    def log(self) -> Dual:
        """:math:`\\ln u` for :math:`u > 0`, tangent :math:`\\dot u/u`."""
        if self.value <= 0.0:
            raise ValueError(f"Dual.log needs a positive value, got {self.value:g}")
        return Dual(math.log(self.value), self.tangent / self.value)

    def sigmoid(self) -> Dual:
        """:math:`\\sigma(u)`, tangent :math:`\\sigma(u)(1 - \\sigma(u))\\dot u`."""
        s = _sigmoid(self.value)
        return Dual(s, s * (1.0 - s) * self.tangent)

    def tanh(self) -> Dual:
        """:math:`\\tanh u`, tangent :math:`(1 - \\tanh^2 u)\\dot u`."""
        t = math.tanh(self.value)
        return Dual(t, (1.0 - t * t) * self.tangent)


# ----------------------------------------------------------------------------------------------
# The book's network, one scalar at a time
# ----------------------------------------------------------------------------------------------


def _network_arrays(network: Any, x: Any, y: Any) -> tuple[list[Array], list[Array], Array, Array]:
    from .neural import Network  # the network of Part 3; imported here to keep the engine standalone

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
    order = cost.topological_order()
    cost._propagate(order)  # what cost.backward() does, keeping the order to count its nodes
    dW = [np.array([[v.grad for v in row] for row in W]) for W in Ws]
    db = [np.array([[v.grad] for v in B]) for B in Bs]
    return dW, db, len(order)
