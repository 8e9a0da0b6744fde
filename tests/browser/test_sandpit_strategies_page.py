"""The strategy viewer (Part 5, the Sandpit part 2) in a real browser.

A reader picks a pit, a strategy and a start; the viewer draws the walk that the package computed
when the page was built. The tests check what the reader sees against the package (the same walk,
played again in Python) and against the page's own table (the scorer's numbers).
Run with ``-s`` to see the probe counts.
"""

from __future__ import annotations

import re

import pytest

from mlcalc.sandpit import STRATEGIES, run, scenario, starts

PAGE = "book/part5-optimisation/04-sandpit-strategies.html"

PROBE_COLOUR_PIXELS = """
(canvas) => {
  const ctx = canvas.getContext('2d');
  const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const want = getComputedStyle(canvas.closest('.sandpit')).getPropertyValue('--sandpit-probe').trim();
  const hex = want.replace('#', '');
  const r = parseInt(hex.slice(0, 2), 16), g = parseInt(hex.slice(2, 4), 16), b = parseInt(hex.slice(4, 6), 16);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) count++;
  return count;
}
"""


def _plain(text: str) -> str:
    return text.replace("\u2212", "-")


class Viewer:
    def __init__(self, page):
        self.page = page
        self.root = page.locator(".sandpit.sandpit-ready.sandpit-viewer")
        self.root.wait_for()
        self.canvas = self.root.locator("canvas")

    def choose(self, label: str, option: str) -> None:
        self.root.get_by_label(label, exact=True).select_option(label=option)

    def options(self, label: str) -> list[str]:
        return self.root.get_by_label(label, exact=True).locator("option").all_inner_texts()

    def status(self) -> str:
        return _plain(self.root.locator(".sandpit-status").inner_text())

    def summary(self) -> str:
        return _plain(self.root.locator(".sandpit-summary").inner_text())

    def probes(self) -> int:
        m = re.search(r"(\d+) probes?", self.status())
        assert m, self.status()
        return int(m.group(1))

    def path_points(self) -> list[tuple[float, float]]:
        out = []
        for text in self.root.locator(".sandpit-log li").all_inner_texts():
            m = re.search(r"Probe \d+ at \((-?[\d.]+), (-?[\d.]+)\)", _plain(text))
            out.append((float(m.group(1)), float(m.group(2))))
        return out


def page_table(page) -> dict[tuple[str, str], tuple[str, str, str]]:
    """The glued table of the page: (pit, strategy) -> (found, median probes, stuck)."""
    rows = {}
    for tr in page.locator("table tbody tr").all():
        cells = [c.strip() for c in tr.locator("td").all_text_contents()]  # text, laid out or not
        if len(cells) == 5:
            rows[(cells[0], cells[1])] = (cells[2], cells[3], cells[4])
    assert rows, "the page has its table of strategies"
    return rows


@pytest.fixture
def viewer(page, site_url):
    response = page.goto(site_url + PAGE, wait_until="load")
    assert response is not None and response.ok
    v = Viewer(page)
    v.canvas.scroll_into_view_if_needed()
    yield v
    assert page.external_requests == [], f"requests to other hosts: {page.external_requests}"
    assert page.console_errors == [], f"console errors: {page.console_errors}"


def key_of(title: str) -> str:
    return next(k for k, s in STRATEGIES.items() if s.title == title)


def scenario_key(title: str) -> str:
    keys = ["bowl", "random", "several-minima", "rocks", "narrow-well"]
    return next(k for k in keys if scenario(k).title == title)


def test_each_strategy_draws_the_packages_path_and_its_probe_count(viewer):
    table = page_table(viewer.page)
    first = tuple(starts(100)[0])
    seen = []
    for pit in viewer.options("Scenario"):
        viewer.choose("Scenario", pit)
        for title in viewer.options("Strategy"):
            viewer.choose("Strategy", title)
            assert viewer.status().startswith(f"{title} from start 1:")
            walk = run(STRATEGIES[key_of(title)], scenario_key(pit), start=first, max_probes=100)
            assert viewer.probes() == walk.n_probes, (pit, title, viewer.status(), str(walk))
            points = viewer.path_points()
            assert len(points) == walk.n_probes
            flat = [v for q in points for v in q]
            assert flat == pytest.approx(walk.points.ravel().tolist(), abs=1.5e-3), "the package's path" 
            assert ("found the deepest point" in viewer.status()) == walk.found
            assert ("ended stuck in a trap" in viewer.status()) == walk.trapped
            assert viewer.canvas.evaluate(PROBE_COLOUR_PIXELS) > 0, "the path is drawn"
            # the line under the viewer repeats the page's table for this pit and strategy
            found, median, stuck = table[(pit, title)]
            summary = viewer.summary()
            assert f"from {found}" in summary and f"from {stuck}." in summary, (summary, table[(pit, title)])
            if median.startswith("– ("):  # fewer than five successful walks: their number, no median
                walks = re.search(r"\((\d+) walks?\)", median).group(1)
                assert f"({walks} walk" in summary and "too few for a median" in summary, (summary, median)
                assert "median of" not in summary
            elif median != "–":
                assert f"median of {median} probes" in summary, (summary, median)
            seen.append((pit, title, walk.n_probes))
    print("\n  probes from start 1: " + "; ".join(f"{p} / {t}: {n}" for p, t, n in seen))
    assert len(seen) == 5 * 4


def test_the_start_slider_moves_by_keyboard_and_the_path_follows(viewer):
    viewer.choose("Scenario", "Several minima")
    viewer.choose("Strategy", "Hybrid")
    slider = viewer.root.get_by_label("Start", exact=True)
    assert slider.get_attribute("type") == "range"
    slider.focus()
    counts = []
    for k in range(1, 5):
        if k > 1:
            viewer.page.keyboard.press("ArrowRight")
        assert viewer.status().startswith(f"Hybrid from start {k}:"), viewer.status()
        walk = run(STRATEGIES["hybrid"], "several-minima", start=starts(100)[k - 1], max_probes=100)
        assert viewer.probes() == walk.n_probes
        counts.append(walk.n_probes)
    print(f"\n  several minima / hybrid, starts 1-4: {counts} probes")


def test_the_viewer_fits_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE, wait_until="load")
        v = Viewer(page)
        v.canvas.scroll_into_view_if_needed()
        box = v.canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5 and box["width"] >= 250
        assert v.root.evaluate("g => g.scrollWidth <= g.clientWidth + 1"), "nothing sticks out sideways"
        for label in ("Scenario", "Strategy", "Start"):
            cbox = v.root.get_by_label(label, exact=True).bounding_box()
            assert cbox["height"] >= 24 and cbox["width"] >= 24, (label, cbox)
    finally:
        context.close()


def test_the_viewer_loads_the_sandpit_script_once_and_weighs_little(page, site_url):
    sizes: dict[str, int] = {}
    page.on("response", lambda resp: sizes.__setitem__(resp.url, len(resp.body())) if resp.ok else None)
    page.goto(site_url + PAGE, wait_until="networkidle")
    Viewer(page)
    js = [u for u in sizes if u.endswith("/sandpit.js")]
    assert len(js) == 1 and len([u for u in sizes if u.endswith("/sandpit.css")]) == 1
    data = len(page.locator("#sandpit-strategies-data").text_content().encode())
    html = sizes[site_url + PAGE]
    print(f"\n  the viewer's weight: page HTML {html / 1024:.0f} KB, of which data {data / 1024:.0f} KB")
    assert data < 300 * 1024
    assert page.external_requests == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_viewer_reads_in_light_and_dark_mode(viewer, theme):
    from test_sandpit_page import contrast  # the game's contrast measure (WCAG), same folder

    viewer.page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    for selector in (".sandpit-blurb", ".sandpit-status", ".sandpit-summary", ".sandpit-log li", ".sandpit-starttext"):
        ratio = contrast(viewer.root.locator(selector).first)
        assert ratio >= 4.5, f"{theme}: {selector} has contrast {ratio:.2f}"
