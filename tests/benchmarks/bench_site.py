"""Lighthouse on every page of the built book, served with gzip from loopback, as a table.

    python tests/benchmarks/bench_site.py                       # _build/html, every page in _toc.yml
    python tests/benchmarks/bench_site.py --html /tmp/b/_build/html --pages book/intro book/part1-derivatives/06-chain-rule

Lighthouse 12 (npm) runs with its default mobile preset (a Moto G-sized screen, slow 4G, 4x CPU
slowdown) against Debian's Chromium, offline: the site is served from 127.0.0.1 by a small
server that gzip-compresses text as GitHub Pages does (Python's http.server does not, which about
triples the bytes). Lighthouse is installed once with npm into a scratch folder
(``--lighthouse-dir``, default ``~/.cache/mlcalc-lighthouse``), never into the repository.

Columns: performance and accessibility scores (0-100), KB transferred, first and largest
contentful paint (s), total blocking time (ms), cumulative layout shift, console errors, and the
accessibility audits that failed. Goals (issue 14): performance >= 90, accessibility 100,
CLS < 0.1, <= 600 KB for a reading page and <= 900 KB for an interactive one, no console errors.
Scores vary by a few points from run to run on a shared machine; ``--runs 3`` reports the median.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from _bookbuild import toc_files  # noqa: E402

LIGHTHOUSE_VERSION = "12"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
INTERACTIVE = {"book/part2-multivariate/05-sandpit"}  # pages allowed 900 KB
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json", ".txt", ".map", ".ipynb", ".md", ".xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text compressed with gzip when the client accepts it, like GitHub Pages."""

    _cache: dict[str, bytes] = {}

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if (os.path.isdir(path) or not path.endswith(COMPRESSIBLE)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError:
            self.send_error(404, "File not found")
            return None
        body = self._cache.get(path)
        if body is None:
            body = self._cache[path] = gzip.compress(raw, compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def lighthouse_binary(folder: Path) -> Path:
    """Lighthouse from npm in ``folder``, installed there the first time."""
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("Lighthouse needs Node.js and npm: apt-get install -y nodejs npm")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {folder} ...", file=sys.stderr)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder),
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def chromium() -> str:
    path = os.environ.get("MLCALC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        sys.exit("Lighthouse needs Chromium: apt-get install -y chromium")
    return path


def run_lighthouse(binary: Path, url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": chromium()}
    proc = subprocess.run(
        [str(binary), url, "--quiet", "--output=json", "--output-path=stdout",
         "--only-categories=performance,accessibility,best-practices",
         f"--chrome-flags={CHROME_FLAGS}"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def summarise(report: dict) -> dict:
    audits = report["audits"]
    cats = report["categories"]

    def num(key: str) -> float:
        return float(audits[key].get("numericValue") or 0.0)

    failed = sorted(
        ref["id"] for ref in cats["accessibility"]["auditRefs"]
        if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") not in (None, 1)
    )
    errors = audits.get("errors-in-console", {}).get("details", {}).get("items", []) or []
    return {
        "performance": round(100 * (cats["performance"]["score"] or 0)),
        "accessibility": round(100 * (cats["accessibility"]["score"] or 0)),
        "kb": num("total-byte-weight") / 1024,
        "fcp": num("first-contentful-paint") / 1000,
        "lcp": num("largest-contentful-paint") / 1000,
        "tbt": num("total-blocking-time"),
        "cls": num("cumulative-layout-shift"),
        "console_errors": [e.get("description") or e.get("url") for e in errors],
        "a11y_failed": failed,
    }


def median_summary(runs: list[dict]) -> dict:
    out = dict(runs[0])
    for key in ("performance", "accessibility", "kb", "fcp", "lcp", "tbt", "cls"):
        out[key] = statistics.median(r[key] for r in runs)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--pages", nargs="*", help="pages (as in _toc.yml); default: every page")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--lighthouse-dir", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "mlcalc-lighthouse")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    if not (args.html / "index.html").exists():
        sys.exit(f"no built site in {args.html}: run `jupyter-book build . -W -n --keep-going` first")
    binary = lighthouse_binary(args.lighthouse_dir)
    pages = args.pages or toc_files()
    server, base = serve(args.html)
    results = {}
    try:
        header = ("| page | perf | a11y | KB | FCP s | LCP s | TBT ms | CLS | console errors | a11y failed |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        print(header, flush=True)
        for page in pages:
            runs = [summarise(run_lighthouse(binary, f"{base}{page}.html")) for _ in range(args.runs)]
            r = results[page] = median_summary(runs)
            print(f"| {page} | {r['performance']:.0f} | {r['accessibility']:.0f} | {r['kb']:,.0f} | "
                  f"{r['fcp']:.1f} | {r['lcp']:.1f} | {r['tbt']:.0f} | {r['cls']:.3f} | "
                  f"{len(r['console_errors'])} | {', '.join(r['a11y_failed']) or '-'} |", flush=True)
    finally:
        server.shutdown()
        server.server_close()

    misses = []
    for page, r in results.items():
        budget = 900 if page in INTERACTIVE else 600
        for ok, what in [(r["performance"] >= 90, f"performance {r['performance']:.0f} < 90"),
                         (r["accessibility"] >= 100, f"accessibility {r['accessibility']:.0f} < 100"),
                         (r["cls"] < 0.1, f"CLS {r['cls']:.3f} >= 0.1"),
                         (r["kb"] <= budget, f"{r['kb']:.0f} KB > {budget} KB"),
                         (not r["console_errors"], f"console errors {r['console_errors']}")]:
            if not ok:
                misses.append(f"{page}: {what}")
    print()
    print("goals met on every page" if not misses else "goals missed:\n  " + "\n  ".join(misses))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
