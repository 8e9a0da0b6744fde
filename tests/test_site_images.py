"""The build's figure re-encoding (book/_ext/mlcalc_images.py): smaller, same picture, deterministic."""

from __future__ import annotations

import sys

import numpy as np
from PIL import Image

from _bookbuild import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from mlcalc_images import quantize_png  # noqa: E402


def _contour_like(path, seed=0):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:300, 0:400]
    field = np.sin(x / 37.0) * np.cos(y / 23.0) + 0.02 * rng.normal(size=x.shape)
    rgb = np.stack([(field + 1) * 120, (1 - field) * 100 + 30, np.full_like(field, 200.0)], axis=-1)
    Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB").save(path)


def test_quantize_shrinks_a_figure_and_keeps_its_size_and_look(tmp_path):
    path = tmp_path / "fig.png"
    _contour_like(path)
    before = path.stat().st_size
    with Image.open(path) as im:
        original = np.asarray(im.convert("RGB"), dtype=float)
    saved = quantize_png(path)
    assert saved > 0 and path.stat().st_size == before - saved
    with Image.open(path) as im:
        assert im.mode == "P" and im.size == (400, 300)
        after = np.asarray(im.convert("RGB"), dtype=float)
    assert np.abs(after - original).mean() < 4.0  # a few levels out of 255 on average
    assert quantize_png(path) == 0  # a palette image is left alone


def test_quantize_is_deterministic(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    _contour_like(a, seed=3)
    _contour_like(b, seed=3)
    quantize_png(a)
    quantize_png(b)
    assert a.read_bytes() == b.read_bytes()


def test_quantize_keeps_a_png_that_would_grow(tmp_path):
    path = tmp_path / "dot.png"
    Image.new("RGB", (1, 1), (12, 34, 56)).save(path, optimize=True)  # a palette would add a chunk
    before = path.read_bytes()
    assert quantize_png(path) == 0
    assert path.read_bytes() == before
