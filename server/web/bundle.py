"""Builds the browser client for production: one script and one style sheet, fingerprinted.

esbuild (from npm; `scripts/setup` installs it into client/node_modules) bundles every ES
module reachable from client/static/js/app.js into one ES module, keeping module
semantics (evaluation order, top-level await), with the socket.io client inside (the
modules' global `io` becomes an import: client/bundle/socket-io.js); and the style sheet
into one file. Each file is stored under client/dist/ named after a hash of its content,
with a gzip and a brotli copy beside it, so the server sends them as they are. The
manifest maps each path the shell (client/index.html) names to its built file, and
records a digest of everything the build read: a different digest means the build is
stale. Nothing here is committed: `scripts/setup` and a server's start build it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from server.config import PROJECT_ROOT
from server.core.compression import encode

log = logging.getLogger(__name__)

# The paths the shell names for the sources, which the build replaces.
SCRIPT = "/static/js/app.js"
STYLE = "/static/app.css"
# The bundle holds the socket.io client: the shell's tag for it goes.
SOCKET_IO_TAG = b'<script src="/vendor/socket.io.min.js"></script>'
ESBUILD_OPTIONS = (
    "--bundle",
    "--format=esm",  # one ES module: import order and top-level await keep their meaning
    "--target=es2022",
    "--minify",
    "--charset=utf8",
    "--entry-names=[name]",
    "--log-level=warning",
)
MANIFEST = "manifest.json"
ENCODINGS = ("gzip", "br")
SUFFIX = {"gzip": ".gz", "br": ".br"}


class BuildError(RuntimeError):
    pass


@dataclass(frozen=True)
class ClientDirs:
    """The client's folder (client/; tests build copies): sources, tools, build."""

    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "static"

    @property
    def shell(self) -> Path:
        return self.root / "index.html"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def esbuild(self) -> Path:
        return self.root / "node_modules" / ".bin" / "esbuild"

    @property
    def socket_io_import(self) -> Path:
        return self.root / "bundle" / "socket-io.js"

    def inputs(self) -> list[Path]:
        """Every file a build reads but the npm packages, which the lock file pins."""
        files = [p for p in self.sources.rglob("*") if p.is_file()]
        return sorted([*files, self.socket_io_import, self.root / "package-lock.json"])


DEFAULT_DIRS = ClientDirs(PROJECT_ROOT / "client")


def sources_digest(dirs: ClientDirs) -> str:
    """A hash of every file a build reads (any module under static/, new ones too)."""
    digest = hashlib.sha256("\0".join(ESBUILD_OPTIONS).encode())
    for path in dirs.inputs():
        digest.update(str(path.relative_to(dirs.root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()


def fingerprinted_name(name: str, body: bytes) -> str:
    stem, extension = name.rsplit(".", 1)
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:16]}.{extension}"


def read_manifest(dirs: ClientDirs) -> dict | None:
    try:
        return json.loads((dirs.dist / MANIFEST).read_text())  # type: ignore[no-any-return]
    except (FileNotFoundError, ValueError):
        return None


def fresh_manifest(dirs: ClientDirs = DEFAULT_DIRS) -> dict | None:
    """The manifest of an up-to-date build, building first if needed; None when the
    build is stale and esbuild is not installed."""
    manifest = read_manifest(dirs)
    if manifest and manifest.get("sources") == sources_digest(dirs):
        return manifest
    if not dirs.esbuild.exists():
        return None
    return build(dirs)


def build(dirs: ClientDirs = DEFAULT_DIRS) -> dict:
    """Bundles, fingerprints and compresses the client into dirs.dist; its manifest.

    Safe while another process builds or serves the same directory: every file is
    written under a temporary name and renamed, the manifest last."""
    digest = sources_digest(dirs)
    dirs.dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dirs.dist, prefix=".build-") as scratch:
        entry_points = [str(dirs.sources / "js" / "app.js"), str(dirs.sources / "app.css")]
        done = subprocess.run(
            [
                str(dirs.esbuild),
                *entry_points,
                *ESBUILD_OPTIONS,
                f"--inject:{dirs.socket_io_import}",
                f"--outdir={scratch}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise BuildError(f"esbuild failed:\n{done.stderr}")
        files = {
            path: _store(dirs.dist, built.name, built.read_bytes())
            for path, built in (
                (SCRIPT, Path(scratch) / "app.js"),
                (STYLE, Path(scratch) / "app.css"),
            )
        }
    manifest = {"sources": digest, "files": files}
    _write(dirs.dist / MANIFEST, json.dumps(manifest, indent=2).encode())
    _prune(dirs.dist, keep=set(files.values()))
    log.info("built the client into %s", dirs.dist)
    return manifest


def _store(dist: Path, name: str, body: bytes) -> str:
    fingerprinted = fingerprinted_name(name, body)
    target = dist / fingerprinted
    if not target.exists():  # the same name is the same content
        for encoding in ENCODINGS:
            _write(
                target.with_name(fingerprinted + SUFFIX[encoding]),
                encode(body, encoding, best=True),
            )
        _write(target, body)
    return fingerprinted


def _write(path: Path, body: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(body)
    os.replace(partial, path)


def _prune(dist: Path, keep: set[str]) -> None:
    """Removes earlier builds' files, so stale builds do not pile up."""
    for path in dist.iterdir():
        base = path.name.removesuffix(SUFFIX["gzip"]).removesuffix(SUFFIX["br"])
        # Dot files are another build's work in progress.
        stale = base not in keep and path.name != MANIFEST and not base.startswith(".")
        if stale and path.is_file():
            path.unlink(missing_ok=True)
