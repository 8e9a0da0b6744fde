"""Benchmark: what the Sandpit costs (time to score a strategy; weight of the data pages carry).

Prints two tables (run: PYTHONPATH=code python tests/benchmarks/bench_sandpit.py):

1. time per probe and per ``score`` call of each strategy (100 starts x 5 pits, <= 100 probes);
2. the game's and the viewer's embedded data, raw and gzip-compressed (as a web server sends it),
   in the JSON-integer format the package writes, next to the base64 VLQ code it replaced
   (computed here for comparison only), which saves little once compressed.
"""

from __future__ import annotations

import gzip
import json
import time

import numpy as np

from mlcalc.sandpit import STRATEGIES, browser_data, browser_json, scenario, score, strategy_data

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def vlq(values) -> str:
    """Base64 VLQ (as in source maps): the hand-written code the export used before."""
    out = []
    for v in values:
        z = (-v << 1) | 1 if v < 0 else v << 1
        while True:
            digit, z = z & 31, z >> 5
            out.append(B64[digit | 32] if z else B64[digit])
            if not z:
                break
    return "".join(out)


def kb(text: str) -> tuple[float, float]:
    raw = text.encode()
    return len(raw) / 1024, len(gzip.compress(raw, 9)) / 1024


def main() -> None:
    land = scenario("rocks")
    t0 = time.perf_counter()
    for x in np.linspace(-0.9, 0.9, 2000):
        land.probe(x, -x / 2)
    per_probe = (time.perf_counter() - t0) / 2000
    print(f"one probe (rocks): {per_probe * 1e6:.0f} µs\n")
    print(f"{'strategy':18s} {'score() s':>10s} {'probes':>8s}")
    scores = {}
    for name, rule in STRATEGIES.items():
        t0 = time.perf_counter()
        scores[name] = score(rule)
        dt = time.perf_counter() - t0
        probes = sum(w.n_probes for row in scores[name].rows for w in row.walks)
        print(f"{rule.title:18s} {dt:10.2f} {probes:8d}")

    game = browser_data()
    old = json.loads(json.dumps(game))
    for item in old["landscapes"]:
        for key in ("depth", "gx", "gy"):
            if key in item:
                item[key] = {"step": item[key]["step"], "vlq": vlq(item[key].pop("residuals"))}
    rows = [
        ("game data, JSON integers", kb(browser_json(game))),
        ("game data, base64 VLQ (old)", kb(json.dumps(old, separators=(",", ":")))),
        ("viewer data, JSON integers", kb(browser_json(strategy_data(scores)))),
    ]
    print(f"\n{'data':30s} {'raw KB':>8s} {'gzip KB':>8s}")
    for label, (raw, gz) in rows:
        print(f"{label:30s} {raw:8.0f} {gz:8.0f}")


if __name__ == "__main__":
    main()
