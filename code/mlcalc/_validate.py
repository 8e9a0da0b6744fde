"""Input checks shared by every module of :mod:`mlcalc`.

Every public function checks its arguments with these helpers, so that bad input fails at
once with a message that names the argument, instead of as a silent NaN or a numpy
broadcasting error from deep inside. They are private: pages never call them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "as_finite_array",
    "as_finite_scalar",
    "as_positive_scalar",
    "as_int",
    "as_seed",
    "require_callable",
    "require_choice",
    "broadcast_pair",
    "call_checked",
]


def _describe(value: Any) -> str:
    return type(value).__name__


def as_finite_array(
    value: Any,
    name: str,
    *,
    ndim: int | None = None,
    shape: tuple[int | None, ...] | None = None,
    allow_empty: bool = False,
    allow_complex: bool = False,
) -> NDArray[np.float64]:
    """Return ``value`` as a float64 (or complex128) array, or raise naming ``name``.

    Raises ``TypeError`` for non-numeric input (strings, objects, booleans, None) and
    ``ValueError`` for NaN/inf entries, an empty array (unless ``allow_empty``), a wrong
    number of dimensions or a wrong shape. In ``shape`` a ``None`` entry matches any length.
    """
    if value is None or isinstance(value, (str, bytes)) or callable(value):
        raise TypeError(f"{name} must be a number or an array of numbers, not {_describe(value)}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype.kind == "O":
        _reject_huge_integers(arr, name)
    if isinstance(value, (list, tuple)) and arr.dtype.kind in "iuf" and 0 < arr.size <= 100_000:
        if any(isinstance(item, (bool, np.bool_)) for item in np.array(value, dtype=object).ravel()):
            raise TypeError(f"{name} must contain numbers, not True/False")
    if arr.dtype == bool or arr.dtype.kind not in "iufc":
        raise TypeError(
            f"{name} must contain real numbers, got an array of dtype {arr.dtype}"
            if arr.dtype.kind != "O"
            else f"{name} must contain numbers only (it could not be read as a numeric array)"
        )
    if arr.dtype.kind == "c" and not allow_complex:
        raise TypeError(f"{name} must be real, got complex values")
    arr = arr.astype(np.complex128 if arr.dtype.kind == "c" else np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None:
        ok = arr.ndim == len(shape) and all(
            want is None or want == got for want, got in zip(shape, arr.shape)
        )
        if not ok:
            want_txt = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want_txt}, got {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite, but {bad} entr{'y is' if bad == 1 else 'ies are'} NaN or inf")
    return arr


def _reject_huge_integers(arr: NDArray[Any], name: str) -> None:
    """An object array holding Python ints too large for a float (``10**400``): say so."""
    for item in arr.flat:
        if isinstance(item, numbers.Integral) and not isinstance(item, bool):
            try:
                float(item)
            except OverflowError:
                raise ValueError(
                    f"{name} must be finite, but holds an integer too large for a float "
                    f"({len(str(abs(int(item))))} digits; the largest float is about 1.8e308)"
                ) from None


def as_finite_scalar(value: Any, name: str) -> float:
    """Return ``value`` as a finite Python float, or raise naming ``name``.

    Booleans, strings and arrays of them are refused (``np.array(True)`` is not the number 1
    here); an integer too large for a float (``10**400``) raises ``ValueError``, not ``OverflowError``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number, not {_describe(value)}")
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise ValueError(f"{name} must be a single number, got shape {value.shape}")
        if value.dtype == bool or value.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a real number, got a 0-d array of dtype {value.dtype}")
    try:
        out = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be finite, but {name} = {value} is too large for a float") from None
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


def as_positive_scalar(value: Any, name: str) -> float:
    """Return ``value`` as a finite float > 0, or raise naming ``name``."""
    out = as_finite_scalar(value, name)
    if out <= 0:
        raise ValueError(f"{name} must be positive, got {out}")
    return out


def as_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[minimum, maximum]``, or raise naming ``name``.

    ``maximum`` guards sizes: a request for ``10**10`` points fails at once with a message,
    not after exhausting memory.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, not {_describe(value)}")
    out = int(value)
    if minimum is not None and out < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {out}")
    if maximum is not None and out > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, got {out:,}")
    return out


def as_seed(value: Any, name: str = "seed") -> int:
    """A seed for ``np.random.default_rng``: a non-negative integer, or raise naming ``name``."""
    return as_int(value, name, minimum=0)


def require_callable(value: Any, name: str) -> Callable[..., Any]:
    """Return ``value`` if it is callable, else raise ``TypeError`` naming ``name``."""
    if not callable(value):
        raise TypeError(f"{name} must be a function (callable), not {_describe(value)}")
    return value


def require_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError`` naming ``name``."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def _format_point(x: Any) -> str:
    arr = np.asarray(x)
    if arr.ndim == 0:
        return f"{float(arr.real):.6g}"
    return np.array2string(arr, precision=6, separator=", ", threshold=8)


def call_checked(
    f: Callable[..., Any],
    x: Any,
    name: str,
    *,
    shape: tuple[int | None, ...] | None = None,
    arg: str = "x",
) -> NDArray[np.float64]:
    """Call ``f(x)`` and return the result as a finite float64 array, or raise naming ``name``.

    For functions that readers write and pass in (a function of a vector, its Jacobian, a
    path): the error says at which ``x`` the function misbehaved. ``shape`` is the shape the
    result must have (``None`` entries match any length; ``shape=None`` accepts any shape).
    A ``TypeError``/``IndexError`` raised inside ``f`` is re-raised as a ``TypeError`` that
    reminds how ``f`` is called (one argument, ``arg``).
    """
    try:
        with np.errstate(all="ignore"):
            raw = f(x)
    except (TypeError, IndexError) as exc:
        raise TypeError(
            f"calling {name}({arg}) with {arg} = {_format_point(x)} (shape {np.shape(x)}) raised "
            f"{type(exc).__name__}: {exc}. {name} is called with one argument, {arg}"
            + (f", a vector of length {np.size(x)}" if np.ndim(x) == 1 else "")
        ) from exc
    try:
        out = np.asarray(raw)
        fine = (
            out.dtype.kind in "iuf"
            and (shape is None or (out.ndim == len(shape) and all(
                want is None or want == got for want, got in zip(shape, out.shape))))
            and out.size > 0
            and bool(np.all(np.isfinite(out)))
        )
    except (ValueError, TypeError):
        fine = False
    if fine:
        return out.astype(np.float64, copy=False)
    return as_finite_array(raw, f"{name}({arg}) at {arg} = {_format_point(x)}", shape=shape)


def broadcast_pair(
    a: NDArray[Any], a_name: str, b: NDArray[Any], b_name: str
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Broadcast two arrays against each other (as writable copies), or raise naming both."""
    try:
        a2, b2 = np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(
            f"{a_name} of shape {np.shape(a)} and {b_name} of shape {np.shape(b)} do not broadcast"
        ) from None
    return np.array(a2), np.array(b2)
