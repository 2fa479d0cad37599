"""The browser's live state (client/static/js/live.js), run in Node against a fake socket:
a `session:version` above the state, or a gap, fetches one snapshot at a time, and the
page is told it is catching up until the state is current (docs/protocol.md §3)."""

from __future__ import annotations

import shutil
import subprocess

from tests.support import ROOT, require


def test_the_browser_client_catches_up_on_a_newer_version():
    node = shutil.which("node")
    require(node is not None, "Node is not installed")
    script = ROOT / "tests" / "js" / "live_catch_up.mjs"
    done = subprocess.run(
        [str(node), str(script)], capture_output=True, text=True, timeout=30, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_command_without_an_ack_ends_with_a_localized_error(app, tmp_path):
    node = shutil.which("node")
    require(node is not None, "Node is not installed")
    danish = tmp_path / "da.json"
    danish.write_bytes(app.test_client().get("/i18n/da.json").data)
    script = ROOT / "tests" / "js" / "live_command_timeout.mjs"
    done = subprocess.run(
        [str(node), str(script), str(danish)], capture_output=True, text=True, timeout=30, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
