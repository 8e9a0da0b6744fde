r"""Forward mode: :class:`Dual`, a dual number :math:`a + b\epsilon` with :math:`\epsilon^2 = 0`.

Because :math:`\epsilon^2 = 0`, :math:`g(a + b\epsilon) = g(a) + g'(a)\,b\,\epsilon` for every
smooth :math:`g`: the :math:`\epsilon` part of each operation is the chain rule applied to
the tangent :math:`b`. The input checks live in :mod:`._scalars`.
"""

from __future__ import annotations

import math
from typing import Any

from . import _scalars as check

__all__ = ["Dual"]


class Dual:
    r"""A dual number :math:`a + b\,\epsilon` with :math:`\epsilon^2 = 0`, for forward-mode differentiation.

    ``value`` is :math:`a` and ``tangent`` is :math:`b`. Seeding ``Dual(x, 1.0)`` and running
    a program on it returns the value and the derivative with respect to ``x`` together, in
    one pass. With several inputs, seed one of them with tangent 1 and the rest with 0: one
    pass per input. Supports the same operations as :class:`~mlcalc.autodiff.Value`. ``op``
    only names the operation in an error message.

    Introduced on :doc:`/book/part3-neural-networks/06-automatic-differentiation`.
    """

    __slots__ = ("value", "tangent")
    __array_ufunc__ = None  # numpy scalars on the left defer to Dual

    def __init__(self, value: Any, tangent: Any = 0.0, op: str = "") -> None:
        self.value = check.result(value, op, "value")
        self.tangent = check.result(tangent, op, "tangent")

    def __repr__(self) -> str:
        return f"Dual({self.value:.6g}, {self.tangent:.6g})"

    @staticmethod
    def _lift(other: Any, op: str) -> Dual:
        """A plain number becomes a Dual with tangent 0; a Dual passes through."""
        if isinstance(other, Dual):
            return other
        return Dual(check.other_operand(other, op, "Dual"))

    # -- the operations: value, and tangent by the chain rule ------------

    def __add__(self, other: Any) -> Dual:
        o = self._lift(other, "+")
        return Dual(self.value + o.value, self.tangent + o.tangent, "+")

    def __sub__(self, other: Any) -> Dual:
        o = self._lift(other, "-")
        return Dual(self.value - o.value, self.tangent - o.tangent, "-")

    def __mul__(self, other: Any) -> Dual:
        o = self._lift(other, "*")
        return Dual(self.value * o.value,
                    self.tangent * o.value + self.value * o.tangent, "*")

    def __truediv__(self, other: Any) -> Dual:
        o = self._lift(other, "/")
        q = self.value / check.divisor(o.value, self.value, "Dual")
        return Dual(q, (self.tangent - q * o.tangent) / o.value, "/")

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.tangent)

    def __pow__(self, p: Any) -> Dual:
        value, slope = check.power(self.value, p, "Dual")
        return Dual(value, slope * self.tangent, "**")

    def exp(self) -> Dual:
        r""":math:`e^u`, tangent :math:`e^u\dot u`."""
        e = check.exp(self.value)
        return Dual(e, e * self.tangent, "exp")

    def log(self) -> Dual:
        r""":math:`\ln u` for :math:`u > 0`, tangent :math:`\dot u/u`."""
        u = check.log_argument(self.value, "Dual")
        return Dual(math.log(u), self.tangent / u, "log")

    def sigmoid(self) -> Dual:
        r""":math:`\sigma(u)`, tangent :math:`\sigma(u)(1 - \sigma(u))\dot u`."""
        s = check.sigmoid(self.value)
        return Dual(s, s * (1 - s) * self.tangent, "sigmoid")

    def tanh(self) -> Dual:
        r""":math:`\tanh u`, tangent :math:`(1 - \tanh^2 u)\dot u`."""
        t = math.tanh(self.value)
        return Dual(t, (1 - t * t) * self.tangent, "tanh")

    def __radd__(self, other: Any) -> Dual:
        return self._lift(other, "+") + self

    def __rsub__(self, other: Any) -> Dual:
        return self._lift(other, "-") - self

    def __rmul__(self, other: Any) -> Dual:
        return self._lift(other, "*") * self

    def __rtruediv__(self, other: Any) -> Dual:
        return self._lift(other, "/") / self

    def __rpow__(self, other: Any) -> Dual:
        raise TypeError("a Dual may be raised to a number (x ** 2) but not used "
                        "as an exponent; write (y * log(b)).exp() for b ** y")
