/* The Taylor explorer: a function, its Taylor polynomial, where the series converges, and the error.
 *
 * Part of "Multivariate Calculus for Machine Learning" (code MIT). Plain JavaScript, nothing
 * fetched: the coefficients and the function's values come from the JSON the page embeds, made by
 * mlcalc.taylor_explorer.explorer_data. This script only evaluates the polynomials (Horner's rule,
 * as mlcalc.taylor_explorer.explorer_readout does) and draws.
 *
 * Use: <div class="taylor-explorer" data-taylor="ID"></div> and <script type="application/json" id="ID">.
 */
(function () {
  "use strict";

  var MINUS = "\u2212";
  var uid = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) { e.setAttribute(key, attrs[key]); }
    }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // Point i of an even grid, rounded to 9 decimals as mlcalc.taylor_explorer.grid_value does,
  // so that a grid of step 0.1 holds 2 itself.
  function grid(spec, i) {
    var v = Math.round((spec[0] + (spec[1] - spec[0]) * i / (spec[2] - 1)) * 1e9) / 1e9;
    return v === 0 ? 0 : v;
  }

  // The grid index nearest to the value v (clamped to the grid).
  function nearest(spec, v) {
    var i = Math.round((v - spec[0]) / (spec[1] - spec[0]) * (spec[2] - 1));
    return Math.min(spec[2] - 1, Math.max(0, i));
  }

  // Where the probe lies, as mlcalc.taylor_explorer.probe_position says.
  var EDGE_TOLERANCE = 1e-9;
  function position(x, a, radius, defined) {
    if (!defined) { return "singular"; }
    if (radius === null) { return "inside"; }
    var d = Math.abs(x - a);
    if (Math.abs(d - radius) <= EDGE_TOLERANCE * radius) { return "edge"; }
    return d < radius ? "inside" : "outside";
  }
  var WHERE = {
    inside: "x is inside the interval of convergence",
    edge: "x is on the edge of the interval of convergence",
    outside: "x is outside the interval of convergence",
    singular: "x is a singularity of f, where no series about a converges"
  };

  function fixed(v, digits) {
    var s = v.toFixed(digits);
    if (Number(s) === 0) { s = s.replace("-", ""); }
    return s.replace("-", MINUS);
  }

  var SUPERSCRIPT = { "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3", "4": "\u2074",
    "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079", "-": "\u207b" };

  // Three significant digits: plain between 0.001 and 1000 ("29.9", "0.345"), else "1.23 × 10⁻¹¹".
  function sci(v) {
    if (!isFinite(v)) { return "undefined"; }
    if (v === 0) { return "0"; }
    var plain = v.toPrecision(3);
    if (Math.abs(v) >= 1e-3 && plain.indexOf("e") < 0) { return plain.replace("-", MINUS); }
    var parts = v.toExponential(2).split("e");
    var exp = String(Number(parts[1])).split("").map(function (ch) { return SUPERSCRIPT[ch]; }).join("");
    return parts[0].replace("-", MINUS) + " \u00d7 10" + exp;
  }

  function horner(coeffs, n, t) {
    var p = 0;
    for (var k = n; k >= 0; k--) { p = p * t + coeffs[k]; }
    return p;
  }

  function css(root, name) { return getComputedStyle(root).getPropertyValue(name).trim() || "#222"; }

  function Explorer(root, data) {
    this.root = root;
    this.data = data;
    this.id = "taylor-" + (++uid);
    this.build();
    this.choose(0, false);
  }

  Explorer.prototype.slider = function (label, name) {
    var id = this.id + "-" + name;
    var wrap = el("div", { "class": "taylor-slider" });
    var lab = el("label", { "for": id }, label);
    var value = el("output", { "for": id, "class": "taylor-value", id: id + "-out" });
    var input = el("input", { type: "range", id: id, min: "0", max: "1", step: "1", value: "0" });
    lab.appendChild(document.createTextNode(" "));
    lab.appendChild(value);
    wrap.appendChild(lab);
    wrap.appendChild(input);
    this.controls.appendChild(wrap);
    var self = this;
    input.addEventListener("input", function () { self.update(); });
    return { input: input, out: value };
  };

  Explorer.prototype.build = function () {
    var root = this.root, self = this;
    root.textContent = "";
    this.controls = el("div", { "class": "taylor-controls" });
    var pick = el("div", { "class": "taylor-slider" });
    var selId = this.id + "-function";
    pick.appendChild(el("label", { "for": selId }, "Function"));
    this.select = el("select", { id: selId });
    this.data.functions.forEach(function (fn, i) {
      self.select.appendChild(el("option", { value: String(i) }, fn.label));
    });
    this.select.addEventListener("change", function () { self.choose(Number(self.select.value), true); });
    pick.appendChild(this.select);
    this.controls.appendChild(pick);
    this.a = this.slider("Expansion point a =", "a");
    this.n = this.slider("Order n =", "n");
    this.x = this.slider("Probe x =", "x");
    this.n.input.max = String(this.data.order);
    root.appendChild(this.controls);
    this.canvas = el("canvas", {
      "class": "taylor-canvas", role: "img",
      "aria-label": "The function (solid), its Taylor polynomial (dashed), the interval where the series converges (shaded) and, below, the error on a log scale. The text below the picture says the same in numbers."
    });
    root.appendChild(this.canvas);
    this.readout = el("p", { "class": "taylor-readout", role: "status", "aria-live": "polite" });
    root.appendChild(this.readout);
    root.appendChild(el("p", { "class": "taylor-help" },
      "Drag the sliders, or focus one and use the arrow keys. Click or tap the picture to move the probe x."));
    this.canvas.addEventListener("click", function (ev) { self.probeAt(ev.clientX); });
    window.addEventListener("resize", function () { self.draw(); });
    if (window.MutationObserver) {
      new MutationObserver(function () { self.draw(); })
        .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    }
  };

  // Show function i. With keep, the order stays and a and x keep their values, moved to the
  // nearest point of the new function's grids (and x off a singularity); otherwise the
  // defaults (middle a, n = 3).
  Explorer.prototype.choose = function (i, keep) {
    var old = keep && this.fn ? this.state() : null;
    this.fn = this.data.functions[i];
    this.select.value = String(i);
    this.a.input.max = String(this.fn.a[2] - 1);
    this.x.input.max = String(this.fn.x[2] - 1);
    if (old) {
      this.a.input.value = String(nearest(this.fn.a, old.a));
      var ix = nearest(this.fn.x, old.x), mid = Math.round((this.fn.x[2] - 1) / 2);
      while (this.fn.f[ix] === null && ix !== mid) { ix += ix < mid ? 1 : -1; }  // not onto a singularity
      this.x.input.value = String(ix);
    } else {
      this.a.input.value = String(Math.round((this.fn.a[2] - 1) / 2));
      this.n.input.value = "3";
      this.x.input.value = String(Math.round((this.fn.x[2] - 1) * 0.75));
    }
    this.update();
  };

  Explorer.prototype.state = function () {
    var ia = Number(this.a.input.value), n = Number(this.n.input.value), ix = Number(this.x.input.value);
    var fn = this.fn, a = grid(fn.a, ia), x = grid(fn.x, ix);
    var c = fn.coefficients[ia], p = horner(c, n, x - a), f = fn.f[ix];
    return { ia: ia, n: n, ix: ix, a: a, x: x, c: c, p: p, f: f, radius: fn.radius[ia],
             error: f === null ? NaN : Math.abs(f - p) };
  };

  Explorer.prototype.update = function () {
    var s = this.state(), fn = this.fn;
    this.a.out.textContent = fixed(s.a, 2);
    this.n.out.textContent = String(s.n);
    this.x.out.textContent = fixed(s.x, 3);
    this.a.input.setAttribute("aria-valuetext", "a = " + fixed(s.a, 2));
    this.x.input.setAttribute("aria-valuetext", "x = " + fixed(s.x, 3));
    var conv = s.radius === null
      ? "The series converges for every x."
      : "The series converges for |x " + MINUS + " a| < " + fixed(s.radius, 3) + " (nearest singularity: " +
        fn.singularities.replace(/-/g, MINUS) + "), from " + fixed(s.a - s.radius, 3) + " to " + fixed(s.a + s.radius, 3) + ".";
    var where = position(s.x, s.a, s.radius, s.f !== null);
    this.root.setAttribute("data-position", where);
    this.readout.textContent = "Order " + s.n + " at a = " + fixed(s.a, 2) + ": at x = " + fixed(s.x, 3) +
      (s.f === null ? ", f(x) is undefined" :
        ", f(x) = " + fixed(s.f, 6) + ", p(x) = " + fixed(s.p, 6) + ", error " + sci(s.error)) +
      " (" + WHERE[where] + "). " + conv;
    this.draw();
  };

  Explorer.prototype.probeAt = function (clientX) {
    var rect = this.canvas.getBoundingClientRect(), fn = this.fn;
    var u = (clientX - rect.left - this.pad.left) / (rect.width - this.pad.left - this.pad.right);
    u = Math.min(1, Math.max(0, u));
    this.x.input.value = String(Math.round(u * (fn.x[2] - 1)));
    this.update();
  };

  Explorer.prototype.draw = function () {
    var canvas = this.canvas, root = this.root, fn = this.fn, s = this.state();
    var w = canvas.clientWidth || 320, h = Math.round(w * 0.9);
    canvas.style.height = h + "px";
    var dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    var ink = css(root, "--taylor-ink"), faint = css(root, "--taylor-grid");
    var cf = css(root, "--taylor-f"), cp = css(root, "--taylor-p"), ce = css(root, "--taylor-error");
    var shade = css(root, "--taylor-shade"), bg = css(root, "--taylor-background");
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, w, h);
    var pad = this.pad = { left: 48, right: 10 };
    var top1 = 8, h1 = Math.round(h * 0.58) - top1, top2 = top1 + h1 + 26, h2 = h - top2 - 22;
    var x0 = fn.x[0], x1 = fn.x[1], y0 = fn.y[0], y1 = fn.y[1];
    var X = function (x) { return pad.left + (x - x0) / (x1 - x0) * (w - pad.left - pad.right); };
    var Y = function (y) { return top1 + (y1 - y) / (y1 - y0) * h1; };
    var E0 = -16, E1 = 2;
    var Ye = function (e) { return top2 + (E1 - e) / (E1 - E0) * h2; };
    ctx.font = "12px system-ui, sans-serif";
    // the interval of convergence, shaded in both panels
    var lo = s.radius === null ? x0 : Math.max(x0, s.a - s.radius), hi = s.radius === null ? x1 : Math.min(x1, s.a + s.radius);
    ctx.fillStyle = shade;
    ctx.fillRect(X(lo), top1, X(hi) - X(lo), h1);
    ctx.fillRect(X(lo), top2, X(hi) - X(lo), h2);
    // axes and labels
    ctx.strokeStyle = faint; ctx.lineWidth = 1; ctx.fillStyle = ink;
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    [y0, 0, y1].forEach(function (v) {
      if (v < y0 || v > y1) { return; }
      ctx.beginPath(); ctx.moveTo(pad.left, Y(v)); ctx.lineTo(w - pad.right, Y(v)); ctx.stroke();
      ctx.fillText(fixed(v, Math.abs(v) < 10 && v % 1 ? 1 : 0), pad.left - 4, Y(v));
    });
    for (var e = E0; e <= E1; e += 4) {
      ctx.beginPath(); ctx.moveTo(pad.left, Ye(e)); ctx.lineTo(w - pad.right, Ye(e)); ctx.stroke();
      ctx.fillText("1e" + String(e).replace("-", MINUS), pad.left - 4, Ye(e));
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    [x0, (x0 + x1) / 2, x1].forEach(function (v, k) {
      ctx.textAlign = ["left", "center", "right"][k];
      ctx.fillText(fixed(v, 1), X(v), top2 + h2 + 4);
    });
    ctx.textAlign = "left";
    ctx.fillText("error |f \u2212 p| (log scale)", pad.left + 4, top2 - 18);
    var count = fn.x[2], xs = [], fs = fn.f, ps = [], es = [];
    for (var i = 0; i < count; i++) {
      var x = grid(fn.x, i);
      xs.push(x);
      ps.push(horner(s.c, s.n, x - s.a));
      es.push(fs[i] === null ? null : Math.abs(fs[i] - ps[i]));
    }
    function curve(values, map, colour, dash, width) {
      ctx.save();
      ctx.beginPath(); ctx.rect(pad.left, map === Y ? top1 : top2, w - pad.left - pad.right, map === Y ? h1 : h2); ctx.clip();
      ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.setLineDash(dash);
      ctx.beginPath();
      var pen = false;
      for (var j = 0; j < count; j++) {
        var v = values[j];
        if (v === null || !isFinite(v)) { pen = false; continue; }
        var yy = map(v);
        yy = Math.max(-1e4, Math.min(1e4, yy));
        if (pen) { ctx.lineTo(X(xs[j]), yy); } else { ctx.moveTo(X(xs[j]), yy); pen = true; }
      }
      ctx.stroke();
      ctx.restore();
    }
    curve(fs, Y, cf, [], 2.5);
    curve(ps, Y, cp, [7, 4], 2.5);
    curve(es.map(function (v) { return v === null ? null : Math.log10(Math.max(v, 1e-17)); }), Ye, ce, [], 2);
    // the expansion point and the probe
    ctx.strokeStyle = ink; ctx.setLineDash([2, 3]); ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(X(s.x), top1); ctx.lineTo(X(s.x), top2 + h2); ctx.stroke();
    ctx.setLineDash([]);
    var fa = s.c[0];
    if (fa >= y0 && fa <= y1) {
      ctx.fillStyle = cp; ctx.beginPath(); ctx.arc(X(s.a), Y(fa), 5, 0, 2 * Math.PI); ctx.fill();
    }
    if (isFinite(s.error)) {
      ctx.fillStyle = ce; ctx.beginPath();
      ctx.arc(X(s.x), Ye(Math.min(E1, Math.max(E0, Math.log10(Math.max(s.error, 1e-17))))), 4, 0, 2 * Math.PI); ctx.fill();
    }
    // legend
    ctx.textBaseline = "top"; ctx.font = "12px system-ui, sans-serif";
    var lx = pad.left + 6, ly = top1 + 4;
    [[cf, [], "f"], [cp, [7, 4], "Taylor polynomial"]].forEach(function (item, k) {
      ctx.strokeStyle = item[0]; ctx.setLineDash(item[1]); ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.moveTo(lx, ly + 7 + k * 16); ctx.lineTo(lx + 22, ly + 7 + k * 16); ctx.stroke();
      ctx.fillStyle = ink; ctx.fillText(item[2], lx + 28, ly + k * 16);
    });
    ctx.setLineDash([]);
    ctx.fillStyle = shade; ctx.fillRect(lx, ly + 34, 22, 12);
    ctx.strokeStyle = faint; ctx.strokeRect(lx, ly + 34, 22, 12);
    ctx.fillStyle = ink; ctx.fillText("series converges", lx + 28, ly + 32);
  };

  function start() {
    var roots = document.querySelectorAll("[data-taylor]");
    for (var i = 0; i < roots.length; i++) {
      var root = roots[i];
      if (root.getAttribute("data-taylor-ready")) { continue; }
      var source = document.getElementById(root.getAttribute("data-taylor"));
      if (!source) { continue; }
      root.setAttribute("data-taylor-ready", "1");
      new Explorer(root, JSON.parse(source.textContent));
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
