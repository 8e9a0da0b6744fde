r"""The Sandpit's scenarios: the fixed pits of the game and the random pits, made once and cached.

Each scenario is a :class:`~mlcalc.sandpit.landscapes.Landscape` built from the smooth terms of
:mod:`mlcalc.sandpit._terms`; :func:`scenario` and :func:`random_pit` are what pages call.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import as_int, require_choice
from ._terms import _Gaussian, _Quadratic, _Ripples, _Term
from .landscapes import SCENARIOS, Landscape

__all__ = ["scenario", "random_pit", "as_landscape"]


_TITLES: dict[str, tuple[str, str]] = {
    "bowl": ("Bowl", "One smooth hollow. Follow the arrows down."),
    "depth-only": ("Depth only", "Another smooth hollow, but a probe shows only the depth: no arrow."),
    "random": ("Random pit", "A smooth random landscape of hollows and mounds."),
    "several-minima": ("Several minima", "Four hollows of different depths: only one is the deepest."),
    "rocks": ("Rocks", "A bowl strewn with rocks: small bumps and hollows everywhere."),
    "narrow-well": ("Narrow well", "A broad shallow basin, and somewhere a narrow, much deeper well."),
}


def _fixed_scenario(key: str) -> Landscape:
    title, text = _TITLES[key]
    if key == "bowl":
        terms: list[_Term] = [_Quadratic(0.38, -0.27, 1.0, 0.35, 1.6)]
        return Landscape(key, title, text, terms, max_depth=1.8)
    if key == "depth-only":
        terms = [_Quadratic(-0.42, 0.31, 1.3, -0.3, 0.9)]
        return Landscape(key, title, text, terms, max_depth=1.5, arrows=False)
    if key == "several-minima":
        terms = [
            _Quadratic(0.0, 0.0, 0.5, 0.0, 0.5),
            _Gaussian.round(-0.55, 0.5, 0.24, -0.75),
            _Gaussian.round(0.5, 0.45, 0.26, -0.6),
            _Gaussian.round(0.42, -0.52, 0.2, -0.95),
            _Gaussian.round(-0.5, -0.45, 0.28, -0.55),
        ]
        return Landscape(key, title, text, terms, max_depth=2.0)
    if key == "rocks":
        terms = [
            _Quadratic(-0.2, 0.25, 1.0, 0.2, 1.2),
            _Ripples(0.06, 12.0, 11.0, 0.4, 1.1),
            _Ripples(0.02, 19.0, 21.0, 2.0, 0.3),
        ]
        return Landscape(key, title, text, terms, max_depth=1.6)
    if key == "narrow-well":
        terms = [
            _Quadratic(0.0, 0.0, 0.3, 0.0, 0.3),
            _Gaussian.round(-0.35, -0.3, 0.45, -1.0),
            _Gaussian.round(0.55, 0.5, 0.07, -1.6),
        ]
        return Landscape(key, title, text, terms, max_depth=2.4)
    raise AssertionError(key)  # pragma: no cover


_CACHE: dict[tuple[str, int | None], Landscape] = {}
_MAX_SEED = 2**63 - 1


def random_pit(seed: int) -> Landscape:
    r"""A random smooth pit: a gentle bowl plus Gaussian hollows and mounds, from ``seed``.

    One main hollow (height :math:`-1`), three to five more hollows or mounds (heights in
    :math:`[-0.7, 0.4]`, widths :math:`\sigma \in [0.15, 0.4]`), centres in
    :math:`[-0.75, 0.75]^2`; the pit's depth is between 1.2 and 2.4 m. The same seed always
    gives the same pit (``np.random.default_rng(seed)``).
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    s = as_int(seed, "seed", minimum=0)
    if s > _MAX_SEED:
        raise ValueError(f"seed must be at most 2**63 - 1, got {s}")
    if ("random", s) in _CACHE:
        return _CACHE[("random", s)]
    rng = np.random.default_rng(s)
    bx, by = rng.uniform(-0.3, 0.3, 2)
    terms: list[_Term] = [_Quadratic(float(bx), float(by), 0.4, 0.0, 0.4)]
    cx, cy = rng.uniform(-0.75, 0.75, 2)
    terms.append(_Gaussian.round(float(cx), float(cy), float(rng.uniform(0.18, 0.35)), -1.0))
    for _ in range(int(rng.integers(3, 6))):
        cx, cy = rng.uniform(-0.75, 0.75, 2)
        terms.append(
            _Gaussian.round(float(cx), float(cy), float(rng.uniform(0.15, 0.4)), float(rng.uniform(-0.7, 0.4)))
        )
    title, text = _TITLES["random"]
    land = Landscape(
        "random", f"{title} {s}", text, terms, max_depth=float(rng.uniform(1.2, 2.4)), seed=s
    )
    _CACHE[("random", s)] = land
    return land


def scenario(name: str, seed: int | None = None) -> Landscape:
    """The landscape of one scenario of :data:`SCENARIOS`.

    ``seed`` chooses the pit for ``"random"`` (default: the first of
    :data:`~mlcalc.sandpit.export.BROWSER_RANDOM_SEEDS`) and must be ``None`` for the others.
    Landscapes are cached: asking twice returns the same object.
    Introduced on :doc:`/book/part2-multivariate/05-sandpit`.
    """
    require_choice(name, "name", SCENARIOS)
    if name == "random":
        return random_pit(_FIRST_RANDOM_SEED if seed is None else seed)
    if seed is not None:
        raise ValueError(f"seed is only used by the 'random' scenario, not by {name!r}")
    if (name, None) not in _CACHE:
        _CACHE[(name, None)] = _fixed_scenario(name)
    return _CACHE[(name, None)]


_FIRST_RANDOM_SEED = 1  # the random pit scenario("random") gives; the first of BROWSER_RANDOM_SEEDS


def as_landscape(value: Any, seed: int | None = None, name: str = "scenario") -> Landscape:
    """A scenario name (with ``seed`` for ``"random"``) or a :class:`Landscape`, as a Landscape."""
    if isinstance(value, Landscape):
        if seed is not None:
            raise ValueError(f"seed must be None when {name} is a Landscape")
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a scenario name or a Landscape, not {type(value).__name__}")
    return scenario(value, seed)
