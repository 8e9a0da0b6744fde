"""Every built page in a real browser: maths present as HTML with no maths script, images loaded,
no console errors, no request to any host but loopback, nothing wider than a phone; the table of
contents opens at phone width and collapses at desktop width; figures open full size."""

from __future__ import annotations

import pytest

from _bookbuild import ROOT, toc_files

PAGES = toc_files()

# Maths is HTML written at build time by KaTeX (book/_ext/mlcalc_katex.py): every .math element
# holds KaTeX's markup, and no script of the page is a maths renderer.
RAW_TEX = """
() => Array.from(document.querySelectorAll('.math'))
        .filter(el => !el.querySelector('.katex'))
        .map(el => el.textContent.slice(0, 60))
"""

MATHS_SCRIPTS = """
() => Array.from(document.scripts)
        .map(s => s.src || s.textContent.slice(0, 80))
        .filter(t => /mathjax|katex|MathJax/.test(t))
"""

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Fonts and scripts a light page must not load (issue 14): the icons come from a subset font.
HEAVY = ("fontawesome.js", "fa-solid-900.woff2", "fa-brands-400.woff2", "fa-regular-400.woff2",
         "searchindex.js", "mathjax", "katex.min.js")

BROKEN_IMAGES = """
() => Array.from(document.images)
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.getAttribute('src'))
"""


def page_has_math(page_path: str) -> bool:
    text = (ROOT / f"{page_path}.md").read_text()
    return "$" in text or "{math}" in text


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(page, site_url, page_path):
    url = site_url + f"{page_path}.html"
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    if page_has_math(page_path):
        assert page.locator(".math .katex").count() > 0, "no rendered maths on a page with maths"
    assert page.evaluate(RAW_TEX) == [], "maths that is not rendered HTML"
    assert page.evaluate(MATHS_SCRIPTS) == [], "the page loads a maths script"
    page.wait_for_load_state("networkidle")
    heavy = [u for u in requested if any(h in u for h in HEAVY)]
    assert heavy == [], f"the page loads what it should not: {heavy}"
    icon = page.locator("link[rel=icon]")
    assert icon.count() == 1, "no favicon link: browsers then ask for /favicon.ico and log a 404"
    favicon = page.request.get(page.evaluate("() => document.querySelector('link[rel=icon]').href"))
    assert favicon.ok, "the favicon is missing"
    assert page.evaluate(BROKEN_IMAGES) == [], "images that did not load"
    for img in page.locator("figure img, img.figure, div.cell_output img").all():
        assert (img.get_attribute("alt") or "").strip(), f"image without alt text: {img.get_attribute('src')}"
    assert page.external_requests == [], f"requests to other hosts: {page.external_requests}"
    assert page.console_errors == [], f"console errors: {page.console_errors}"


def test_the_landing_page_redirects_into_the_book(page, site_url):
    page.goto(site_url + "index.html", wait_until="load")
    page.wait_for_url("**/book/intro.html")
    assert "Multivariate Calculus" in page.title()
    assert page.external_requests == []


def test_solutions_are_hidden_until_opened(page, site_url):
    page.goto(site_url + "book/part1-derivatives/01-rise-over-run.html", wait_until="load")
    solution = page.locator("div.solution").first
    body = solution.locator(".solution-content, section").first
    assert not body.is_visible(), "a solution is visible before it is opened"
    solution.locator("button.toggle-button, .toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert page.console_errors == []


@pytest.fixture
def phone(browser):
    """A page at a phone's size (390 x 844 CSS px, touch), recording console errors."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(f"page error: {e}"))
    try:
        yield pg
    finally:
        context.close()


def test_no_page_scrolls_sideways_on_a_phone(phone, site_url):
    wide = {}
    for page_path in PAGES:
        phone.goto(site_url + f"{page_path}.html", wait_until="load")
        overflow = phone.evaluate(SIDEWAYS)
        if overflow > 0:
            wide[page_path] = overflow
    assert wide == {}, f"pages wider than a 390 px phone (px too wide): {wide}"
    assert phone.console_errors == []


TOC_LINK = "nav.bd-docs-nav a[href*='06-chain-rule']"


def test_the_table_of_contents_opens_on_a_phone(phone, site_url):
    phone.goto(site_url + "book/part1-derivatives/01-rise-over-run.html", wait_until="load")
    phone.wait_for_load_state("networkidle")
    link = phone.locator(TOC_LINK).first
    assert not link.is_visible(), "the table of contents shows before it is opened"
    toggle = phone.locator(".bd-header-article .primary-toggle")
    assert toggle.is_visible(), "no visible table-of-contents button on a phone"
    toggle.click()
    phone.locator("#pst-primary-sidebar-modal[open]").wait_for(timeout=5000)
    phone.locator(f"#pst-primary-sidebar-modal {TOC_LINK}").first.wait_for(state="visible", timeout=5000)
    phone.keyboard.press("Escape")
    phone.locator("#pst-primary-sidebar-modal[open]").wait_for(state="detached", timeout=5000)
    assert phone.console_errors == []


def test_the_table_of_contents_collapses_on_a_desktop(page, site_url):
    page.goto(site_url + "book/part1-derivatives/01-rise-over-run.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible(), "the table of contents is not shown at desktop width"
    toggle = page.locator(".bd-header-article .primary-toggle")
    toggle.click()
    sidebar.wait_for(state="hidden", timeout=5000)
    toggle.click()
    sidebar.wait_for(state="visible", timeout=5000)
    assert page.console_errors == []


def test_a_figure_opens_full_size(page, site_url):
    page.goto(site_url + "book/part1-derivatives/01-rise-over-run.html", wait_until="load")
    link = page.locator("figure a.mlcalc-figure-link").first
    img = link.locator("img")
    assert img.get_attribute("width") and img.get_attribute("height"), "no size: the page shifts as it loads"
    href = link.get_attribute("href")
    assert href == img.get_attribute("src")
    response = page.request.get(page.evaluate("(a) => a.href", link.element_handle()))
    assert response.ok and response.headers["content-type"].startswith("image/")


def test_search_finds_pages_with_prose_snippets(page, site_url):
    page.goto(site_url + "search.html?q=chain+rule", wait_until="load")
    page.locator("#search-results p.search-summary").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li p.context').length > 0", timeout=30_000
    )
    snippets = page.locator("#search-results li p.context").all_text_contents()
    assert snippets, "search found nothing for 'chain rule'"
    for text in snippets:
        assert "\\frac" not in text and "\\mathbf" not in text, f"raw TeX in a snippet: {text[:120]}"
        assert "import " not in text, f"code in a snippet: {text[:120]}"
    assert page.external_requests == [] and page.console_errors == []


def test_what_a_reader_uses_still_works(page, site_url):
    """Icons (drawn from the Font Awesome subset), copy buttons, the colour mode, launch menu."""
    page.goto(site_url + "book/part1-derivatives/01-rise-over-run.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    # the icons: the subset font is loaded (the theme's full one is never fetched, see HEAVY)
    # and the menu icon has a glyph
    fonts = page.evaluate("() => Array.from(document.fonts).filter(f => f.status === 'loaded')"
                          ".map(f => f.family)")
    assert any("Font Awesome 6 Free" in f for f in fonts), f"icon font not loaded: {fonts}"
    icon = page.locator(".bd-header-article .primary-toggle .fa-bars").first
    assert icon.bounding_box()["width"] > 4, "the menu icon has no glyph"
    # copy buttons on code cells
    assert page.locator("button.copybtn").count() > 0, "no copy buttons"
    # light/dark mode
    before = page.evaluate("() => document.documentElement.dataset.mode")
    page.locator(".theme-switch-button:visible").first.click()
    after = page.evaluate("() => document.documentElement.dataset.mode")
    assert after != before, "the colour-mode button does nothing"
    # the launch menu offers Binder
    binder = page.locator(".dropdown-launch-buttons a[href*='mybinder.org']")
    assert binder.count() == 1 and "lab/tree/book/part1-derivatives/01-rise-over-run.md" in binder.get_attribute("href")
    assert page.console_errors == [] and page.external_requests == []
