"""Every built page in a real browser: math rendered, images loaded, no console errors, and no
request to any host but loopback."""

from __future__ import annotations

import pytest

from _bookbuild import ROOT, toc_files

PAGES = toc_files()

WAIT_FOR_MATHJAX = """
async () => {
  if (!window.MathJax || !window.MathJax.startup) return "no MathJax";
  await window.MathJax.startup.promise;
  return "ok";
}
"""

RAW_TEX = """
() => Array.from(document.querySelectorAll('.math, .MathJax_Preview'))
        .filter(el => !el.querySelector('mjx-container') && /\\\\\\(|\\\\\\[|\\$\\$/.test(el.textContent))
        .map(el => el.textContent.slice(0, 60))
"""

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
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    if page_has_math(page_path):  # Sphinx adds MathJax only to pages with maths
        assert page.evaluate(WAIT_FOR_MATHJAX) == "ok", "MathJax did not load from the site"
        assert page.locator("mjx-container").count() > 0, "no typeset math on a page with maths"
    assert page.evaluate(RAW_TEX) == [], "raw TeX left untypeset"
    page.wait_for_load_state("networkidle")
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
