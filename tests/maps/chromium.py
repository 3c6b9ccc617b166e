"""Open a page in headless Chromium with networking off and read what a probe script found.

Chromium is driven with its command line only (``--dump-dom``): a probe script put first in
``<head>`` writes its findings as JSON into ``<pre id="bf-probe">``, which is read back from the
dumped DOM. ``--virtual-time-budget`` lets the page's timers (and failed image loads) run
before the DOM is dumped.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)"
)
REPORT = re.compile(r'<pre id="bf-probe">(.*?)</pre>', re.DOTALL)
OFFLINE_FLAGS = [
    "--proxy-server=127.0.0.1:9",  # nothing listens on the discard port
    "--host-resolver-rules=MAP * ~NOTFOUND",  # and no name resolves
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Put before every probe: window.__bfErrors collects script errors and failed loads.
ERRORS = """
window.__bfErrors = [];
window.addEventListener('error', function (e) {
  var t = e.target;
  window.__bfErrors.push(t && t !== window && (t.src || t.href)
    ? 'load failed: ' + (t.src || t.href) : String(e.message));
}, true);
"""


def open_in_chromium(page: Path, tmp_path: Path, probe: str, budget_ms: int = 5000) -> dict:
    """Open ``page`` with ``probe`` (JS) first in its head; return the probe's JSON report.

    Parameters
    ----------
    page : Path
        An HTML file.
    tmp_path : Path
        Scratch folder (the probed copy and the browser profile go there).
    probe : str
        JavaScript that appends ``<pre id="bf-probe">JSON</pre>`` to the body; it finds the
        page's errors so far in ``window.__bfErrors``.
    budget_ms : int
        Virtual time the page may run before its DOM is dumped, ms.
    """
    probed = tmp_path / f"probed-{page.name}"
    text = page.read_text(encoding="utf-8")
    probed.write_text(text.replace("<head>", f"<head><script>{ERRORS}{probe}</script>", 1), "utf-8")
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", *OFFLINE_FLAGS,
        f"--virtual-time-budget={budget_ms}", "--dump-dom", probed.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    match = REPORT.search(done.stdout)
    assert match, f"no probe report (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(match.group(1)))  # the dump escapes <, > and &
