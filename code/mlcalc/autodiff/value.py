r"""Reverse mode: :class:`Value`, a number that remembers how it was computed.

Every operation on Values returns a new Value that records its *parents* (the Values it was
computed from) and its *local* derivatives :math:`\partial v/\partial u`, one per parent.
:meth:`Value.backward` then walks the graph from the output back and applies
:math:`\bar u = \sum_v \bar v\,\partial v/\partial u`. The input checks live in
:mod:`._scalars`, so each operator below is the chain rule and nothing else.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _scalars as check

__all__ = ["Value", "backward"]


class Value:
    r"""A real number that remembers how it was computed, for reverse-mode differentiation.

    ``Value(3.0)`` is a leaf of a computation graph (an input or a parameter). Arithmetic with
    Values (``+ - * /``, ``**`` by a number, and the methods :meth:`exp`, :meth:`log`,
    :meth:`sigmoid`, :meth:`tanh`) returns a new Value that records its ``parents`` and the
    ``local`` derivatives :math:`\partial v/\partial u` with respect to each of them. Plain
    numbers mix in freely: ``2 * x + 1`` is a Value.

    :meth:`backward` on the output :math:`C` fills ``.grad`` of every Value in its graph with
    the adjoint :math:`\bar u = \partial C/\partial u`: a Value used twice collects both
    contributions, the sum over paths of the multivariate chain rule.

    Attributes: ``data`` (the float), ``grad`` (:math:`\partial C/\partial` this Value after
    ``C.backward()``; 0 before), ``parents`` and ``local`` (tuples, empty for a leaf) and
    ``op`` (the operation's name, ``""`` for a leaf).

    Bad input raises ``TypeError``/``ValueError`` naming the operand or operation: a
    non-number, NaN or inf, the log of a non-positive value, division by 0, an overflow.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """

    __slots__ = ("data", "grad", "parents", "local", "op")
    __array_ufunc__ = None  # numpy scalars on the left defer to Value

    def __init__(self, data: Any,
                 parents: tuple[Value, ...] = (),
                 local: tuple[float, ...] = (),
                 op: str = "") -> None:
        # a finite float, or an error that names the problem
        self.data = check.node(data, parents, local, op)
        self.grad = 0.0
        # the Values this one was computed from
        self.parents = tuple(parents)
        # ∂(this)/∂(parent), one per parent
        self.local = tuple(local)
        self.op = op

    def __repr__(self) -> str:
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{op})"

    @staticmethod
    def _lift(other: Any, op: str) -> Value:
        """A plain number becomes a leaf Value; a Value passes through."""
        if isinstance(other, Value):
            return other
        return Value(check.other_operand(other, op, "Value"))

    # -- the operations: a result, its parents, its local derivatives ----

    def __add__(self, other: Any) -> Value:
        o = self._lift(other, "+")
        return Value(self.data + o.data, op="+",
                     parents=(self, o),
                     local=(1.0, 1.0))

    def __sub__(self, other: Any) -> Value:
        o = self._lift(other, "-")
        return Value(self.data - o.data, op="-",
                     parents=(self, o),
                     local=(1.0, -1.0))

    def __mul__(self, other: Any) -> Value:
        o = self._lift(other, "*")
        return Value(self.data * o.data, op="*",
                     parents=(self, o),
                     local=(o.data, self.data))

    def __truediv__(self, other: Any) -> Value:
        o = self._lift(other, "/")
        q = self.data / check.divisor(o.data, self.data, "Value")
        return Value(q, op="/",
                     parents=(self, o),
                     local=(1 / o.data, -q / o.data))

    def __neg__(self) -> Value:
        return Value(-self.data, op="neg",
                     parents=(self,),
                     local=(-1.0,))

    def __pow__(self, p: Any) -> Value:
        value, slope = check.power(self.data, p, "Value")
        return Value(value, op="**",
                     parents=(self,),
                     local=(slope,))

    def exp(self) -> Value:
        """:math:`e^u`, whose derivative is itself."""
        e = check.exp(self.data)
        return Value(e, op="exp",
                     parents=(self,),
                     local=(e,))

    def log(self) -> Value:
        r""":math:`\ln u` for :math:`u > 0`, with derivative :math:`1/u`."""
        u = check.log_argument(self.data, "Value")
        return Value(math.log(u), op="log",
                     parents=(self,),
                     local=(1 / u,))

    def sigmoid(self) -> Value:
        r""":math:`\sigma(u)`, with derivative :math:`\sigma(u)(1 - \sigma(u))`."""
        s = check.sigmoid(self.data)
        return Value(s, op="sigmoid",
                     parents=(self,),
                     local=(s * (1 - s),))

    def tanh(self) -> Value:
        r""":math:`\tanh u`, with derivative :math:`1 - \tanh^2 u`."""
        t = math.tanh(self.data)
        return Value(t, op="tanh",
                     parents=(self,),
                     local=(1 - t * t,))

    # a plain number on the left: 2 * x is x.__rmul__(2)
    def __radd__(self, other: Any) -> Value:
        return self._lift(other, "+") + self

    def __rsub__(self, other: Any) -> Value:
        return self._lift(other, "-") - self

    def __rmul__(self, other: Any) -> Value:
        return self._lift(other, "*") * self

    def __rtruediv__(self, other: Any) -> Value:
        return self._lift(other, "/") / self

    def __rpow__(self, other: Any) -> Value:
        raise TypeError("a Value may be raised to a number (x ** 2) but not "
                        "used as an exponent; write (y * log(b)).exp() for b ** y")

    # -- the backward pass --------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every Value this one depends on (itself included), each after its parents.

        An explicit depth-first search with a stack, not recursion, so a chain of a
        million operations is fine.

        Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
        """
        order = []
        seen = {id(self)}
        # (node, how many of its parents were pushed so far)
        stack = [(self, 0)]
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
                # all of node's parents are in order already
                order.append(node)
        return order

    def backward(self) -> None:
        r"""Fill ``.grad`` of every Value in this one's graph with :math:`\partial(\text{this})/\partial u`.

        Sets every ``.grad`` in the graph to 0 and this Value's to 1, then, in reverse
        topological order, adds ``node.grad * local`` to each parent's ``.grad``. (So calling
        it twice gives the same gradients; PyTorch instead adds to the old ones.)

        Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        # each node after every node computed from it
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
