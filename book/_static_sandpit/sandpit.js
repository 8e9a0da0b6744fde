/* The Sandpit: find the deepest point of a hidden pit by probing it.
 *
 * Part of "Multivariate Calculus for Machine Learning" (code MIT). Plain JavaScript, no
 * framework, nothing fetched: every number comes from the JSON that the page embeds, made by
 * the Python package (mlcalc.sandpit.export). This script only decodes it, draws, and
 * applies the found/stuck rule that mlcalc.sandpit.Landscape.status defines. Two uses:
 * the game (data from browser_data: probe a hidden pit) and the strategy viewer (data from
 * strategy_data: watch the paths that mlcalc.sandpit.score computed).
 *
 * Use: <div class="sandpit" data-sandpit="ID"></div> and <script type="application/json" id="ID">.
 */
(function () {
  "use strict";

    var MINUS = "\u2212";
  var VIRIDIS = [ // viridis at 9 stops; the game shows it reversed: darker is deeper
    [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
    [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]
  ];

  /* ---- decoding (the inverse of mlcalc.sandpit.export._encode; see decode_grid) ---- */

  /* Redraw when the board changes size or the reader switches light/dark mode (game and viewer alike). */
  function redrawOnResizeAndTheme(board, draw) {
    if (window.ResizeObserver) {
      new ResizeObserver(draw).observe(board);
    } else {
      window.addEventListener("resize", draw);
    }
    new MutationObserver(draw)
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  function decodeGrid(entry, n) { // q = r + left + below - below-left, row by row
    var r = entry.residuals, q = new Float64Array(n * n);
    if (r.length !== n * n) { throw new Error("expected " + n * n + " values, got " + r.length); }
    for (var j = 0; j < n; j++) {
      for (var i = 0; i < n; i++) {
        var left = i > 0 ? q[j * n + i - 1] : 0;
        var below = j > 0 ? q[(j - 1) * n + i] : 0;
        var diag = i > 0 && j > 0 ? q[(j - 1) * n + i - 1] : 0;
        q[j * n + i] = r[j * n + i] + left + below - diag;
      }
    }
    var v = new Float64Array(n * n);
    for (var k = 0; k < n * n; k++) { v[k] = q[k] * entry.step; }
    return v;
  }

  /* ---- small helpers ---- */

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) { e.setAttribute(key, attrs[key]); }
    }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function num(v, digits) {
    var s = v.toFixed(digits === undefined ? 3 : digits);
    if (Number(s) === 0) { s = s.replace("-", ""); }
    return s.replace("-", MINUS);
  }

  function colour(t) { // t in [0, 1]: 0 shallow (yellow) .. 1 deep (dark purple)
    var u = Math.min(1, Math.max(0, 1 - t)) * (VIRIDIS.length - 1);
    var i = Math.min(VIRIDIS.length - 2, Math.floor(u)), f = u - i;
    var a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
  }

  var uid = 0;

  /* ---- one game ---- */

  function Game(root, data) {
    this.root = root;
    this.data = data;
    this.n = data.n;
    this.lo = data.bounds[0];
    this.hi = data.bounds[1];
    this.cache = {};
    this.byScenario = {};
    for (var k = 0; k < data.landscapes.length; k++) {
      var L = data.landscapes[k];
      (this.byScenario[L.scenario] = this.byScenario[L.scenario] || []).push(L);
    }
    this.scenarioKey = data.scenarios[0];
    this.variant = 0;
    this.build();
    this.load();
  }

  Game.prototype.build = function () {
    var self = this, id = "sandpit-" + (++uid);
    this.root.textContent = "";
    this.root.classList.add("sandpit-ready");

    var controls = el("div", { "class": "sandpit-controls" });
    var label = el("label", { "for": id + "-scenario" }, "Scenario ");
    this.select = el("select", { id: id + "-scenario" });
    this.data.scenarios.forEach(function (key) {
      var option = el("option", { value: key }, self.byScenario[key][0].title.replace(/ \d+$/, ""));
      self.select.appendChild(option);
    });
    this.newPit = el("button", { type: "button", "class": "sandpit-new" }, "New pit");
    this.resetButton = el("button", { type: "button", "class": "sandpit-reset" }, "Reset");
    this.giveUp = el("button", { type: "button", "class": "sandpit-giveup" }, "Give up and reveal");
    controls.appendChild(label);
    controls.appendChild(this.select);
    controls.appendChild(this.newPit);
    controls.appendChild(this.resetButton);
    controls.appendChild(this.giveUp);

    this.blurb = el("p", { "class": "sandpit-blurb" });
    var board = el("div", { "class": "sandpit-board" });
    this.help = el("p", { "class": "sandpit-help", id: id + "-help" },
      "Click or tap the pit to probe it. With the keyboard: focus the pit, move the cursor with " +
      "the arrow keys (Shift + arrow: 5 steps) and press Enter or Space to probe.");
    this.canvas = el("canvas", {
      "class": "sandpit-canvas", tabindex: "0", role: "application",
      "aria-describedby": id + "-cursor " + id + "-help"
    });
    board.appendChild(this.canvas);

    var readout = el("p", { "class": "sandpit-readout" });
    this.counter = el("span", { "class": "sandpit-count" });
    this.cursorText = el("span", { "class": "sandpit-cursor", id: id + "-cursor" });
    readout.appendChild(this.counter);
    readout.appendChild(document.createTextNode(" \u00b7 "));
    readout.appendChild(this.cursorText);

    this.status = el("p", { "class": "sandpit-status", role: "status" });
    var logBox = el("div", { "class": "sandpit-logbox" });
    logBox.appendChild(el("p", { "class": "sandpit-loghead", id: id + "-loghead" }, "Probe log"));
    this.log = el("ol", {
      "class": "sandpit-log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-labelledby": id + "-loghead"
    });
    logBox.appendChild(this.log);

    [controls, this.blurb, board, readout, this.status, this.help, logBox].forEach(function (node) {
      self.root.appendChild(node);
    });

    this.select.addEventListener("change", function () {
      self.scenarioKey = self.select.value;
      self.variant = 0;
      self.load();
    });
    this.newPit.addEventListener("click", function () {
      var list = self.byScenario[self.scenarioKey];
      self.variant = (self.variant + 1) % list.length;
      self.load();
      self.say("A new pit: number " + (self.variant + 1) + " of the " + list.length +
        " random pits made when this page was built.");
    });
    this.resetButton.addEventListener("click", function () { self.load(); });
    this.giveUp.addEventListener("click", function () {
      if (self.over) { return; }
      self.finish("You gave up after " + self.probes.length + " probe" +
        (self.probes.length === 1 ? "" : "s") + ". The deepest point, " +
        num(self.land.minimum_depth) + " m, is at (" + num(self.land.minimum[0]) + ", " +
        num(self.land.minimum[1]) + "): the star on the map.");
    });

    this.canvas.addEventListener("click", function (ev) {
      var rect = self.canvas.getBoundingClientRect();
      self.moveTo(self.nodeAt((ev.clientX - rect.left) / rect.width, (ev.clientY - rect.top) / rect.height));
      self.probe();
    });
    this.canvas.addEventListener("pointermove", function (ev) {
      if (ev.pointerType !== "mouse") { return; }
      var rect = self.canvas.getBoundingClientRect();
      self.moveTo(self.nodeAt((ev.clientX - rect.left) / rect.width, (ev.clientY - rect.top) / rect.height));
    });
    this.canvas.addEventListener("keydown", function (ev) {
      var step = ev.shiftKey ? 5 : 1, c = self.cursor;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      if (moves[ev.key]) {
        ev.preventDefault();
        self.moveTo([c[0] + moves[ev.key][0], c[1] + moves[ev.key][1]]);
      } else if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        self.probe();
      }
    });

    redrawOnResizeAndTheme(board, function () { self.draw(); });
  };

  Game.prototype.load = function () {
    var list = this.byScenario[this.scenarioKey];
    var L = list[this.variant];
    this.select.value = this.scenarioKey;
    this.newPit.disabled = list.length < 2;
    this.newPit.hidden = list.length < 2;
    if (!this.cache[L.key]) {
      this.cache[L.key] = {
        depth: decodeGrid(L.depth, this.n),
        gx: L.arrows ? decodeGrid(L.gx, this.n) : null,
        gy: L.arrows ? decodeGrid(L.gy, this.n) : null
      };
    }
    this.land = L;
    this.grid = this.cache[L.key];
    this.probes = [];
    this.over = false;
    this.revealed = false;
    this.cursor = [(this.n - 1) / 2, (this.n - 1) / 2];
    this.log.textContent = "";
    this.blurb.textContent = L.title + ": " + L.description +
      (L.arrows ? " Each probe shows the depth and an arrow pointing downhill, \u2212\u2207f, drawn to " +
        "scale in this pit: a slope of 1 is drawn " + num(L.arrow_scale, 2) + " m long (the pit is " +
        num(this.hi - this.lo, 0) + " m wide); no arrow is drawn longer than " + num(L.arrow_cap, 1) +
        " m or shorter than " + num(L.arrow_min_px, 0) + " pixels, and the log gives every slope."
        : " Each probe shows the depth only.");
    this.canvas.setAttribute("aria-label", "The hidden sandpit, " + L.title + ": a square from " +
      num(this.lo, 0) + " to " + num(this.hi, 0) + " metres in x and y, surveyed at " + this.n +
      " by " + this.n + " points. Probe it to find the deepest point.");
    this.say("Find the deepest point in as few probes as possible.");
    this.update();
  };

  /* ---- coordinates ---- */

  Game.prototype.coord = function (i) { // the node formula of mlcalc.sandpit.grid_nodes
    return this.lo + (this.hi - this.lo) * i / (this.n - 1);
  };

  Game.prototype.nodeAt = function (fx, fy) { // fractions of the canvas from its top-left corner
    var m = this.n - 1;
    return [Math.round(fx * m), Math.round((1 - fy) * m)];
  };

  Game.prototype.moveTo = function (node) {
    var m = this.n - 1;
    this.cursor = [Math.min(m, Math.max(0, node[0])), Math.min(m, Math.max(0, node[1]))];
    this.update();
  };

  /* ---- the rules (mlcalc.sandpit.Landscape.status) ---- */

  Game.prototype.statusAt = function (x, y, k) { // k: the survey point's index, for the slope there
    var L = this.land, r2 = L.radius * L.radius;
    var dx = x - L.minimum[0], dy = y - L.minimum[1];
    if (dx * dx + dy * dy <= r2) { return "found"; }
    // stuck: within r of a trap m, and the slope at most that trap's s_m (its quadratic model's slope at r)
    var slope2 = this.grid.gx ? this.grid.gx[k] * this.grid.gx[k] + this.grid.gy[k] * this.grid.gy[k] : 0;
    for (var k2 = 0; k2 < L.local_minima.length; k2++) {
      dx = x - L.local_minima[k2][0];
      dy = y - L.local_minima[k2][1];
      var s = L.stuck_slopes[k2];
      if (dx * dx + dy * dy <= r2 && slope2 <= s * s) { return "stuck"; }
    }
    return "searching";
  };

  Game.prototype.probe = function () {
    if (this.over) {
      this.say("This game is over: press Reset to play again, or choose another scenario.");
      return;
    }
    var i = this.cursor[0], j = this.cursor[1], k = j * this.n + i;
    var p = {
      number: this.probes.length + 1, i: i, j: j, x: this.coord(i), y: this.coord(j),
      depth: this.grid.depth[k],
      dx: this.grid.gx ? -this.grid.gx[k] : null,
      dy: this.grid.gy ? -this.grid.gy[k] : null
    };
    p.status = this.statusAt(p.x, p.y, k);
    this.probes.push(p);
    var text = "Probe " + p.number + " at (" + num(p.x) + ", " + num(p.y) + "): depth " + num(p.depth) + " m";
    if (p.dx !== null) {
      p.slope = Math.sqrt(p.dx * p.dx + p.dy * p.dy);
      text += "; downhill \u2212\u2207f = (" + num(p.dx) + ", " + num(p.dy) + "), slope " + num(p.slope);
    }
    if (p.status === "found") { text += " \u2014 found!"; }
    if (p.status === "stuck") { text += " \u2014 stuck at a local minimum"; }
    var item = el("li", { "class": "sandpit-" + p.status }, text);
    this.log.appendChild(item);
    this.log.scrollTop = this.log.scrollHeight;
    if (p.status === "found") {
      this.finish("Found it in " + p.number + " probe" + (p.number === 1 ? "" : "s") + "! Probe " +
        p.number + " is within " + num(this.land.radius, 2) + " m of the deepest point, " +
        num(this.land.minimum_depth) + " m deep at (" + num(this.land.minimum[0]) + ", " +
        num(this.land.minimum[1]) + "). The whole pit is revealed.");
      return;
    }
    if (p.status === "stuck") {
      var L = this.land, limit = null;
      for (var t = 0; t < L.local_minima.length && limit === null; t++) {
        var ddx = p.x - L.local_minima[t][0], ddy = p.y - L.local_minima[t][1];
        if (ddx * ddx + ddy * ddy <= L.radius * L.radius && (p.dx === null || p.slope <= L.stuck_slopes[t])) {
          limit = L.stuck_slopes[t];
        }
      }
      this.say("Stuck: probe " + p.number + " is within " + num(L.radius, 2) +
        " m of the bottom of a hollow, " + num(p.depth) + " m deep" +
        (p.dx !== null ? ", and its arrow is short for that hollow (slope " + num(p.slope) + ", at most " +
          num(limit, 2) + " this close to its bottom)" : "") +
        ". That bottom is a local minimum: the ground rises all round it, but the pit is deeper somewhere else.");
    } else {
      this.say("Probe " + p.number + ": depth " + num(p.depth) + " m. Keep looking.");
    }
    this.update();
  };

  Game.prototype.finish = function (message) {
    this.over = true;
    this.revealed = true;
    this.say(message);
    this.update();
  };

  Game.prototype.say = function (message) { this.status.textContent = message; };

  Game.prototype.update = function () {
    var c = this.cursor;
    this.counter.textContent = "Probes used: " + this.probes.length;
    this.cursorText.textContent = "Cursor at (" + num(this.coord(c[0])) + ", " + num(this.coord(c[1])) + ")";
    this.giveUp.disabled = this.over;
    this.root.classList.toggle("sandpit-over", this.over);
    this.draw();
  };

  /* ---- drawing ---- */

  Game.prototype.colours = function () {
    var style = getComputedStyle(this.root), out = {};
    ["sand", "grid", "ink", "probe", "arrow", "cursor", "star", "local", "halo"].forEach(function (k) {
      out[k] = style.getPropertyValue("--sandpit-" + k).trim() || "#000";
    });
    return out;
  };

  Game.prototype.draw = function () {
    var canvas = this.canvas, ratio = window.devicePixelRatio || 1;
    var size = Math.max(1, Math.round(canvas.clientWidth * ratio));
    if (canvas.width !== size || canvas.height !== size) { canvas.width = size; canvas.height = size; }
    if (!this.land) { return; }
    var ctx = canvas.getContext("2d"), col = this.colours(), self = this;
    var W = size, span = this.hi - this.lo;
    var px = function (x) { return (x - self.lo) / span * W; };
    var py = function (y) { return (self.hi - y) / span * W; };
    var unit = W / 100;

    ctx.clearRect(0, 0, W, W);
    if (this.revealed) {
      this.drawMap(ctx, W);
    } else {
      ctx.fillStyle = col.sand;
      ctx.fillRect(0, 0, W, W);
    }
    ctx.strokeStyle = this.revealed ? "rgba(255,255,255,0.35)" : col.grid;
    ctx.lineWidth = Math.max(1, unit * 0.15);
    for (var g = -0.5; g <= 0.5; g += 0.5) {
      ctx.beginPath();
      ctx.moveTo(px(g), 0); ctx.lineTo(px(g), W);
      ctx.moveTo(0, py(g)); ctx.lineTo(W, py(g));
      ctx.stroke();
    }

    if (this.revealed) { drawMinima(ctx, this.land, px, py, W / span, unit, col); }

    // the path of probes, then the probes and their arrows
    if (this.probes.length > 1) {
      ctx.strokeStyle = col.probe;
      ctx.globalAlpha = 0.55;
      ctx.lineWidth = Math.max(1, unit * 0.3);
      ctx.beginPath();
      this.probes.forEach(function (p, k) {
        if (k === 0) { ctx.moveTo(px(p.x), py(p.y)); } else { ctx.lineTo(px(p.x), py(p.y)); }
      });
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    var last = this.probes.length - 1;
    this.probes.forEach(function (p, k) {
      if (p.dx !== null) {
        arrow(ctx, px(p.x), py(p.y), p.dx, -p.dy, self.land.arrow_scale / span * W, unit, col.arrow, col.halo,
          self.land.arrow_min_px * ratio, self.land.arrow_cap / span * W);
      }
      ctx.beginPath();
      ctx.arc(px(p.x), py(p.y), unit * (k === last ? 1.3 : 0.9), 0, 2 * Math.PI);
      ctx.fillStyle = col.probe;
      ctx.fill();
      ctx.lineWidth = Math.max(1, unit * 0.3);
      ctx.strokeStyle = col.halo;
      ctx.stroke();
    });
    if (this.revealed && this.probes.length <= 60) { // number the probes on the map
      ctx.font = Math.round(unit * 2.6) + "px sans-serif";
      ctx.textBaseline = "bottom";
      ctx.lineWidth = Math.max(2, unit * 0.6);
      var placed = []; // label positions so far: a label that would overlap one is left out
      this.probes.slice().reverse().forEach(function (p) {
        var lx = px(p.x) + unit * 1.2, ly = py(p.y) - unit * 0.6;
        for (var q = 0; q < placed.length; q++) {
          if (Math.abs(placed[q][0] - lx) < unit * 4 && Math.abs(placed[q][1] - ly) < unit * 2.6) { return; }
        }
        placed.push([lx, ly]);
        ctx.strokeStyle = col.halo;
        ctx.strokeText(String(p.number), lx, ly);
        ctx.fillStyle = col.ink;
        ctx.fillText(String(p.number), lx, ly);
      });
    }

    if (!this.over) { // the cursor: a square around the current survey point
      var cx = px(this.coord(this.cursor[0])), cy = py(this.coord(this.cursor[1])), h = unit * 2;
      ctx.lineWidth = Math.max(1.5, unit * 0.4);
      ctx.strokeStyle = col.halo;
      ctx.strokeRect(cx - h - 1, cy - h - 1, 2 * h + 2, 2 * h + 2);
      ctx.strokeStyle = col.cursor;
      ctx.strokeRect(cx - h, cy - h, 2 * h, 2 * h);
    }
  };

  Game.prototype.drawMap = function (ctx, W) {
    var n = this.n, depth = this.grid.depth, top = Infinity, bottom = -Infinity;
    for (var k = 0; k < n * n; k++) { top = Math.min(top, depth[k]); bottom = Math.max(bottom, depth[k]); }
    var off = document.createElement("canvas");
    off.width = n; off.height = n;
    var octx = off.getContext("2d"), img = octx.createImageData(n, n);
    for (var j = 0; j < n; j++) {
      for (var i = 0; i < n; i++) {
        var rgb = colour((depth[j * n + i] - top) / ((bottom - top) || 1));
        var o = ((n - 1 - j) * n + i) * 4; // image rows go down, y goes up
        img.data[o] = rgb[0]; img.data[o + 1] = rgb[1]; img.data[o + 2] = rgb[2]; img.data[o + 3] = 255;
      }
    }
    octx.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    var cell = W / (n - 1); // node centres sit on the canvas edges
    ctx.drawImage(off, -cell / 2, -cell / 2, W + cell, W + cell);
  };

  function arrow(ctx, x, y, dx, dy, scale, unit, stroke, halo, minPx, maxPx) {
    // drawn to scale: the length in pixels is the slope times `scale` (pixels per unit of slope),
    // but never shorter than minPx (a nonzero slope stays visible) nor longer than maxPx
    var m = Math.sqrt(dx * dx + dy * dy), len = m * scale;
    if (m === 0) { return; } // exactly level ground: no arrow
    if (minPx) { len = Math.max(len, minPx); }
    if (maxPx) { len = Math.min(len, maxPx); }
    var ux = dx / m, uy = dy / m, ex = x + ux * len, ey = y + uy * len;
    var head = Math.min(unit * 1.6, len * 0.5);
    [[halo, Math.max(3, unit * 0.9)], [stroke, Math.max(1.5, unit * 0.45)]].forEach(function (pen) {
      ctx.strokeStyle = pen[0];
      ctx.lineWidth = pen[1];
      ctx.lineCap = "round";
      ctx.beginPath();
      ctx.moveTo(x, y); ctx.lineTo(ex, ey);
      ctx.moveTo(ex - head * (ux - 0.5 * uy), ey - head * (uy + 0.5 * ux));
      ctx.lineTo(ex, ey);
      ctx.lineTo(ex - head * (ux + 0.5 * uy), ey - head * (uy - 0.5 * ux));
      ctx.stroke();
    });
  }

  function drawMinima(ctx, L, px, py, scale, unit, col) {
    // the minima: the deepest point's found circle and a star; local minima ringed
    ctx.lineWidth = Math.max(1.5, unit * 0.4);
    ctx.strokeStyle = col.local;
    L.local_minima.forEach(function (m) {
      ctx.beginPath(); ctx.arc(px(m[0]), py(m[1]), L.radius * scale, 0, 2 * Math.PI); ctx.stroke();
    });
    ctx.strokeStyle = col.star;
    ctx.beginPath(); ctx.arc(px(L.minimum[0]), py(L.minimum[1]), L.radius * scale, 0, 2 * Math.PI); ctx.stroke();
    star(ctx, px(L.minimum[0]), py(L.minimum[1]), unit * 2.6, col.star, col.ink);
  }

  function star(ctx, x, y, r, fill, stroke) {
    ctx.beginPath();
    for (var k = 0; k < 10; k++) {
      var a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 ? r * 0.45 : r;
      if (k === 0) { ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); }
      else { ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); }
    }
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = Math.max(1, r * 0.12);
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }

  /* ---- the strategy viewer: paths computed by mlcalc.sandpit.score, drawn on the revealed pit ---- */

  function percent(rate) { return Math.round(rate * 100) + "%"; }

  function Viewer(root, data) {
    this.root = root;
    this.data = data;
    this.n = data.n;
    this.lo = data.bounds[0];
    this.hi = data.bounds[1];
    this.cache = {};
    this.scenarioIndex = 0;
    this.strategyKey = data.strategies[0].key;
    this.start = 0;
    this.revealed = true;
    this.build();
    this.load();
  }

  Viewer.prototype.build = function () {
    var self = this, id = "sandpit-" + (++uid), data = this.data;
    this.root.textContent = "";
    this.root.classList.add("sandpit-ready", "sandpit-viewer");

    var controls = el("div", { "class": "sandpit-controls" });
    this.select = el("select", { id: id + "-scenario" });
    data.landscapes.forEach(function (L, k) { self.select.appendChild(el("option", { value: String(k) }, L.title)); });
    this.strategy = el("select", { id: id + "-strategy" });
    data.strategies.forEach(function (S) { self.strategy.appendChild(el("option", { value: S.key }, S.title)); });
    var count = data.landscapes[0].starts.length;
    this.slider = el("input", {
      id: id + "-start", type: "range", min: "1", max: String(count), step: "1", value: "1",
      "class": "sandpit-start"
    });
    this.startText = el("output", { "for": id + "-start", "class": "sandpit-starttext" });
    [[el("label", { "for": id + "-scenario" }, "Scenario "), this.select],
     [el("label", { "for": id + "-strategy" }, "Strategy "), this.strategy],
     [el("label", { "for": id + "-start" }, "Start "), this.slider, this.startText]].forEach(function (group) {
      var span = el("span", { "class": "sandpit-field" });
      group.forEach(function (node) { span.appendChild(node); });
      controls.appendChild(span);
    });

    this.blurb = el("p", { "class": "sandpit-blurb" });
    var board = el("div", { "class": "sandpit-board" });
    this.canvas = el("canvas", { "class": "sandpit-canvas", role: "img" });
    board.appendChild(this.canvas);
    this.summary = el("p", { "class": "sandpit-summary" });
    this.status = el("p", { "class": "sandpit-status", role: "status" });
    var logBox = el("div", { "class": "sandpit-logbox" });
    logBox.appendChild(el("p", { "class": "sandpit-loghead", id: id + "-loghead" }, "The path, probe by probe"));
    this.log = el("ol", { "class": "sandpit-log", "aria-labelledby": id + "-loghead" });
    logBox.appendChild(this.log);
    [controls, this.blurb, board, this.status, this.summary, logBox].forEach(function (node) {
      self.root.appendChild(node);
    });

    this.select.addEventListener("change", function () { self.scenarioIndex = Number(self.select.value); self.load(); });
    this.strategy.addEventListener("change", function () { self.strategyKey = self.strategy.value; self.load(); });
    this.slider.addEventListener("input", function () { self.start = Number(self.slider.value) - 1; self.load(); });
    redrawOnResizeAndTheme(board, function () { self.draw(); });
  };

  Viewer.prototype.load = function () {
    var L = this.data.landscapes[this.scenarioIndex], S = L.strategies[this.strategyKey], self = this;
    var info = this.data.strategies.filter(function (s) { return s.key === self.strategyKey; })[0];
    if (!this.cache[L.key]) { this.cache[L.key] = { depth: decodeGrid(L.depth, this.n) }; }
    this.land = L;
    this.grid = this.cache[L.key];
    var path = S.paths[this.start], pts = [];
    for (var k = 0; k < path.mm.length; k += 2) { pts.push([path.mm[k] / 1000, path.mm[k + 1] / 1000]); }
    this.points = pts;
    var st = L.starts[this.start];
    this.startText.textContent = (this.start + 1) + " of " + L.starts.length + ", at (" + num(st[0], 2) + ", " + num(st[1], 2) + ")";
    this.blurb.textContent = L.title + ": " + L.description + " " + info.title + ": the step is " + info.formula + ".";
    var med = S.median_probes === null ? "" : S.n_found < S.median_at_least ?
      " (" + S.n_found + " walk" + (S.n_found === 1 ? "" : "s") + ", too few for a median)" :
      ", in a median of " + S.median_probes + " probes";
    this.summary.textContent = info.title + " in this pit, over all " + S.n_starts + " starts: found the deepest point from " +
      percent(S.success_rate) + med + "; stuck at a local minimum from " + percent(S.stuck_rate) + ".";
    var text = info.title + " from start " + (this.start + 1) + ": ";
    if (path.reason === "found") {
      text += "found the deepest point in " + path.probes + " probe" + (path.probes === 1 ? "" : "s") + ".";
    } else if (path.reason === "stalled") {
      text += "stopped after " + path.probes + " probes: the next step went nowhere.";
    } else {
      text += "used all " + path.probes + " probes without finding the deepest point.";
    }
    if (path.trapped) { text += " It ended stuck in a trap, within " + num(L.radius, 2) + " m of a local minimum."; }
    this.status.textContent = text;
    this.log.textContent = "";
    pts.forEach(function (q, k) {
      self.log.appendChild(el("li", {}, "Probe " + (k + 1) + " at (" + num(q[0]) + ", " + num(q[1]) + ")"));
    });
    this.canvas.setAttribute("aria-label", "The revealed pit " + L.title + " with the path of " + info.title +
      " from start " + (this.start + 1) + ": " + pts.length + " probes, listed below.");
    this.draw();
  };

  Viewer.prototype.colours = Game.prototype.colours;
  Viewer.prototype.drawMap = Game.prototype.drawMap;

  Viewer.prototype.draw = function () {
    var canvas = this.canvas, ratio = window.devicePixelRatio || 1;
    var size = Math.max(1, Math.round(canvas.clientWidth * ratio));
    if (canvas.width !== size || canvas.height !== size) { canvas.width = size; canvas.height = size; }
    if (!this.land) { return; }
    var ctx = canvas.getContext("2d"), col = this.colours(), self = this;
    var W = size, span = this.hi - this.lo, unit = W / 100;
    var px = function (x) { return (x - self.lo) / span * W; };
    var py = function (y) { return (self.hi - y) / span * W; };
    ctx.clearRect(0, 0, W, W);
    this.drawMap(ctx, W);
    drawMinima(ctx, this.land, px, py, W / span, unit, col);
    var pts = this.points;
    ctx.strokeStyle = col.halo;
    ctx.lineWidth = Math.max(2, unit * 0.8);
    ctx.beginPath();
    pts.forEach(function (q, k) { if (k === 0) { ctx.moveTo(px(q[0]), py(q[1])); } else { ctx.lineTo(px(q[0]), py(q[1])); } });
    ctx.stroke();
    ctx.strokeStyle = col.probe;
    ctx.lineWidth = Math.max(1, unit * 0.4);
    ctx.stroke();
    pts.forEach(function (q, k) {
      ctx.beginPath();
      ctx.arc(px(q[0]), py(q[1]), unit * (k === 0 ? 1.6 : 0.9), 0, 2 * Math.PI);
      ctx.fillStyle = k === 0 ? col.halo : col.probe;
      ctx.fill();
      ctx.lineWidth = Math.max(1, unit * 0.3);
      ctx.strokeStyle = k === 0 ? col.probe : col.halo;
      ctx.stroke();
    });
  };

  /* ---- start every game on the page ---- */

  function init() {
    var roots = document.querySelectorAll("[data-sandpit]");
    for (var k = 0; k < roots.length; k++) {
      var root = roots[k];
      if (root.classList.contains("sandpit-ready")) { continue; }
      try {
        var source = document.getElementById(root.getAttribute("data-sandpit"));
        var data = JSON.parse(source.textContent);
        if (data.format !== "mlcalc-sandpit" || data.version !== 2) { throw new Error("unknown data format"); }
        root.sandpit = data.kind === "strategies" ? new Viewer(root, data) : new Game(root, data);
      } catch (err) {
        root.textContent = "The Sandpit could not start (" + err.message + "). Play it in Python instead: " +
          "mlcalc.sandpit.play(\"bowl\").";
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
