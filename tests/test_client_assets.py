"""The client's weight on the wire: fingerprinted files cached for a year, a shell and
catalogs revalidated by ETag, answers compressed as Accept-Encoding asks, and a build
that gives a changed module a new address (server/web/assets.py, bundle.py,
server/core/compression.py)."""

from __future__ import annotations

import gzip
import re
import shutil

import brotli
import pytest
from flask import jsonify

from server.config import load_settings
from server.core.compression import compress
from server.core.http import revalidated
from server.web import assets, bundle

ONE_YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def built_urls(shell: bytes) -> list[str]:
    """The files the shell names, the script first."""
    urls = re.findall(r'(?:src|href)="(/[^"]+)"', shell.decode())
    return sorted(urls, key=lambda url: not url.endswith(".js"))


def test_the_shell_names_fingerprinted_files_cached_for_a_year(app):
    http = app.test_client()
    shell = http.get("/s/ABCDEF")
    assert "no-cache" in shell.headers["Cache-Control"]
    assert "max-age=31536000" not in shell.headers["Cache-Control"]
    urls = built_urls(shell.data)
    assert len(urls) == 2, urls  # one script (socket.io inside), one style sheet
    for url in urls:
        assert re.fullmatch(r"/assets/app\.[0-9a-f]{16}\.(js|css)", url), url
        built = http.get(url)
        assert built.status_code == 200
        assert built.headers["Cache-Control"] == ONE_YEAR_IMMUTABLE
    assert b"/static/" not in shell.data and b"/vendor/" not in shell.data
    assert http.get("/assets/app.0123456789abcdef.js").status_code == 404


def test_the_shell_and_catalogs_are_answered_304_while_unchanged(app):
    http = app.test_client()
    for path in ("/", "/library", "/i18n/da.json", "/api/library"):
        first = http.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        etag = first.headers["ETag"]
        assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
        again = http.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "br"})
        assert again.status_code == 304, path
        assert again.data == b""
        # Another content is another ETag: the page gets it whole.
        other = http.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_answers_are_compressed_when_the_client_asks(app, encoding, decode):
    http = app.test_client()
    script = built_urls(http.get("/").data)[0]
    for path in ("/i18n/en.json", "/api/library", script):
        plain = http.get(path)
        assert "Content-Encoding" not in plain.headers
        packed = http.get(path, headers={"Accept-Encoding": f"{encoding}, identity;q=0.5"})
        assert packed.headers["Content-Encoding"] == encoding, path
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert len(packed.data) < len(plain.data) / 3
        assert decode(packed.data) == plain.data
    # A client that does not take brotli is not sent it.
    refused = http.get("/i18n/en.json", headers={"Accept-Encoding": "br;q=0, gzip"})
    assert refused.headers["Content-Encoding"] == "gzip"


def test_only_answers_the_same_for_everyone_are_compressed(app):
    """BREACH: a secret (a token) compressed beside text another site can influence
    leaks through the length. Only answers revalidated by their content's ETag are."""
    secret_and_echo = {"token": "s" * 43, "display_name": "x" * 2000}
    with app.test_request_context(headers={"Accept-Encoding": "br, gzip"}):
        personal = compress(jsonify(secret_and_echo))
        assert "Content-Encoding" not in personal.headers
        public = compress(revalidated(jsonify(secret_and_echo)))
        assert public.headers["Content-Encoding"] == "br"
    catalog = app.test_client().get("/i18n/en.json", headers={"Accept-Encoding": "br"})
    assert catalog.headers["Content-Encoding"] == "br"
    assert catalog.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert catalog.headers["ETag"].startswith('W/"')  # the compressed copy of that content


@pytest.fixture
def client_copy(tmp_path):
    """A copy of client/ to build (its npm packages linked, not copied)."""
    source = bundle.DEFAULT_DIRS.root
    if not bundle.DEFAULT_DIRS.esbuild.exists():
        pytest.fail("esbuild is not installed: run scripts/setup")
    root = tmp_path / "client"
    shutil.copytree(source / "static", root / "static")
    shutil.copytree(source / "bundle", root / "bundle")
    for name in ("index.html", "package-lock.json"):
        shutil.copy(source / name, root / name)
    (root / "node_modules").symlink_to(source / "node_modules")
    return bundle.ClientDirs(root)


def test_a_changed_module_gets_a_new_address_and_new_modules_are_bundled(client_copy):
    first = assets.load(True, client_copy)
    script, style = built_urls(first.shell)
    assert assets.load(True, client_copy).shell == first.shell  # nothing changed, same build

    # A new module that app.js imports: found by the build, with no list to update.
    (client_copy.sources / "js" / "weight-probe.js").write_text(
        'document.documentElement.dataset.weightProbe = "reached";\n'
    )
    app_js = client_copy.sources / "js" / "app.js"
    app_js.write_text('import "./weight-probe.js";\n' + app_js.read_text())
    second = assets.load(True, client_copy)
    new_script, new_style = built_urls(second.shell)
    assert new_script != script and new_style == style
    body = second.assets[new_script.removeprefix("/assets/")].bodies["identity"]
    assert b"weightProbe" in body
    # The earlier build's files are gone from dist, and its address is not served.
    assert not (client_copy.dist / script.removeprefix("/assets/")).exists()
    assert script.removeprefix("/assets/") not in second.assets


def test_the_sources_are_served_in_development(tmp_path):
    assert not load_settings({"HOLDSPORT_ENV": "development"}).client_bundle
    assert load_settings({"HOLDSPORT_ENV": "test"}).client_bundle
    assert not load_settings({"HOLDSPORT_ENV": "test", "HOLDSPORT_CLIENT": "sources"}).client_bundle
    sources = assets.load(False)
    assert sources.shell == bundle.DEFAULT_DIRS.shell.read_bytes()
    assert "/static/js/app.js" in built_urls(sources.shell)
