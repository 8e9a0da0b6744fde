"""Sphinx extension: lighter figures for readers on a phone.

Matplotlib writes 24-bit PNGs. A contour map or a shaded surface then weighs 100-270 KB, and the
pages with two or three of them loaded their largest image last (Lighthouse's largest contentful
paint near 4 s on a throttled phone). A book figure has few colours that matter, so after the build
every PNG in ``_images`` larger than ``mlcalc_quantize_above`` bytes is re-encoded with a palette
of at most 256 colours (median cut, no dithering: the same input gives the same bytes, so two clean
builds stay identical), and kept only when that makes it smaller.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from sphinx.application import Sphinx


def quantize_png(path: Path) -> int:
    """Re-encode one PNG with a 256-colour palette if that is smaller; return the bytes saved."""
    before = path.stat().st_size
    with Image.open(path) as image:
        if image.mode == "P":  # already a palette image (an earlier build, or small to begin with)
            return 0
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    tmp = path.with_suffix(".tmp.png")
    palette.save(tmp, format="PNG", optimize=True)
    after = tmp.stat().st_size
    if after < before:
        tmp.replace(path)
        return before - after
    tmp.unlink()
    return 0


def _quantize_images(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    limit = int(app.config.mlcalc_quantize_above)
    for path in sorted(Path(app.outdir, "_images").glob("*.png")):
        if path.stat().st_size > limit:
            quantize_png(path)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("mlcalc_quantize_above", 48_000, "html")
    app.connect("build-finished", _quantize_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
