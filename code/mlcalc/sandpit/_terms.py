r"""The building blocks of a Sandpit landscape: smooth terms with exact derivatives.

Each term is a function of :math:`(x, y)` with its value, gradient and Hessian entries,
vectorised over arrays; a landscape (:mod:`mlcalc.sandpit.landscapes`) is a scaled sum of them.
Private: pages use :func:`~mlcalc.sandpit.scenario` and :func:`~mlcalc.sandpit.random_pit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

_A = NDArray[np.float64]


class _Term(Protocol):
    """A smooth piece of a landscape: its value, gradient and Hessian entries, elementwise."""

    def value(self, x: _A, y: _A) -> _A: ...

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]: ...

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]: ...

    def at(self, x: float, y: float) -> tuple[float, float, float, float, float, float]:
        """Value, gradient and Hessian entries at one point, in plain floats (fast for probes)."""
        ...


@dataclass(frozen=True)
class _Quadratic:
    r""":math:`\tfrac12 (p-c)^\top A (p-c)` with :math:`A = [[a, b], [b, d]]`."""

    cx: float
    cy: float
    a: float
    b: float
    d: float

    def value(self, x: _A, y: _A) -> _A:
        u, v = x - self.cx, y - self.cy
        return 0.5 * (self.a * u * u + 2 * self.b * u * v + self.d * v * v)

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]:
        u, v = x - self.cx, y - self.cy
        return self.a * u + self.b * v, self.b * u + self.d * v

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        one = np.ones_like(x)
        return self.a * one, self.b * one, self.d * one

    def at(self, x: float, y: float) -> tuple[float, float, float, float, float, float]:
        u, v = x - self.cx, y - self.cy
        gu, gv = self.a * u + self.b * v, self.b * u + self.d * v
        return 0.5 * (u * gu + v * gv), gu, gv, self.a, self.b, self.d


@dataclass(frozen=True)
class _Gaussian:
    r""":math:`h \exp\bigl(-\tfrac12 (p-c)^\top P (p-c)\bigr)` with precision :math:`P = [[a, b], [b, d]]`."""

    cx: float
    cy: float
    a: float
    b: float
    d: float
    amplitude: float

    @classmethod
    def round(cls, cx: float, cy: float, sigma: float, amplitude: float) -> _Gaussian:
        return cls(cx, cy, 1 / sigma**2, 0.0, 1 / sigma**2, amplitude)

    def _parts(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        u, v = x - self.cx, y - self.cy
        pu = self.a * u + self.b * v
        pv = self.b * u + self.d * v
        g = self.amplitude * np.exp(-0.5 * (u * pu + v * pv))
        return g, pu, pv

    def value(self, x: _A, y: _A) -> _A:
        return self._parts(x, y)[0]

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]:
        g, pu, pv = self._parts(x, y)
        return -g * pu, -g * pv

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        g, pu, pv = self._parts(x, y)
        return g * (pu * pu - self.a), g * (pu * pv - self.b), g * (pv * pv - self.d)

    def at(self, x: float, y: float) -> tuple[float, float, float, float, float, float]:
        u, v = x - self.cx, y - self.cy
        pu, pv = self.a * u + self.b * v, self.b * u + self.d * v
        g = self.amplitude * math.exp(-0.5 * (u * pu + v * pv))
        return g, -g * pu, -g * pv, g * (pu * pu - self.a), g * (pu * pv - self.b), g * (pv * pv - self.d)


@dataclass(frozen=True)
class _Ripples:
    r""":math:`h \sin(k_x x + \phi_x)\sin(k_y y + \phi_y)`: an egg-box of bumps and hollows."""

    amplitude: float
    kx: float
    ky: float
    px: float
    py: float

    def value(self, x: _A, y: _A) -> _A:
        return self.amplitude * np.sin(self.kx * x + self.px) * np.sin(self.ky * y + self.py)

    def gradient(self, x: _A, y: _A) -> tuple[_A, _A]:
        sx, cx = np.sin(self.kx * x + self.px), np.cos(self.kx * x + self.px)
        sy, cy = np.sin(self.ky * y + self.py), np.cos(self.ky * y + self.py)
        return self.amplitude * self.kx * cx * sy, self.amplitude * self.ky * sx * cy

    def hessian(self, x: _A, y: _A) -> tuple[_A, _A, _A]:
        sx, cx = np.sin(self.kx * x + self.px), np.cos(self.kx * x + self.px)
        sy, cy = np.sin(self.ky * y + self.py), np.cos(self.ky * y + self.py)
        h = self.amplitude
        return -h * self.kx**2 * sx * sy, h * self.kx * self.ky * cx * cy, -h * self.ky**2 * sx * sy

    def at(self, x: float, y: float) -> tuple[float, float, float, float, float, float]:
        sx, cx = math.sin(self.kx * x + self.px), math.cos(self.kx * x + self.px)
        sy, cy = math.sin(self.ky * y + self.py), math.cos(self.ky * y + self.py)
        h = self.amplitude
        return (
            h * sx * sy,
            h * self.kx * cx * sy,
            h * self.ky * sx * cy,
            -h * self.kx**2 * sx * sy,
            h * self.kx * self.ky * cx * cy,
            -h * self.ky**2 * sx * sy,
        )
