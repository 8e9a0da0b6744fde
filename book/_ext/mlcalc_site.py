"""Sphinx extension: small fixes to the HTML that Jupyter Book 1 writes.

(The downloadable notebooks are made stable by ``mlcalc_notebooks.py``.)

* The repository's address is set once, as ``repository.url`` in ``_config.yml`` (Jupyter Book
  turns it into ``html_theme_options["repository_url"]``). Here it is also made the MyST
  substitution ``{{ repo_url }}``, so a page (or the shared "Run this page" box) can name it, and
  ``{{ pip_install_mlcalc }}`` is the command that installs the package from it.

* sphinx-thebe 0.3.1 registers its inline configuration script once per read of the
  environment, so a page can carry ``const THEBE_JS_URL = …`` twice, and the second copy throws
  "Identifier 'THEBE_JS_URL' has already been declared" in the browser. Here identical script
  entries are kept once per page.

* A light page (issue 14). The book's own static files live in ``book/_site_assets/`` (copied to
  ``_static/``; Jupyter Book would add every script under a ``_static`` folder to every page):
  ``site/site.css`` and ``site/site.js`` (deferred) on every page, ``site/search.js`` on the
  search page. Every script that is not needed before the page is drawn is deferred; only
  ``documentation_options.js`` stays synchronous, because inline scripts use it at once.
  ``book/_templates/layout.html`` drops ``fontawesome.js`` and the search index from every page;
  the theme's CSS then draws the icons with the Font Awesome fonts, of which a subset with only
  the icons the built pages use is written here after the build (a few KB instead of 270 KB).

* Figures open full size: every image in a figure or a cell output is wrapped in a link to its
  file, and gets ``width``/``height`` attributes (its pixel size), so the browser reserves its
  place before it loads and nothing shifts.

* Accessible names and roles: myst-nb's ``<summary aria-label="Toggle hidden content">`` is named
  by its visible text instead ("Show code cell source"); a bibliography's entries are the
  ``listitem``s of its ``role="list"``, not ``doc-biblioentry`` (deprecated).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# scripts to keep synchronous (none: the inline scripts that use DOCUMENTATION_OPTIONS become
# modules, which run in order with the deferred scripts, after documentation_options.js)
SYNC_SCRIPTS: set[str] = set()
# the theme's own stylesheets, which book/_templates/layout.html leaves to the bundle
THEME_CSS = ["_static/basic.css", "_static/styles/pydata-sphinx-theme.css"]


def _script_key(script: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    attributes = getattr(script, "attributes", {}) or {}
    # the copies differ only in filename None versus "" for an inline script
    filename = getattr(script, "filename", script) or ""
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    # in place: it is the builder's own list
    scripts[:] = unique


def _defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Last of the handlers (the theme adds inline scripts in its own): defer what can wait.

    Not on the search page, whose searchtools.js (loaded by the template, at once) needs
    doctools.js already run."""
    scripts = context.get("script_files")
    if scripts and pagename != "search":
        scripts[:] = [_deferred(script) for script in scripts]


def _inline_body(script: Any) -> str:
    return str((getattr(script, "attributes", {}) or {}).get("body", ""))


def _deferred(script: Any) -> Any:
    """The same script with ``defer``, unless it is inline, async, already deferred or needed at once."""
    filename = getattr(script, "filename", None)
    attributes = dict(getattr(script, "attributes", {}) or {})
    if not filename and "DOCUMENTATION_OPTIONS" in _inline_body(script) and "type" not in attributes:
        # an inline module runs after the deferred documentation_options.js, in document order
        attributes["type"] = "module"
        return type(script)(filename, priority=getattr(script, "priority", 500), **attributes)
    if not filename or filename in SYNC_SCRIPTS or "async" in attributes or "defer" in attributes:
        return script
    if "://" in filename:
        return script
    attributes["defer"] = "defer"
    return type(script)(filename, priority=getattr(script, "priority", 500), **attributes)


IMG = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"[^>]*?/?>')
A_OPEN = re.compile(r"<a\b[^>]*>\s*$")


def _image_sizes(app: Sphinx) -> dict[str, tuple[int, int]]:
    """Pixel size of every image the builder copies, by its name in ``_images/``."""
    import imagesize

    sizes = {}
    for source, name in getattr(app.builder, "images", {}).items():
        path = source if os.path.isabs(source) else os.path.join(app.srcdir, source)
        try:
            width, height = imagesize.get(path)
        except OSError:
            continue
        if width > 0 and height > 0:
            sizes[name] = (int(width), int(height))
    return sizes


def link_images(body: str, sizes: dict[str, tuple[int, int]]) -> str:
    """Wrap each ``_images/`` image not already in a link in a link to its file; add its size."""
    out = []
    last = 0
    for match in IMG.finditer(body):
        src = match.group(1)
        name = src.rsplit("/", 1)[-1]
        if "_images/" not in src:
            continue
        tag = match.group(0)
        if name in sizes and " width=" not in tag:
            width, height = sizes[name]
            tag = tag.replace("<img ", f'<img width="{width}" height="{height}" ', 1)
        out.append(body[last : match.start()])
        if A_OPEN.search(body[max(0, match.start() - 300) : match.start()]):
            out.append(tag)
        else:
            label = "Open the figure full size"
            out.append(f'<a class="mlcalc-figure-link" href="{src}" title="{label}">{tag}</a>')
        last = match.end()
    out.append(body[last:])
    return "".join(out)


# KaTeX's two most used fonts, fetched early on a page with maths: the text is laid out once with
# them instead of being re-laid out (shifted) when they arrive
KATEX_PRELOAD = ("_static/katex/fonts/KaTeX_Main-Regular.woff2", "_static/katex/fonts/KaTeX_Math-Italic.woff2")


def _page_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    body = context.get("body")
    if not body:
        return
    if 'class="katex"' in body and "pathto" in context:
        links = "".join(
            f'<link rel="preload" as="font" type="font/woff2" crossorigin="anonymous" '
            f'href="{context["pathto"](font, 1)}" />\n'
            for font in KATEX_PRELOAD
        )
        context["metatags"] = context.get("metatags", "") + links
    body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    # docutils marks each reference of a bibliography role="doc-biblioentry" (deprecated, and not
    # allowed on a div) inside role="list": they are the list's items
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    if "_images/" in body:
        if not hasattr(app, "_mlcalc_image_sizes"):
            app._mlcalc_image_sizes = _image_sizes(app)
        body = link_images(body, app._mlcalc_image_sizes)
    context["body"] = body


# ---- one stylesheet per page ---------------------------------------------------------------
# On slow 4G each render-blocking stylesheet costs a round trip; the theme's two (one of which
# @imports a third) and the extensions' eleven become one file, written after the build.

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _css_name(css: Any) -> str | None:
    filename = str(getattr(css, "filename", css) or "")
    attributes = {k: v for k, v in (getattr(css, "attributes", {}) or {}).items() if k not in {"rel", "type"}}
    if not filename.startswith("_static/") or attributes or "://" in filename:
        return None
    return filename.split("?", 1)[0]


def _bundle_css(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    css_files = context.get("css_files")
    if css_files is None:
        return
    names = list(THEME_CSS)
    rest = []
    for css in css_files:
        name = _css_name(css)
        if name is None:
            rest.append(css)
        elif name not in names:
            names.append(name)
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]
    bundle = f"_static/site/bundle-{digest}.css"
    app._mlcalc_css_bundles = getattr(app, "_mlcalc_css_bundles", {})
    app._mlcalc_css_bundles[bundle] = names
    sheet_type = type(css_files[0]) if css_files else None
    if sheet_type is None:
        from sphinx.builders.html._assets import _CascadingStyleSheet as sheet_type
    css_files[:] = [sheet_type(bundle, priority=0, rel="stylesheet", type="text/css"), *rest]


FA_RULE = re.compile(r"(?<=[}\n])((?:\.fa-[a-z0-9-]+::?(?:before|after),?)+)\{[^{}]*\}")


def prune_icon_rules(text: str, used: set[str]) -> str:
    """Drop the ``.fa-NAME:before{content:...}`` rules of icons no page uses (about 2,000 of them)."""

    def keep(match: re.Match) -> str:
        names = set(re.findall(r"\.(fa-[a-z0-9-]+)", match.group(1)))
        return match.group(0) if names & used else ""

    return FA_RULE.sub(keep, text)


def rebase_css(text: str, source: str, target: str) -> str:
    """``url(...)`` references of a stylesheet at ``source`` made relative to ``target``."""

    def fix(match: re.Match) -> str:
        url = match.group(2).strip()
        if url.startswith(("data:", "#", "/")) or "://" in url:
            return match.group(0)
        moved = os.path.normpath(os.path.join(os.path.dirname(source), url))
        return f'url("{os.path.relpath(moved, os.path.dirname(target))}")'

    text = re.sub(r"@charset [^;]+;", "", text)
    return CSS_URL.sub(fix, text)


def _write_css_bundles(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    # an incremental build writes only some pages: keep the bundles of the others up to date too
    manifest = out / "_static" / "site" / "bundles.json"
    bundles = json.loads(manifest.read_text()) if manifest.is_file() else {}
    bundles.update(getattr(app, "_mlcalc_css_bundles", {}))
    for bundle, names in sorted(bundles.items()):
        parts = []
        for name in names:
            path = out / name
            if not path.is_file():
                logger.warning("stylesheet %s is missing from the built site", name)
                continue
            text = rebase_css(path.read_text(encoding="utf-8"), name, bundle)
            used = getattr(app, "_mlcalc_fa_used", None)
            if used is not None:
                text = prune_icon_rules(text, used)
            parts.append(f"/* {name} */\n" + text)
        (out / bundle).write_text("\n".join(parts) + "\n", encoding="utf-8")
    manifest.write_text(json.dumps(bundles, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _search_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if pagename == "search":
        app.add_js_file("site/search.js", loading_method="defer")


# ---- a subset of the Font Awesome fonts ---------------------------------------------------

FA_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
FA_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+)::?(?:before|after)$")
ICON_CHAR = re.compile(r"[\ue000-\uf8ff]|\\([ef][0-9a-f]{3})\b")
FA_FONTS = {  # file in the theme's vendor folder: (family, weight)
    "fa-solid-900": ("Font Awesome 6 Free", 900),
    "fa-regular-400": ("Font Awesome 6 Free", 400),
    "fa-brands-400": ("Font Awesome 6 Brands", 400),
}


def _icon_chars(text: str) -> set[int]:
    return {ord(m.group(0)) if m.group(1) is None else int(m.group(1), 16) for m in ICON_CHAR.finditer(text)}


def icons_needed(css_texts: list[str], html_texts: list[str]) -> set[int]:
    """Code points of the icons the pages use: ``fa-*`` classes in the HTML, and every icon a
    theme rule other than the ``.fa-NAME:before`` table draws (admonition titles, toggles)."""
    by_class: dict[str, set[int]] = {}
    always: set[int] = set()
    for css in css_texts:
        for selectors, declarations in CSS_RULE.findall(css):
            names = [FA_SELECTOR.match(s.strip()) for s in selectors.split(",")]
            chars = _icon_chars(declarations)
            if all(names):
                for name in names:
                    by_class.setdefault(name.group(1), set()).update(chars)
            else:
                always |= chars
    used = set()
    for html in html_texts:
        used.update(FA_CLASS.findall(html))
    needed = set(always)
    for name in used:
        needed |= by_class.get(name, set())
    return needed


def _font_awesome_subset(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    from fontTools import subset

    out = Path(app.outdir)
    static = out / "_static"
    css_texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(static.rglob("*.css"))
                 if "site" not in p.parts]
    # the pages, and the theme's scripts (which add an icon or two at run time)
    html_texts = [p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))]
    html_texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(static.rglob("*.js"))]
    app._mlcalc_fa_used = {name for text in html_texts for name in FA_CLASS.findall(text)}
    needed = icons_needed(css_texts, html_texts)
    faces = []
    for stem, (family, weight) in FA_FONTS.items():
        source = static / "vendor" / "fontawesome" / "webfonts" / f"{stem}.ttf"
        if not source.is_file():
            logger.warning("Font Awesome font %s not found: icons drawn with the full font", source)
            continue
        options = subset.Options()
        options.flavor = "woff"  # zlib; woff2 would need brotli
        options.layout_features = []
        options.name_IDs = [0, 1, 2]  # keep the licence-bearing copyright name
        font = subset.load_font(str(source), options)
        cmap = font.getBestCmap()
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(set(cmap) & needed) or [0x20])
        subsetter.subset(font)
        target = static / "site" / f"{stem}-subset.woff"
        target.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(target), options)
        faces.append(
            f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
            f'font-display:block;src:url({target.name}) format("woff")}}'
        )
    header = ("/* Font Awesome Free 6 (fonts: SIL OFL 1.1, https://fontawesome.com/license/free), cut "
              "to the icons this book's pages use by book/_ext/mlcalc_site.py. Defined after the "
              "theme's own @font-face rules, so these win. */\n")
    (static / "site" / "fa-subset.css").write_text(header + "\n".join(faces) + "\n", encoding="utf-8")


def _repo_url_substitution(app: Sphinx, config: Any) -> None:
    url = (config.html_theme_options or {}).get("repository_url", "")
    substitutions = dict(config.myst_substitutions or {})
    substitutions.setdefault("repo_url", url)
    # a code span is literal, so the install command is a substitution of its own
    substitutions.setdefault(
        "pip_install_mlcalc", f'`pip install "mlcalc @ git+{url}#subdirectory=code"`'
    )
    config.myst_substitutions = substitutions


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("config-inited", _repo_url_substitution)
    # early: a later handler may return a template name, which ends the event (emit_firstresult)
    app.connect("html-page-context", _search_page, priority=90)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("html-page-context", _page_body, priority=100)
    app.connect("html-page-context", _bundle_css, priority=100)
    app.connect("html-page-context", _defer_scripts, priority=999)
    app.connect("build-finished", _font_awesome_subset)
    # last: after the subset's CSS and the theme's pygments.css (pydata-sphinx-theme rewrites it then)
    app.connect("build-finished", _write_css_bundles, priority=900)
    app.add_css_file("site/fa-subset.css")
    app.add_css_file("site/site.css")
    app.add_js_file("site/site.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
