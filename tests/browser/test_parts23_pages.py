"""Parts 2 and 3 in a real browser (issue 12): the backprop assignment does not show its answer
before the reader's attempt, and the stacked figures fit a phone's width."""

from __future__ import annotations

import pytest

BACKPROP = "book/part3-neural-networks/03-backpropagation.html"
LOOP_LINE = "for i in range(self.n_layers"

BEFORE_FIRST_EXERCISE = """
(el) => Boolean(document.querySelector('div.exercise').compareDocumentPosition(el)
                & Node.DOCUMENT_POSITION_PRECEDING)
"""


def test_backprop_source_is_hidden_and_after_the_exercises(page, site_url):
    page.goto(site_url + BACKPROP, wait_until="load")
    source = page.locator("pre", has_text=LOOP_LINE)
    assert source.count() >= 1, "the package's code should be on the page, after the exercises"
    for k in range(source.count()):
        assert not source.nth(k).evaluate(BEFORE_FIRST_EXERCISE), "package source before the exercises"
        assert not source.nth(k).is_visible(), "package source visible before its toggle is opened"
    toggle = page.locator("details.hide summary", has_text="Show code cell outputs").last
    toggle.click()
    source.first.wait_for(state="visible", timeout=5000)
    # the exercises' templates are there as runnable cells, and their solutions are closed
    assert page.locator("div.solution").count() >= 4
    for k in range(page.locator("div.solution").count()):
        body = page.locator("div.solution").nth(k).locator(".solution-content, section").first
        assert not body.is_visible()
    assert page.console_errors == []


@pytest.mark.parametrize(
    "page_path",
    [
        "book/part2-multivariate/01-partial-derivatives",
        "book/part2-multivariate/04-jacobian-vector",
        "book/part2-multivariate/06-hessian",
        "book/part3-neural-networks/03-backpropagation",
        "book/part3-neural-networks/04-training-the-heart",
    ],
)
def test_figures_fit_a_phone(browser, site_url, page_path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(site_url + f"{page_path}.html", wait_until="load")
        widths = pg.evaluate(
            "() => Array.from(document.querySelectorAll('figure img, .cell_output img'))"
            ".map(img => [img.getBoundingClientRect().width, img.naturalWidth])"
        )
        assert widths
        for shown, natural in widths:
            assert shown <= 390
            # stacked panels: an image is shrunk at most about 1.8 times on a phone, so its text
            # (the book style's 11 pt at 100 dpi) stays readable
            assert natural / shown < 1.8, (page_path, shown, natural)
    finally:
        context.close()


MY_PAGES = [
    "book/part2-multivariate/01-partial-derivatives",
    "book/part2-multivariate/02-total-derivative",
    "book/part2-multivariate/03-jacobian-scalar",
    "book/part2-multivariate/04-jacobian-vector",
    "book/part2-multivariate/06-hessian",
    "book/part2-multivariate/07-reality-is-hard",
    "book/part3-neural-networks/01-multivariate-chain-rule",
    "book/part3-neural-networks/02-neural-networks",
    "book/part3-neural-networks/03-backpropagation",
    "book/part3-neural-networks/04-training-the-heart",
]

WIDE_EQUATIONS = """
async () => {
  if (window.MathJax && window.MathJax.startup) await window.MathJax.startup.promise;
  const wide = [];
  for (const box of document.querySelectorAll('div.math')) {
    for (const el of [box, ...box.querySelectorAll('mjx-container, .katex-display, .katex')]) {
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {  // overflows: scrolls sideways
        wide.push((box.id || '') + ': ' + box.textContent.trim().slice(0, 50));
        break;
      }
    }
  }
  return wide;
}
"""


@pytest.mark.parametrize("page_path", MY_PAGES)
def test_display_equations_fit_a_phone(browser, site_url, page_path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(site_url + f"{page_path}.html", wait_until="load")
        assert pg.evaluate(WIDE_EQUATIONS) == []
    finally:
        context.close()


WIDE_TABLES = """
() => Array.from(document.querySelectorAll('article table')).map(table => {
  const scroller = table.closest('.table-wrapper, .pst-scrollable-table-container, .cell_output') || table.parentElement;
  return [table.textContent.trim().slice(0, 40), table.scrollWidth, scroller.clientWidth];
}).filter(([, width, room]) => width > room + 1)
"""


@pytest.mark.parametrize(
    "page_path",
    ["book/part2-multivariate/06-hessian", "book/part3-neural-networks/04-training-the-heart"],
)
def test_tables_fit_a_phone(browser, site_url, page_path):
    """The columns the prose discusses are on screen at 390 px, not behind a sideways scroll."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(site_url + f"{page_path}.html", wait_until="load")
        assert pg.locator("article table").count() >= 1
        assert pg.evaluate(WIDE_TABLES) == []
    finally:
        context.close()


@pytest.mark.parametrize("page_path", MY_PAGES)
def test_page_does_not_scroll_sideways_on_a_phone(browser, site_url, page_path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(site_url + f"{page_path}.html", wait_until="load")
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
