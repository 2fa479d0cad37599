"""The client's files as a page gets them: the shell, and the built client by its hashes.

Outside development the shell names the built client (server/web/bundle.py): a script
(the socket.io client inside) and a style sheet at /assets/<name>.<hash>.<ext>, cached for a
year and never revalidated, since another content has another name. The shell itself is
revalidated on every load (and answered 304 while unchanged), so a new release reaches
everyone at their next load. Everything is read into memory once per build.

In development, or with HOLDSPORT_CLIENT=sources, the shell names the sources as they
are (/static/js/app.js and the modules it imports), revalidated on every load: edit,
reload, no build. A server whose build is stale and that cannot build (no esbuild)
serves the sources too, and says so in its log.
"""

from __future__ import annotations

import json
import logging
import mimetypes
from dataclasses import dataclass
from functools import cache

from flask import Flask, current_app

from server.config import Settings
from server.web import bundle

log = logging.getLogger(__name__)

ASSETS_PATH = "/assets/"
ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Asset:
    content_type: str
    bodies: dict[str, bytes]  # "identity", "gzip", "br" -> the body in that coding


@dataclass(frozen=True)
class ClientFiles:
    shell: bytes
    assets: dict[str, Asset]  # by fingerprinted file name

    @property
    def bundled(self) -> bool:
        return bool(self.assets)


def sources(shell: bytes) -> ClientFiles:
    return ClientFiles(shell, {})


def bundled(dirs: bundle.ClientDirs, manifest: dict, shell: bytes) -> ClientFiles:
    """The built files of `manifest` in memory, and the shell naming them."""
    assets: dict[str, Asset] = {}
    for path, name in manifest["files"].items():
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        bodies = {"identity": (dirs.dist / name).read_bytes()}
        for encoding in bundle.ENCODINGS:
            bodies[encoding] = (dirs.dist / (name + bundle.SUFFIX[encoding])).read_bytes()
        assets[name] = Asset(content_type, bodies)
        quoted = f'"{path}"'.encode()
        if quoted not in shell:
            raise bundle.BuildError(f"index.html does not name {path}")
        shell = shell.replace(quoted, f'"{ASSETS_PATH}{name}"'.encode())
    if bundle.SOCKET_IO_TAG not in shell:
        raise bundle.BuildError("index.html does not load the socket.io client")
    return ClientFiles(shell.replace(bundle.SOCKET_IO_TAG, b""), assets)


@cache
def _bundled_once(dirs: bundle.ClientDirs, manifest_text: str, shell: bytes) -> ClientFiles:
    return bundled(dirs, json.loads(manifest_text), shell)


def load(bundle_wanted: bool, dirs: bundle.ClientDirs = bundle.DEFAULT_DIRS) -> ClientFiles:
    """What the pages are served from: the fresh build (made now if stale), or the sources."""
    shell = dirs.shell.read_bytes()
    if not bundle_wanted:
        return sources(shell)
    for _ in range(3):  # another process may prune a build between manifest and files
        manifest = bundle.fresh_manifest(dirs)
        if manifest is None:
            log.warning("the client is not built and esbuild is missing: serving its sources")
            return sources(shell)
        try:
            return _bundled_once(dirs, _canonical(manifest), shell)
        except FileNotFoundError:
            continue
    raise bundle.BuildError(f"the build in {dirs.dist} keeps changing")


def _canonical(manifest: dict) -> str:
    return json.dumps(manifest, sort_keys=True)


def install(app: Flask, settings: Settings) -> None:
    app.extensions["client_files"] = load(settings.client_bundle)


def client_files() -> ClientFiles:
    return current_app.extensions["client_files"]  # type: ignore[no-any-return]
