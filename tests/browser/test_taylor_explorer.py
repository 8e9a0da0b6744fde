"""The Taylor explorer (Part 4, page 07) driven in a real browser, as a reader would use it.

The tests move the controls with the mouse, the keyboard and touch, read the readout line, and
check its error against Python's value for the same settings, computed from scratch with
``mlcalc.taylor.taylor_polynomial`` (the page's exported data is used only to turn slider
positions into numbers). Run with ``-s`` to see the settings compared and the page's weight.
"""

from __future__ import annotations

import gzip
import json
import math
import re

import numpy as np
import pytest

from mlcalc.taylor import taylor_polynomial
from mlcalc.taylor_explorer import CATALOGUE
from test_sandpit_page import contrast

PAGE = "book/part4-taylor/07-taylor-explorer.html"
READOUT = re.compile(
    r"Order (?P<n>\d+) at a = (?P<a>-?[\d.]+): at x = (?P<x>-?[\d.]+), f\(x\) = (?P<f>-?[\d.]+), "
    r"p\(x\) = (?P<p>-?[\d.]+), error (?P<err>[\d.]+(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?) "
    r"\(x is (?P<where>inside|on the edge of|outside) the interval"
)
SINGULAR = re.compile(r"at x = (?P<x>-?[\d.]+), f\(x\) is undefined \(x is a singularity of f")
POSITION = {"inside": "inside", "on the edge of": "edge", "outside": "outside"}
_SUPER = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def _plain(text: str) -> str:
    return text.replace("\u2212", "-")


def _number(text: str) -> float:
    """A readout number: "29.9", "0.345" or "1.23 × 10⁻¹¹"."""
    if " × 10" in text:
        mantissa, power = text.split(" × 10")
        return float(mantissa) * 10.0 ** int(power.translate(_SUPER))
    return float(text)


def grid(spec, i):
    return round(spec[0] + (spec[1] - spec[0]) * i / (spec[2] - 1), 9) + 0.0


class Explorer:
    def __init__(self, page):
        self.page = page
        self.root = page.locator(".taylor-explorer")
        self.root.locator("canvas").wait_for()
        self.canvas = self.root.locator("canvas")
        self.data = json.loads(page.locator("#taylor-explorer-data").text_content())
        self.select = page.get_by_label("Function", exact=True)
        self.sliders = {
            "a": page.get_by_label(re.compile("^Expansion point")),
            "n": page.get_by_label(re.compile("^Order")),
            "x": page.get_by_label(re.compile("^Probe")),
        }

    def choose(self, key):
        index = [e["key"] for e in self.data["functions"]].index(key)
        self.select.select_option(str(index))
        return self

    def entry(self):
        return self.data["functions"][int(self.select.input_value())]

    def index(self, name) -> int:
        return int(self.sliders[name].input_value())

    def readout(self) -> dict:
        text = _plain(self.root.locator(".taylor-readout").inner_text())
        m = READOUT.search(text)
        assert m, text
        return {"text": text, "n": int(m["n"]), "a": float(m["a"]), "x": float(m["x"]),
                "f": float(m["f"]), "p": float(m["p"]), "error": _number(m["err"]),
                "inside": m["where"] == "inside", "position": POSITION[m["where"]]}

    def settings(self):
        """The numbers behind the slider positions (from the page's data), and the readout."""
        e = self.entry()
        return e["key"], grid(e["a"], self.index("a")), self.index("n"), grid(e["x"], self.index("x"))

    def set_index(self, name, i):
        """Move a slider to position i with the keyboard (Home, then arrows)."""
        self.press(name, "Home")
        self.press(name, "ArrowRight", i)
        assert self.index(name) == i

    def press(self, name, key, times=1):
        self.sliders[name].focus()
        for _ in range(times):
            self.page.keyboard.press(key)

    def drag(self, name, fraction):
        """Click the slider's track at a fraction of its width, as a mouse user would."""
        box = self.sliders[name].bounding_box()
        self.page.mouse.click(box["x"] + 8 + fraction * (box["width"] - 16), box["y"] + box["height"] / 2)

    def check_against_python(self):
        key, a, n, x = self.settings()
        r = self.readout()
        f = CATALOGUE[key].f
        want_f = float(np.real(f(complex(x))))
        want_p = float(taylor_polynomial(f, a, n)(x))
        want = abs(want_f - want_p)
        print(f"\n  {key}: a = {a:g}, n = {n}, x = {x:g}: readout error {r['error']:.3g}, Python {want:.3g}")
        assert r["n"] == n and r["a"] == a and r["x"] == x      # the grids print exactly
        assert r["f"] == pytest.approx(want_f, abs=1e-6) and r["p"] == pytest.approx(want_p, rel=1e-6, abs=1e-6)
        if want > 1e-12:  # the readout shows three significant digits
            assert r["error"] == pytest.approx(want, rel=6e-3)
        else:
            assert r["error"] < 1e-11
        radius = CATALOGUE[key].radius_at(a)
        d = abs(x - a)
        if math.isinf(radius):
            want_pos = "inside"
        else:
            want_pos = "edge" if abs(d - radius) <= 1e-9 * radius else ("inside" if d < radius else "outside")
        assert r["position"] == want_pos, r["text"]
        assert "e" not in r["text"].split("error ")[1].split(" ")[0], "no 1.06e0-style numbers"
        return r


@pytest.fixture
def explorer(page, site_url):
    response = page.goto(site_url + PAGE, wait_until="load")
    assert response is not None and response.ok
    ex = Explorer(page)
    ex.canvas.scroll_into_view_if_needed()
    yield ex
    assert page.external_requests == [], f"requests to other hosts: {page.external_requests}"
    assert page.console_errors == [], f"console errors: {page.console_errors}"


def test_keyboard_moves_every_control_and_the_readout_agrees_with_python(explorer):
    ex = explorer.choose("sigmoid")
    ex.check_against_python()
    before = ex.canvas.screenshot()
    ex.press("n", "ArrowRight", 6)          # order 3 -> 9
    assert ex.index("n") == 9
    assert ex.canvas.screenshot() != before, "the picture is redrawn"
    ex.check_against_python()
    ex.press("x", "End")                     # probe at the right end, x = 10: outside |x| < pi
    r = ex.check_against_python()
    assert not r["inside"]
    error_outside_9 = r["error"]
    ex.press("n", "ArrowRight", 4)           # raising the order outside makes it worse
    assert ex.check_against_python()["error"] > error_outside_9
    ex.press("x", "Home")
    ex.press("x", "ArrowRight", 140)         # x = -10 + 140 * 0.05 = -3: inside |x| < pi
    r = ex.check_against_python()
    assert r["inside"]
    ex.press("a", "ArrowLeft", 3)            # a from 0 to -0.75
    ex.check_against_python()


def test_mouse_drags_sliders_and_clicks_the_picture(explorer):
    ex = explorer.choose("log1p")
    ex.drag("n", 0.75)
    ex.drag("a", 0.2)
    ex.drag("x", 0.9)
    assert ex.index("n") not in (0, 3) and ex.index("x") > 0.8 * (ex.entry()["x"][2] - 1)
    ex.check_against_python()
    box = ex.canvas.bounding_box()
    ex.page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    ex.check_against_python()
    assert ex.index("x") < 0.5 * (ex.entry()["x"][2] - 1), "a click moves the probe"


@pytest.mark.parametrize("key", list(CATALOGUE))
def test_every_function_at_two_orders(explorer, key):
    ex = explorer.choose(key)
    ex.press("n", "Home")
    ex.check_against_python()
    ex.press("n", "End")
    assert ex.index("n") == ex.data["order"] >= 15
    ex.press("x", "ArrowLeft", 30)
    ex.check_against_python()


def test_the_explorer_is_labelled_for_assistive_technology(explorer):
    ex = explorer
    for slider in ex.sliders.values():
        assert slider.evaluate("e => e.tagName === 'INPUT' && e.type === 'range'")
    assert ex.select.count() == 1
    readout = ex.root.locator(".taylor-readout")
    assert readout.get_attribute("role") == "status" and readout.get_attribute("aria-live") == "polite"
    assert ex.canvas.get_attribute("role") == "img" and "error" in ex.canvas.get_attribute("aria-label")
    assert "x = " in (ex.sliders["x"].get_attribute("aria-valuetext") or "")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_readable_in_light_and_dark_mode(explorer, theme):
    page = explorer.page
    page.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    for selector in (".taylor-readout", ".taylor-help", ".taylor-slider label"):
        ratio = contrast(explorer.root.locator(selector).first)
        assert ratio >= 4.5, f"{theme}: {selector} has contrast {ratio:.2f}"
    ratio = contrast(explorer.select)
    assert ratio >= 4.5, f"{theme}: the menu has contrast {ratio:.2f}"
    # the canvas is painted with the theme's background
    corner = explorer.canvas.evaluate(
        "c => Array.from(c.getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3))")
    assert (sum(corner) > 600) == (theme == "light"), corner


def test_fits_a_phone_and_works_by_touch(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE, wait_until="load")
        ex = Explorer(page)
        ex.canvas.scroll_into_view_if_needed()
        box = ex.canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5 and box["width"] >= 280, box
        assert ex.root.evaluate("g => g.scrollWidth <= g.clientWidth + 1"), "nothing sticks out sideways"
        assert page.evaluate("document.documentElement.scrollWidth <= 391")
        assert ex.canvas.evaluate("c => c.width >= 2 * c.clientWidth - 1"), "drawn at the screen's density"
        before = ex.index("x")
        page.tap(".taylor-canvas", position={"x": box["width"] * 0.2, "y": box["height"] * 0.5})
        assert ex.index("x") < before
        ex.check_against_python()
        s = ex.sliders["n"].bounding_box()
        page.tap("#" + ex.sliders["n"].get_attribute("id"), position={"x": s["width"] - 6, "y": s["height"] / 2})
        assert ex.index("n") >= ex.data["order"] - 1
        ex.check_against_python()
    finally:
        context.close()


def test_loaded_only_on_its_page_and_its_weight(page, site_url):
    sizes: dict[str, bytes] = {}
    page.on("response", lambda resp: sizes.__setitem__(resp.url, resp.body()) if resp.ok else None)
    page.goto(site_url + PAGE, wait_until="networkidle")
    Explorer(page)
    html = sizes[site_url + PAGE]
    js = [b for u, b in sizes.items() if u.endswith("/taylor.js")]
    css = [b for u, b in sizes.items() if u.endswith("/taylor.css")]
    assert len(js) == 1 and len(css) == 1, "the explorer's script and style sheet are loaded once each"
    data = page.locator("#taylor-explorer-data").text_content().encode()
    parts = {"page HTML (with the data)": html, "of which data (JSON)": data, "taylor.js": js[0], "taylor.css": css[0]}
    print("\n  the explorer's weight: " + ", ".join(
        f"{k} {len(v) / 1024:.0f} KB ({len(gzip.compress(v)) / 1024:.0f} KB gzip)" for k, v in parts.items()))
    assert len(data) < 300 * 1024 and len(js[0]) < 40 * 1024 and len(css[0]) < 10 * 1024
    assert page.external_requests == []
    sizes.clear()
    page.goto(site_url + "book/intro.html", wait_until="networkidle")
    assert not any(u.endswith(("/taylor.js", "/taylor.css")) for u in sizes), sorted(sizes)


def test_the_singularity_and_the_edge_are_named(explorer):
    ex = explorer.choose("log1p")
    e = ex.entry()
    a_values = [grid(e["a"], i) for i in range(e["a"][2])]
    x_values = [grid(e["x"], i) for i in range(e["x"][2])]
    for a in (-0.8, 1.1):                    # the review's cases: x = -1 was called "inside"
        ex.set_index("a", a_values.index(a))
        ex.press("x", "Home")
        text = _plain(ex.root.locator(".taylor-readout").inner_text())
        m = SINGULAR.search(text)
        assert m and float(m["x"]) == -1.0, text
        assert "inside" not in text
    ex.set_index("a", a_values.index(0.5))   # radius 1.5: the right end of the interval is x = 2
    ex.set_index("x", x_values.index(2.0))
    assert ex.check_against_python()["position"] == "edge"
    ex.press("x", "ArrowRight")
    assert ex.check_against_python()["position"] == "outside"


def test_a_equal_to_two_is_reachable_for_the_exercise(explorer):
    ex = explorer.choose("log1p")
    e = ex.entry()
    ex.set_index("a", [grid(e["a"], i) for i in range(e["a"][2])].index(2.0))
    ex.set_index("x", [grid(e["x"], i) for i in range(e["x"][2])].index(2.0))
    ex.press("n", "Home")
    ex.press("n", "ArrowRight", 5)
    r = ex.check_against_python()
    assert r["a"] == 2.0 and r["x"] == 2.0 and r["n"] == 5 and r["error"] < 1e-14


def test_changing_the_function_keeps_the_order_and_the_points(explorer):
    ex = explorer.choose("exp")
    ex.press("n", "Home")
    ex.press("n", "ArrowRight", 7)
    e = ex.entry()
    ex.set_index("a", [grid(e["a"], i) for i in range(e["a"][2])].index(1.0))
    ex.set_index("x", [grid(e["x"], i) for i in range(e["x"][2])].index(2.0))
    ex.choose("sigmoid")
    key, a, n, x = ex.settings()
    assert (key, a, n, x) == ("sigmoid", 1.0, 7, 2.0)
    ex.check_against_python()
    ex.choose("geometric")                  # a = 1 is outside its range -3.2 .. 0.8: clamped;
    key, a, n, x = ex.settings()            # x = 2 clamped to 1, the pole, then one step inward
    assert (a, n, x) == (0.8, 7, 0.99)
    ex.check_against_python()
    ex.choose("gaussian")
    assert ex.settings()[2] == 7
    ex.check_against_python()


PART4_PAGES = [
    "01-approximating-functions", "02-taylor-coefficients", "03-where-series-fail", "04-how-accurate",
    "05-linearisation", "06-multivariate-taylor", "07-taylor-explorer",
]


@pytest.mark.parametrize("name", PART4_PAGES)
def test_no_answer_shows_between_an_exercise_and_its_solution(page, site_url, name):
    """Issue 12: between an exercise box and its solution the reader sees only the runnable
    template and its self-check, which says "not yet" (it never prints the answer)."""
    page.goto(site_url + f"book/part4-taylor/{name}.html", wait_until="load")
    outputs = page.evaluate("""() => {
        const found = [];
        for (const ex of document.querySelectorAll("div.exercise")) {
            for (let el = ex.nextElementSibling; el && !el.classList.contains("solution")
                 && !el.classList.contains("exercise"); el = el.nextElementSibling) {
                // textContent, not innerText: a section the page has not laid out yet (content-visibility)
                // has no innerText, and would pass for an empty output
                el.querySelectorAll(".cell_output").forEach(o => found.push([ex.id, o.textContent.trim()]));
            }
        }
        return found;
    }""")
    for label, text in outputs:
        assert text.startswith("not yet"), f"{name}, {label}: {text[:80]!r} is shown before the solution"
    assert page.locator("div.exercise").count() >= 2
