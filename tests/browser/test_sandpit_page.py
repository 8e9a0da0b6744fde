"""The Sandpit game (Part 2, page 05) played in a real browser, as a reader would play it.

Everything the tests know about a pit they read from the page: the arrow and the depth from the
probe log, the size of the pit from the canvas's label, the outcome from the status line. Nothing
comes from the Python package. Run with ``-s`` to see how many probes each game needed.
"""

from __future__ import annotations

import math
import re

import pytest

from mlcalc.sandpit import ARROW_CAP, ARROW_MIN_PX, FOUND_RADIUS, arrow_scale, scenario

PAGE = "book/part2-multivariate/05-sandpit.html"

LOG_LINE = re.compile(
    r"Probe (?P<n>\d+) at \((?P<x>-?[\d.]+), (?P<y>-?[\d.]+)\): depth (?P<depth>-?[\d.]+) m"
    r"(?:; downhill -∇f = \((?P<dx>-?[\d.]+), (?P<dy>-?[\d.]+)\), slope (?P<slope>[\d.]+))?"
)

DISTINCT_COLOURS = """
(canvas) => {
  const ctx = canvas.getContext('2d');
  const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
}
"""

EFFECTIVE_COLOURS = """
(el) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  let bg = null;
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
  }
  return {fg: parse(getComputedStyle(el).color).slice(0, 3), bg: bg || [255, 255, 255]};
}
"""


def _plain(text: str) -> str:
    return text.replace("\u2212", "-")


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(el) -> float:
    colours = el.evaluate(EFFECTIVE_COLOURS)
    a, b = sorted((_luminance(colours["fg"]), _luminance(colours["bg"])), reverse=True)
    return (a + 0.05) / (b + 0.05)


class Reader:
    """A reader at the game: looks at the page, clicks or types, reads the log and the status."""

    def __init__(self, page):
        self.page = page
        self.game = page.locator(".sandpit.sandpit-ready")
        self.canvas = self.game.locator("canvas")
        self.canvas.wait_for()
        label = _plain(self.canvas.get_attribute("aria-label") or "")
        found = re.search(r"from (-?\d+) to (-?\d+) metres", label)
        assert found, f"the canvas's label says how big the pit is: {label!r}"
        self.lo, self.hi = float(found.group(1)), float(found.group(2))
        cells = re.search(r"surveyed at (\d+) by \1 points", label)
        assert cells, "the canvas's label says how fine the survey grid is"
        self.spacing = (self.hi - self.lo) / (int(cells.group(1)) - 1)

    def choose(self, title: str) -> None:
        self.page.get_by_label("Scenario").select_option(label=title)

    def button(self, name: str):
        return self.game.get_by_role("button", name=name)

    def status(self) -> str:
        return _plain(self.game.locator(".sandpit-status").inner_text())

    def probes(self) -> list[dict]:
        out = []
        for text in self.game.locator(".sandpit-log li").all_inner_texts():
            m = LOG_LINE.search(_plain(text))
            assert m, f"a log line the reader cannot read: {text!r}"
            entry = {k: float(v) for k, v in m.groupdict().items() if v is not None}
            entry["text"] = text
            out.append(entry)
        return out

    def counter(self) -> int:
        text = self.game.locator(".sandpit-count").inner_text()
        return int(re.search(r"\d+", text).group())

    def click(self, x: float, y: float) -> dict:
        self.canvas.scroll_into_view_if_needed()  # a longer blurb can push the board down
        box = self.canvas.bounding_box()
        fx = (x - self.lo) / (self.hi - self.lo)
        fy = (self.hi - y) / (self.hi - self.lo)
        before = len(self.probes())
        self.page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        probes = self.probes()
        assert len(probes) == before + 1, "a click adds one line to the probe log"
        return probes[-1]

    def revealed_colours(self) -> int:
        return self.canvas.evaluate(DISTINCT_COLOURS)


def follow_the_arrows(reader: Reader, start, probe, max_probes=40, stop=("Found it",)):
    """Probe, read the arrow, probe again some way along it; shorten the stride when the sand
    got shallower (the step overshot) and go back to the deepest probe so far."""
    p = probe(*start)
    best = p
    stride = 0.3
    while not reader.status().startswith(stop) and len(reader.probes()) < max_probes:
        if p["depth"] < best["depth"]:
            stride /= 2
            p = best
        else:
            best = p
        dx, dy = p["dx"] * stride, p["dy"] * stride
        length = math.hypot(dx, dy)
        if length < reader.spacing:  # one survey point at least, or the click lands on the same one
            dx, dy = dx / length * reader.spacing, dy / length * reader.spacing
        x = min(reader.hi, max(reader.lo, p["x"] + dx))
        y = min(reader.hi, max(reader.lo, p["y"] + dy))
        p = probe(x, y)
    return reader.probes()


@pytest.fixture
def reader(page, site_url):
    response = page.goto(site_url + PAGE, wait_until="load")
    assert response is not None and response.ok
    r = Reader(page)
    r.canvas.scroll_into_view_if_needed()
    yield r
    assert page.external_requests == [], f"requests to other hosts: {page.external_requests}"
    assert page.console_errors == [], f"console errors: {page.console_errors}"


def test_the_bowl_is_found_by_following_the_arrows(reader):
    reader.choose("Bowl")
    assert reader.counter() == 0 and reader.revealed_colours() < 12, "the pit starts hidden"
    probes = follow_the_arrows(reader, (-0.8, 0.8), reader.click)
    status = reader.status()
    print(f"\n  bowl, following the arrows by mouse: found in {len(probes)} probes")
    assert status.startswith("Found it"), status
    assert f"in {len(probes)} probe" in status and reader.counter() == len(probes)
    assert len(probes) <= 20
    assert "found" in probes[-1]["text"] and all("found" not in p["text"] for p in probes[:-1])
    # the depths went down the hill: the last probe is the deepest
    assert probes[-1]["depth"] == max(p["depth"] for p in probes)
    # the end of the game reveals the pit: the colour map, and no more probing
    assert reader.revealed_colours() > 60
    assert reader.button("Give up and reveal").is_disabled()
    box = reader.canvas.bounding_box()
    reader.page.mouse.click(box["x"] + 5, box["y"] + 5)
    assert len(reader.probes()) == len(probes), "no probes after the game is over"
    assert "Reset" in reader.status()
    reader.button("Reset").click()
    assert reader.counter() == 0 and reader.probes() == [] and reader.revealed_colours() < 12


def test_several_minima_reports_stuck(reader):
    reader.choose("Several minima")
    tries = []
    for corner in [(-0.9, 0.9), (0.9, 0.9), (-0.9, -0.9), (0.9, -0.9)]:
        reader.button("Reset").click()
        probes = follow_the_arrows(reader, corner, reader.click, stop=("Found it", "Stuck"))
        tries.append((corner, len(probes), reader.status()))
        if reader.status().startswith("Stuck"):
            break
    corner, n, status = tries[-1]
    print(f"\n  several minima, following the arrows from {corner}: stuck after {n} probes"
          f" ({len(tries)} start(s) tried)")
    assert status.startswith("Stuck"), tries
    last = reader.probes()[-1]
    assert "stuck at a local minimum" in last["text"]
    assert f"{last['depth']:.3f}" in status
    # stuck is not the end: the game goes on, and giving up reveals where the bottom really was
    assert not reader.button("Give up and reveal").is_disabled()
    reader.button("Give up and reveal").click()
    final = reader.status()
    assert final.startswith("You gave up after") and "deepest point" in final
    deepest = float(re.search(r"deepest point, (-?[\d.]+) m", final).group(1))
    assert deepest > last["depth"], "the bottom is deeper than where the walk got stuck"
    assert reader.revealed_colours() > 60


def test_depth_only_shows_no_arrow_and_give_up_reveals(reader):
    reader.choose("Depth only")
    p = reader.click(0.0, 0.0)
    assert "dx" not in p and "downhill" not in p["text"]
    reader.click(0.5, 0.5)
    assert reader.counter() == 2
    reader.button("Give up and reveal").click()
    assert reader.status().startswith("You gave up after 2 probes")
    assert reader.revealed_colours() > 60


def test_new_pit_cycles_through_the_pregenerated_random_pits(reader):
    new_pit = reader.button("New pit")
    reader.choose("Bowl")
    assert new_pit.is_hidden(), "only the random scenario has new pits"
    reader.choose("Random pit")
    assert new_pit.is_visible()
    depths = []
    for _ in range(3):
        depths.append(reader.click(0.1, -0.3)["depth"])
        new_pit.click()
        assert reader.counter() == 0
        assert re.search(r"number \d+ of the \d+ random pits made when this page was built", reader.status())
    assert len(set(depths)) > 1, "the pits differ"


def test_the_keyboard_alone_plays_the_bowl_to_the_bottom(reader):
    page = reader.page
    reader.choose("Bowl")
    # Tab from the scenario chooser reaches the pit
    page.get_by_label("Scenario").focus()
    for _ in range(8):
        page.keyboard.press("Tab")
        if reader.canvas.evaluate("c => document.activeElement === c"):
            break
    assert reader.canvas.evaluate("c => document.activeElement === c"), "Tab reaches the pit"
    cursor_text = reader.game.locator(".sandpit-cursor")

    def cursor():
        m = re.search(r"\((-?[\d.]+), (-?[\d.]+)\)", _plain(cursor_text.inner_text()))
        return float(m.group(1)), float(m.group(2))

    x0, y0 = cursor()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    assert cursor() == pytest.approx((x0 + reader.spacing, y0 + reader.spacing), abs=6e-4)  # shown to 3 decimals
    page.keyboard.press("Shift+ArrowLeft")
    assert cursor() == pytest.approx((x0 - 4 * reader.spacing, y0 + reader.spacing), abs=6e-4)

    def key_probe(x, y):
        cx, cy = cursor()
        steps_x = round((x - cx) / reader.spacing)
        steps_y = round((y - cy) / reader.spacing)
        for steps, plus, minus in ((steps_x, "ArrowRight", "ArrowLeft"), (steps_y, "ArrowUp", "ArrowDown")):
            key = plus if steps > 0 else minus
            for _ in range(abs(steps) // 5):
                page.keyboard.press(f"Shift+{key}")
            for _ in range(abs(steps) % 5):
                page.keyboard.press(key)
        before = len(reader.probes())
        page.keyboard.press("Enter")
        probes = reader.probes()
        assert len(probes) == before + 1, "Enter probes at the cursor"
        assert (probes[-1]["x"], probes[-1]["y"]) == pytest.approx(cursor(), abs=1e-9)
        return probes[-1]

    probes = follow_the_arrows(reader, (-0.8, -0.8), key_probe)
    print(f"\n  bowl, following the arrows by keyboard: found in {len(probes)} probes")
    assert reader.status().startswith("Found it"), reader.status()
    assert reader.revealed_colours() > 60


def test_the_game_is_labelled_for_assistive_technology(reader):
    reader.choose("Random pit")  # the one scenario that shows every button
    canvas = reader.canvas
    assert canvas.get_attribute("role") == "application"
    assert canvas.get_attribute("tabindex") == "0"
    assert "deepest point" in (canvas.get_attribute("aria-label") or "")
    described = (canvas.get_attribute("aria-describedby") or "").split()
    assert described and all(reader.page.locator(f"#{i}").count() == 1 for i in described)
    log = reader.game.locator(".sandpit-log")
    assert log.get_attribute("aria-live") == "polite"
    assert reader.game.locator(".sandpit-status").get_attribute("role") == "status"
    for name in ("Reset", "Give up and reveal", "New pit"):
        assert reader.button(name).count() == 1
    assert reader.page.get_by_label("Scenario").count() == 1


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_game_reads_in_light_and_dark_mode(reader, theme):
    page = reader.page
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    reader.click(0.0, 0.0)
    for selector in (".sandpit-blurb", ".sandpit-status", ".sandpit-log li", ".sandpit-count"):
        ratio = contrast(reader.game.locator(selector).first)
        assert ratio >= 4.5, f"{theme}: {selector} has contrast {ratio:.2f}"
    ratio = contrast(reader.button("Reset"))
    assert ratio >= 4.5, f"{theme}: the buttons have contrast {ratio:.2f}"


def test_the_game_fits_a_phone_and_plays_by_touch(browser, site_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(site_url + PAGE, wait_until="load")
        r = Reader(page)
        r.canvas.scroll_into_view_if_needed()
        box = r.canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5, box
        assert box["width"] >= 250, "the pit uses the width of the phone"
        assert abs(box["width"] - box["height"]) < 1, "the pit stays square"
        assert r.game.evaluate("g => g.scrollWidth <= g.clientWidth + 1"), "nothing sticks out sideways"
        # the canvas is drawn at the screen's pixel density, so it is sharp
        assert r.canvas.evaluate("c => c.width >= 2 * c.clientWidth")
        page.tap("canvas", position={"x": box["width"] * 0.25, "y": box["height"] * 0.25})
        probes = r.probes()
        assert len(probes) == 1 and probes[0]["x"] == pytest.approx(-0.5) and probes[0]["y"] == pytest.approx(0.5)
        # fingertip targets (WCAG 2.5.8: at least 24 CSS px): the found circle, the buttons, the chooser
        found_diameter = FOUND_RADIUS / (r.hi - r.lo) * box["width"] * 2
        print(f"\n  at 390 px: the pit is {box['width']:.0f} px wide, the found circle {found_diameter:.0f} px across")
        assert found_diameter >= 24
        for control in [page.get_by_label("Scenario"), r.button("Reset"), r.button("Give up and reveal")]:
            cbox = control.bounding_box()
            assert cbox["height"] >= 24 and cbox["width"] >= 24, cbox
        # the theme's floating "Back to top" button does not cover the status line: scroll down
        # past the board and back up a little, which is when the theme shows the button
        status = r.game.locator(".sandpit-status")
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(300)
        status.scroll_into_view_if_needed()
        page.mouse.wheel(0, -40)
        page.wait_for_timeout(300)
        top = page.locator("#pst-back-to-top")
        if top.count() and top.is_visible():
            a, b = top.bounding_box(), status.bounding_box()
            overlap = not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                           or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
            assert not overlap, (a, b)
    finally:
        context.close()


CHANGED_REACH = """([cx, cy, ux, uy]) => {
  // walk from (cx, cy) (canvas pixels) along (ux, uy): how far the pixels stay changed since the
  // snapshot taken before the probe, without a gap (within 2 pixels of the ray): the new arrow's reach
  const c = document.querySelector('.sandpit canvas'), ctx = c.getContext('2d');
  const now = ctx.getImageData(0, 0, c.width, c.height).data, before = window.__before;
  const changed = (i, j) => {
    if (i < 0 || j < 0 || i >= c.width || j >= c.height) { return false; }
    const k = 4 * (j * c.width + i);
    return now[k] !== before[k] || now[k + 1] !== before[k + 1] || now[k + 2] !== before[k + 2];
  };
  let t = 0;
  for (; t < c.width * 1.5; t += 1) {
    let any = false;
    for (let o = -2; o <= 2 && !any; o += 1) {
      any = changed(Math.round(cx + t * ux - o * uy), Math.round(cy + t * uy + o * ux));
    }
    if (!any) { break; }
  }
  return t;
}"""


def test_arrows_show_in_the_narrow_well_at_phone_width(browser, site_url):
    """At 390 px every arrow in the narrow well is drawn long enough to see: the pit's own scale
    (from a high percentile of its slopes), and no arrow shorter than ARROW_MIN_PX pixels."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE, wait_until="load")
        r = Reader(page)
        r.choose("Narrow well")
        r.canvas.scroll_into_view_if_needed()
        blurb = _plain(r.game.locator(".sandpit-blurb").inner_text())
        scale = arrow_scale(scenario("narrow-well"))
        assert f"a slope of 1 is drawn {scale:.2f} m long" in blurb, blurb
        box = r.canvas.bounding_box()
        ratio = r.canvas.evaluate("c => c.width / c.clientWidth")
        lengths = []
        for x, y in [(-0.5, -0.3), (0.2, -0.6), (-0.2, 0.1), (-0.7, 0.6), (0.7, -0.1)]:
            r.canvas.evaluate("c => { window.__before = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; }")
            fx, fy = (x - r.lo) / (r.hi - r.lo), (r.hi - y) / (r.hi - r.lo)
            before = len(r.probes())
            page.wait_for_timeout(400)  # two quick taps would read as a double tap
            page.tap("canvas", position={"x": fx * box["width"], "y": fy * box["height"]})
            assert len(r.probes()) == before + 1, r.status()
            p = r.probes()[-1]
            cx = (p["x"] - r.lo) / (r.hi - r.lo) * box["width"] * ratio
            cy = (r.hi - p["y"]) / (r.hi - r.lo) * box["height"] * ratio
            ux, uy = p["dx"] / p["slope"], -p["dy"] / p["slope"]  # canvas y goes down
            reach = page.evaluate(CHANGED_REACH, [cx, cy, ux, uy]) / ratio  # CSS pixels
            drawn = max(p["slope"] * scale / (r.hi - r.lo) * box["width"], ARROW_MIN_PX)
            drawn = min(drawn, ARROW_CAP / (r.hi - r.lo) * box["width"])
            # ... unless the canvas's edge cuts it
            to_edge = min((box["width"] - cx / ratio) / ux if ux > 0 else cx / ratio / -ux if ux < 0 else math.inf,
                          (box["height"] - cy / ratio) / uy if uy > 0 else cy / ratio / -uy if uy < 0 else math.inf)
            lengths.append((round(p["slope"], 2), round(drawn, 1), round(reach, 1)))
            assert min(drawn, to_edge) - 1.5 <= reach <= drawn + 10 and reach >= ARROW_MIN_PX, lengths
        print(f"\n  narrow well at 390 px: (slope, arrow px, drawn reach px) {lengths}")
    finally:
        context.close()


def test_the_game_loads_only_on_its_page_and_weighs_little(page, site_url):
    sizes: dict[str, int] = {}
    page.on("response", lambda resp: sizes.__setitem__(resp.url, len(resp.body())) if resp.ok else None)
    page.goto(site_url + PAGE, wait_until="networkidle")
    Reader(page)
    html = sizes[site_url + PAGE]
    js = {u: n for u, n in sizes.items() if u.endswith("/sandpit.js")}
    css = {u: n for u, n in sizes.items() if u.endswith("/sandpit.css")}
    assert len(js) == 1 and len(css) == 1, "the game's script and style sheet are loaded once each"
    data = len(page.locator("#sandpit-game-data").text_content().encode())
    kb = {"page HTML (with the data)": html, "of which data (JSON)": data,
          "sandpit.js": sum(js.values()), "sandpit.css": sum(css.values())}
    print("\n  the game's weight: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in kb.items())
          + f"; total {(html + sum(js.values()) + sum(css.values())) / 1024:.0f} KB")
    assert data < 300 * 1024 and sum(js.values()) < 40 * 1024 and sum(css.values()) < 10 * 1024
    assert page.external_requests == []
    # ... and no other page loads them
    sizes.clear()
    page.goto(site_url + "book/intro.html", wait_until="networkidle")
    assert not any(u.endswith(("/sandpit.js", "/sandpit.css")) for u in sizes), sorted(sizes)


def test_stuck_only_where_the_arrow_is_short(reader):
    """Near a rock's hollow the game says stuck only where the arrow is short (issue: a long arrow said stuck)."""
    reader.choose("Rocks")
    land = scenario("rocks")  # where the hollows are, to aim at them (the reader would have to search)
    n = round((reader.hi - reader.lo) / reader.spacing) + 1
    nodes = [reader.lo + (reader.hi - reader.lo) * i / (n - 1) for i in range(n)]
    checked = {"stuck": 0, "not stuck": 0}
    for (mx, my), s_m in zip(land.local_minima[:4], land.stuck_slopes[:4]):
        near = [(x, y) for x in nodes for y in nodes if math.hypot(x - mx, y - my) <= FOUND_RADIUS]
        near.sort(key=lambda q: math.hypot(*land.jacobian(*q)))
        for x, y in (near[0], near[-1]):  # the flattest and the steepest survey point near the hollow
            if reader.status().startswith(("Found it", "You gave up")):
                reader.button("Reset").click()
            p = reader.click(x, y)
            stuck = "stuck" in p["text"]
            # eq-p2-sandpit-stuck: within r of this trap and the slope at most its s_m (the log
            # rounds the slope to three decimals)
            assert stuck == (math.hypot(*land.jacobian(x, y)) <= s_m), (p, s_m)
            assert not stuck or p["slope"] <= s_m + 5e-4
            if stuck:
                assert reader.status().startswith("Stuck") and f"slope {p['slope']:.3f}" in reader.status()
            checked["stuck" if stuck else "not stuck"] += 1

    print(f"\n  rocks: probes near hollows {checked}")
    assert checked["stuck"] >= 1


def test_arrows_are_drawn_to_one_scale(reader):
    reader.choose("Bowl")
    blurb = _plain(reader.game.locator(".sandpit-blurb").inner_text())
    assert re.search(r"a slope of 1 is drawn \d+\.\d+ m long", blurb), blurb
    assert f"a slope of 1 is drawn {arrow_scale(scenario('bowl')):.2f} m long" in blurb


def test_nothing_on_the_page_reveals_the_pits_before_a_game(reader):
    """The package's printed probes and the figure of revealed pits sit in folded toggles."""
    page = reader.page
    figure = page.locator("#fig-p2-sandpit-paths")
    assert figure.count() == 1 and not figure.is_visible(), "the revealed pits are folded away"
    found_text = page.get_by_text("found the deepest point!")
    assert found_text.count() >= 1 and not found_text.first.is_visible()
