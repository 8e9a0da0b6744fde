"""The Binder path, in a real browser: the launch link opens a page's ``.md`` file as a notebook.

The Binder launch button (``notebook_interface: jupyterlab``) sends the reader to
``lab/tree/book/<part>/<page>.md`` on a server built by repo2docker from ``requirements.txt``
(``jupytext`` and ``-e ./code`` included), after which repo2docker runs the top-level
``postBuild``: ``jupytext-config set-default-viewer markdown myst``, which makes the Jupytext
Notebook the default viewer of Markdown files. This test does the same on loopback:

1. start JupyterLab on 127.0.0.1 (random port, a token, no browser) over a temporary copy of the
   repository (JupyterLab writes ``.ipynb_checkpoints/`` next to a file it opens as a notebook,
   and the notebook is dirty at once, so autosave would rewrite the page), with fresh Jupyter
   config/data/settings folders in which the repository's own ``postBuild`` has been run;
2. open ``lab/tree/<page>.md`` as the launch link does and assert that this URL itself shows the
   page as a notebook (not the text editor);
3. run *Run → Run All Cells* and check: no error output, the table and the figure are there,
   the kernel is ``python3`` and ``import mlcalc`` comes from this repository's ``code/``.

No request may leave loopback: the server's own fetches (news feed, update check, PyPI extension
listings) are switched off by flags, and the page fails on any browser request to another host.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGE = "book/part1-derivatives/01-rise-over-run.md"
PAGE_NAME = PAGE.rsplit("/", 1)[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Server flags: loopback only, and none of JupyterLab's own fetches from the internet.
LAB_FLAGS = [
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    "--ServerApp.port=0",  # the OS picks a free port; read back from the server's info file
    "--ServerApp.port_retries=0",
    "--LabApp.news_url=None",  # no Atom feed from jupyterlab.github.io
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",  # no PyPI version check
    "--LabApp.extension_manager=readonly",  # no PyPI extension listings
]

SERVER_START_TIMEOUT = 60  # s
UI_TIMEOUT = 45_000  # ms, for JupyterLab to load and open a document
RUN_ALL_TIMEOUT = 60_000  # ms, for every cell of the page to run

# Run All is over when no cell is queued or running ("[*]") and either every code cell has an
# execution count or one of them failed (JupyterLab then stops, leaving the rest at "[ ]").
RUN_ALL_DONE = """
() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  if (!nb) return false;
  const prompts = Array.from(nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
                       .map(p => p.textContent.trim());
  if (prompts.length === 0 || prompts.includes('[*]:')) return false;
  const failed = nb.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  return failed !== null || prompts.every(p => /^\\[\\d+\\]:$/.test(p));
}
"""


def _require(module: str, install: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"the Binder test needs `{module}`: {install}")


def _is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
        return True
    return (parsed.hostname or "") in LOOPBACK


def _copy_repo(dest: Path) -> Path:
    root = dest / "repo"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            ".git", "_build", ".pytest_cache", ".hypothesis", "__pycache__", ".ipynb_checkpoints",
            "artifacts", "*.egg-info",
        ),
    )
    return root


def _api(server: dict, method: str, path: str, timeout: float = 5.0):
    req = urllib.request.Request(
        f"{server['url']}{path}",
        method=method,
        headers={"Authorization": f"token {server['token']}"},
        data=b"" if method == "POST" else None,
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def _stop(proc: subprocess.Popen, server: dict | None) -> None:
    """Shut the server down through its API (kernels included), then by signal if need be."""
    if proc.poll() is None and server is not None:
        try:
            _api(server, "POST", "api/shutdown", timeout=5)
        except (OSError, urllib.error.URLError):
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a temporary copy of the repository, with isolated settings."""
    _require("jupyterlab", "pip install -r tests/requirements.txt")
    _require("jupytext", "pip install -r requirements.txt")
    _require("mlcalc", "pip install -r requirements.txt (its `-e ./code` line)")
    _require("ipykernel", "pip install -r requirements.txt")

    tmp = tmp_path_factory.mktemp("binder")
    root = _copy_repo(tmp)
    env = dict(os.environ)
    # The reader's first visit: no user config, settings or workspace of the person running the test.
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),
    ]:
        env[var] = str(tmp / sub)
        (tmp / sub).mkdir()
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Answer JupyterLab's one-off "get notified about official Jupyter news?" toast with "no"
    # beforehand, so it cannot cover a cell the test clicks (on Binder the reader sees it once).
    note = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
    note.mkdir(parents=True)
    (note / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}\n')
    # What repo2docker does after installing requirements.txt: run the top-level postBuild.
    post_build = root / "postBuild"
    assert post_build.is_file() and os.access(post_build, os.X_OK), "postBuild must exist and be executable"
    done = subprocess.run([str(post_build)], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"postBuild failed:\n{done.stdout}\n{done.stderr}"

    token = secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", *LAB_FLAGS, f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root
    log_path = tmp / "jupyterlab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    server = None
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while server is None:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start in {SERVER_START_TIMEOUT} s:\n"
                            f"{log_path.read_text()[-4000:]}")
            try:  # the server writes its URL (with the port it got) here once it listens
                info = json.loads((tmp / "runtime" / f"jpserver-{proc.pid}.json").read_text())
                server = {"url": info["url"], "token": token, "root": root, "log": log_path}
            except (OSError, ValueError, KeyError):  # not there yet, or being written
                time.sleep(0.1)
        # ready when the REST API answers
        while True:
            try:
                _api(server, "GET", "api/status", timeout=2)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab's API did not answer:\n{log_path.read_text()[-4000:]}")
                time.sleep(0.2)
        yield server
    finally:
        _stop(proc, server)


def _menu_item(page, label: str):
    return page.locator(".lm-Menu:visible .lm-Menu-item").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(label)}$"))
    )


def _open_as_the_launch_link_does(page, lab_server) -> None:
    url = f"{lab_server['url']}lab/tree/{PAGE}?token={lab_server['token']}"
    response = page.goto(url, wait_until="domcontentloaded", timeout=UI_TIMEOUT)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    editor = page.locator(".jp-FileEditor:visible")
    notebook = page.locator(".jp-NotebookPanel:visible")
    editor.or_(notebook).first.wait_for(timeout=UI_TIMEOUT)
    current_tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
    assert current_tab.inner_text().strip() == PAGE_NAME
    # What the README says the reader sees: the launch link opens the page as a notebook.
    assert editor.count() == 0, "the launch link opened the page as text, not as a notebook (postBuild?)"
    assert notebook.count() == 1, "the launch link did not open the page as a notebook"
    page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-CodeCell").first.wait_for(timeout=UI_TIMEOUT)


def _wait_for_kernel(page, lab_server, timeout: float = 45) -> dict:
    """The notebook's kernel, once idle, from the server's REST API."""
    deadline = time.monotonic() + timeout
    while True:
        sessions = [s for s in _api(lab_server, "GET", "api/sessions") if s["path"] == PAGE]
        if sessions and sessions[0]["kernel"]["execution_state"] == "idle":
            return sessions[0]["kernel"]
        if time.monotonic() > deadline:
            pytest.fail(f"no idle kernel for {PAGE} after {timeout} s: sessions {sessions}")
        # not time.sleep: Playwright's sync API serves the page's (routed) requests only while
        # the test is inside a Playwright call
        page.wait_for_timeout(250)


def _run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-item").filter(
        has=page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$"))
    ).click()
    _menu_item(page, "Run All Cells").click()
    page.wait_for_function(RUN_ALL_DONE, timeout=RUN_ALL_TIMEOUT, polling=250)


def _run_new_cell_at_end(page, code: str):
    """Add a cell after the last one and run it, from the keyboard, as a reader would."""
    cells = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")
    count = cells.count()
    cells.nth(count - 1).locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("b")  # insert a cell below
    cells.nth(count).wait_for(timeout=10_000)
    page.keyboard.press("Enter")  # edit mode
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")
    new_cell = cells.nth(count)
    new_cell.locator(".jp-InputArea-prompt", has_text=re.compile(r"^\[\d+\]:$")).wait_for(timeout=30_000)
    return new_cell


def _save_artifacts(page, lab_server) -> None:
    """A screenshot and the server log in tests/browser/artifacts/ (git-ignored), for a failure."""
    artifacts = REPO / "tests" / "browser" / "artifacts"
    try:
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copy(lab_server["log"], artifacts / "binder-jupyterlab.log")
        page.screenshot(path=str(artifacts / "binder-failure.png"), timeout=10_000)
    except Exception as exc:  # the original failure matters more
        print(f"could not save the Binder test's artifacts: {exc}", file=sys.stderr)


def test_binder_link_opens_the_page_as_a_runnable_notebook(page, lab_server):
    """``page`` (conftest.py) aborts and records in ``page.external_requests`` any request to a
    host other than loopback; websockets are recorded here."""
    websockets: list[str] = []
    page.on("websocket", lambda ws: websockets.append(ws.url))
    try:
        _open_as_the_launch_link_does(page, lab_server)

        kernel = _wait_for_kernel(page, lab_server)
        assert kernel["name"] == "python3", f"the page runs on kernel {kernel['name']!r}"
        toolbar_kernel = page.locator(".jp-NotebookPanel:visible .jp-KernelName").inner_text().strip()
        assert toolbar_kernel.startswith("Python 3"), f"the toolbar shows kernel {toolbar_kernel!r}"

        _run_all_cells(page)
        notebook = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
        errors = notebook.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, "a cell raised or wrote to stderr:\n" + "\n---\n".join(
            errors.all_text_contents()
        )

        code_cells = notebook.locator(".jp-CodeCell")
        assert code_cells.count() >= 3, "the page should open with (at least) its three code cells"
        first = code_cells.nth(0)
        assert "from mlcalc" in first.locator(".jp-InputArea-editor").text_content()
        assert first.locator(".jp-InputArea-prompt").text_content().strip() == "[1]:"
        table = code_cells.nth(1).locator(".jp-OutputArea-output").all_text_contents()
        rows = re.findall(r"h =\s*-?\d+\.\d+\s+rise over run = -?\d+\.\d{4}", "\n".join(table))
        assert len(rows) == 6, f"the 'rise over run' table of the second cell is missing: {table}"
        # the cell that draws the secants (the page has glue-only cells between, hidden on the site)
        secant_cell = code_cells.filter(has_text="difference_quotient(square, 1.0, h)")
        assert secant_cell.count() == 1, "the secant figure's cell is missing"
        figure = secant_cell.locator('.jp-OutputArea-output[data-mime-type="image/png"] img')
        assert figure.count() == 1, "the secant figure was not drawn"

        check = _run_new_cell_at_end(page, "import mlcalc\nprint('MLCALC', mlcalc.__file__)")
        out = "\n".join(check.locator(".jp-OutputArea-output").all_text_contents())
        match = re.search(r"MLCALC (\S+)", out)
        assert match, f"no output from the check cell: {out!r}"
        mlcalc_file = Path(match.group(1)).resolve()
        assert mlcalc_file.is_relative_to(REPO / "code"), (
            f"mlcalc was imported from {mlcalc_file}, not from this repository's code/ "
            "(install it with `pip install -r requirements.txt`, whose `-e ./code` line does it)"
        )
    except BaseException:
        _save_artifacts(page, lab_server)
        raise

    outside = page.external_requests + [u for u in websockets if not _is_loopback(u)]
    assert outside == [], f"requests to hosts other than loopback: {outside}"
