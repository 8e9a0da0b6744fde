"""Checks and stable formulas on plain floats, shared by :class:`Value` and :class:`Dual`.

Kept out of the two classes so that their operators read as the chain rule and nothing
else. Each check is cheap (a type test and ``math.isfinite``) and raises ``TypeError`` or
``ValueError`` with a message that names the operand or the operation.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

_REAL = (numbers.Real, np.integer, np.floating)


def operand(value: Any, name: str) -> float:
    """``value`` as a finite float, or an error naming ``name``."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        raise ValueError(
            f"{name} must be a single number, got an array of shape {value.shape}"
        )
    if isinstance(value, bool) or not isinstance(value, _REAL):
        raise TypeError(f"{name} must be a real number, not {type(value).__name__}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def other_operand(value: Any, op: str, kind: str) -> float:
    """The plain-number operand of ``op`` next to a ``kind`` (``"Value"``/``"Dual"``)."""
    if isinstance(value, bool) or not isinstance(value, _REAL):
        raise TypeError(
            f"the other operand of {op} must be a real number or a {kind}, "
            f"not {type(value).__name__}"
        )
    return operand(value, f"the other operand of {op}")


def result(value: Any, op: str, what: str = "data") -> float:
    """A new node's number: checked as ``what`` for a leaf, as ``op``'s result otherwise."""
    if not op:
        return operand(value, what)
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(
            f"the {'' if what in ('data', 'value') else what + ' of the '}result of "
            f"{op!r} is not finite (it overflows float64); rescale the inputs"
        )
    return out


def node(data: Any, parents: Any, local: Any, op: str) -> float:
    """A :class:`Value`'s number, after checking the arguments of ``Value(...)``."""
    if type(data).__name__ == "Value":
        raise TypeError("data must be a number; Value(Value(...)) would cut the graph "
                        "(use the Value itself)")
    if len(parents) != len(local):
        raise ValueError(f"parents and local must have the same length, "
                         f"got {len(parents)} and {len(local)}")
    if not all(type(parent).__name__ == "Value" for parent in parents):
        raise TypeError("parents must be Values (the nodes this one was computed from)")
    return result(data, op)


def exp(x: float) -> float:
    """:math:`e^x`, refusing an overflow with a clear message."""
    try:
        return math.exp(x)
    except OverflowError:
        raise ValueError(
            f"exp({x:g}) overflows float64 (the largest is exp(709.78))"
        ) from None


def log_argument(x: float, kind: str) -> float:
    """``x`` if it is positive, the domain of :math:`\\ln`."""
    if x <= 0.0:
        raise ValueError(f"{kind}.log needs a positive value, got {x:g}")
    return x


def divisor(v: float, u: float, kind: str) -> float:
    """``v`` if it is not 0 (``u`` is the numerator, for the message)."""
    if v == 0.0:
        raise ValueError(f"division by a {kind} equal to 0 ({u:g} / 0)")
    return v


def sigmoid(x: float) -> float:
    """:math:`1/(1 + e^{-x})`, in the form whose exponential cannot overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def power(x: float, p: Any, kind: str) -> tuple[float, float]:
    r""":math:`x^p` and its slope :math:`p\,x^{p-1}` for a plain number ``p``.

    Refuses an exponent that is a ``kind`` (use ``exp`` and ``log``), an infinite power or
    slope at 0, a non-integer power of a negative number, and an overflow.
    """
    if not isinstance(p, _REAL) or isinstance(p, bool):
        if type(p).__name__ == kind:
            raise TypeError(
                f"the exponent of ** must be a plain number, not a {kind}; "
                "for u ** v write (v * u.log()).exp()"
            )
    q = operand(p, "the exponent of **")
    if x == 0.0 and q < 1.0 and q != 0.0:
        raise ValueError(f"0 ** {q:g}: the power (or its derivative) is infinite at 0")
    if x < 0.0 and not q.is_integer():
        raise ValueError(f"({x:g}) ** {q:g}: a negative number has no real non-integer power")
    try:
        value = x**q
        slope = q * x ** (q - 1.0) if q != 0.0 else 0.0
    except OverflowError:
        raise ValueError(f"({x:g}) ** {q:g} overflows float64") from None
    if not (math.isfinite(value) and math.isfinite(slope)):
        raise ValueError(f"({x:g}) ** {q:g} overflows float64")
    return value, slope
