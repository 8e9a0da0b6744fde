"""Sphinx extension: every formula rendered to HTML by KaTeX at build time, strictly.

The page carries KaTeX's HTML and its stylesheet (``book/_site_assets/katex/``, KaTeX 0.16.22's
``katex.min.css`` with its woff2 fonts); it loads no maths JavaScript and nothing re-flows when the
page opens. The rendering runs in Node.js (``node`` on PATH) through ``sphinxcontrib-katex``'s
render server and the copy of ``katex.min.js`` that package ships, so the build needs node but
no npm package.

``sphinxcontrib-katex``'s own pre-rendering ignores ``katex_options`` (so no macros) and turns a
TeX error into red text in the page. Here the renderer is the same server called with the book's
macros (``mlcalc_katex_macros`` in ``_config.yml``) and ``throwOnError``: a formula KaTeX cannot
render is a Sphinx warning at the page and line of the formula, which the strict build
(``-W``) turns into a failure. Glued maths and maths in cell outputs (``display(Markdown(...))``,
``text/latex``) are docutils math nodes like any other, so they go through the same renderer.
"""

from __future__ import annotations

import shutil
from html import escape
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging

logger = logging.getLogger(__name__)

RENDERER = "mlcalc_katex"


def _options(translator: Any, display: bool) -> dict[str, Any]:
    config = translator.builder.config
    return {
        "displayMode": display,
        "throwOnError": True,
        # LaTeX-incompatible input (a Unicode symbol in maths, say) is rendered without a warning
        # on the render server's stdout, which nobody reads
        "strict": "ignore",
        "macros": dict(config.mlcalc_katex_macros or {}),
    }


def _render(translator: Any, node: nodes.Element, display: bool) -> str:
    from sphinxcontrib.katex import KaTeXError, get_latex, render_latex

    latex = get_latex(node)
    try:
        return render_latex(latex, _options(translator, display))
    except KaTeXError as error:
        logger.warning(
            "KaTeX cannot render %r: %s", latex, error, location=node, type="mlcalc", subtype="katex"
        )
        return f'<span class="math-error">{escape(latex)}</span>'


def visit_math(self: Any, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_render(self, node, display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self: Any, node: nodes.Element) -> None:
    from sphinxcontrib.katex import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append('<span class="eqno">(%s)' % number)
        self.add_permalink_ref(node, _("Permalink to this equation"))
        self.body.append("</span>")
    self.body.append(_render(self, node, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _require_node(app: Sphinx) -> None:
    from sphinxcontrib import katex

    if app.builder.format == "html" and shutil.which(katex.NODEJS_BINARY) is None:
        raise ExtensionError(
            "the maths is rendered at build time by KaTeX, which needs Node.js: install it "
            "(Debian: apt-get install -y nodejs) so that `node` is on PATH"
        )


def setup(app: Sphinx) -> dict[str, object]:
    # its stylesheets, config values (katex_css_path, ...) and render server
    app.setup_extension("sphinxcontrib.katex")
    app.add_config_value("mlcalc_katex_macros", {}, "env", [dict])
    app.connect("builder-inited", _require_node)
    app.add_html_math_renderer(
        RENDERER, inline_renderers=(visit_math, None), block_renderers=(visit_displaymath, None)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": False, "version": "1.0"}
