"""nginx with deploy/nginx.conf in front of test server processes, over TLS.

The shipped file is used as it is, but for what an operator changes anyway (the lines
marked CHANGE: the processes' ports, the certificate) and where it listens (free ports on
127.0.0.1). The certificate is self-signed for 127.0.0.1; clients trust it by its file.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.support import ROOT, free_port

SHIPPED = ROOT / "deploy" / "nginx.conf"
EXAMPLE_UPSTREAMS = ("server 127.0.0.1:5001 ", "server 127.0.0.1:5002 ")
EXAMPLE_CERTIFICATES = "/etc/letsencrypt/live/holdsport.example.org/"


def nginx_path() -> str | None:
    # Debian puts it in /usr/sbin, which a normal user's PATH lacks.
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1, made with openssl."""
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


class Nginx:
    def __init__(self, directory: Path, upstream_ports: list[int]) -> None:
        """`upstream_ports`: two processes', in place of the shipped file's examples."""
        self.directory = directory
        self.port = free_port()
        self.plain_port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.plain_url = f"http://127.0.0.1:{self.plain_port}"
        self.certificate, key = self_signed_certificate(directory)
        upstreams = {
            example: f"server 127.0.0.1:{port} "
            for example, port in zip(EXAMPLE_UPSTREAMS, upstream_ports, strict=True)
        }
        site = _replace(
            SHIPPED.read_text(),
            {
                **upstreams,
                "listen 80;": f"listen 127.0.0.1:{self.plain_port};",
                "listen 443 ssl;": f"listen 127.0.0.1:{self.port} ssl;",
                # The test machine may have no IPv6.
                "    listen [::]:80;\n": "",
                "    listen [::]:443 ssl;\n": "",
                f"{EXAMPLE_CERTIFICATES}fullchain.pem": str(self.certificate),
                f"{EXAMPLE_CERTIFICATES}privkey.pem": str(key),
            },
        )
        (directory / "holdsport.conf").write_text(site)
        # What Debian's /etc/nginx/nginx.conf gives around conf.d, in this directory.
        (directory / "nginx.conf").write_text(
            f"pid {directory}/nginx.pid;\n"
            "worker_processes 1;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ access_log {directory}/access.log; include {directory}/holdsport.conf; }}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        log = self.directory / "error.log"
        command = [str(nginx_path()), "-p", str(self.directory), "-e", str(log)]
        command += ["-c", str(self.directory / "nginx.conf"), "-g", "daemon off;"]
        self.process = subprocess.Popen(command, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {log.read_text() if log.exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not come up")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _replace(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text
