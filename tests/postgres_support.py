"""A PostgreSQL cluster of a test's own (initdb into a temporary folder, a free port),
that the test may stop, restart or kill.

Never the machine's shared PostgreSQL: restarting that would break everyone else's
tests. PostgreSQL refuses to run as root, so as root the cluster belongs to the
`postgres` user, and its commands run through `runuser`.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg

from tests.support import free_port, require


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (Debian keeps them versioned)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


class PostgresCluster:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.port = free_port()
        # Not under pytest's tmp_path: its folders are root's alone, and the server
        # runs as `postgres`.
        self.directory = Path(tempfile.mkdtemp(prefix="holdsport-pg-"))
        self.data = self.directory / "data"
        self.url = f"postgresql+psycopg://holdsport@127.0.0.1:{self.port}/holdsport"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *command: str, timeout: float = 60) -> None:
        binary = str(self.binaries / command[0])
        subprocess.run(
            [*self._as, binary, *command[1:]],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=self.directory,
        )

    def create(self) -> PostgresCluster:
        if self._as:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "holdsport", "-A", "trust", "-E", "UTF8")
        return self

    def start(self) -> PostgresCluster:
        """Start (again, on the same port) and wait until it answers."""
        # No fsync: a test's data need not survive a power cut; the socket only on TCP.
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        log = str(self.directory / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        self._wait_until_up()
        return self

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session at once (what a restart does); `immediate` is a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self) -> None:
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE holdsport")

    def remove(self) -> None:
        with suppress(subprocess.CalledProcessError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        path = self.directory / "postgres.log"
        return path.read_text() if path.exists() else ""

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=holdsport dbname={database}"

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self._dsn("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)


@contextmanager
def own_postgres() -> Iterator[PostgresCluster]:
    """A migrated PostgreSQL cluster of the caller's own, removed at the end (skips
    without PostgreSQL's server binaries, not in CI)."""
    from server.migrate import upgrade

    binaries = postgres_bin()
    require(binaries is not None, "PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    assert binaries is not None
    if os.geteuid() == 0:
        require(shutil.which("runuser") is not None, "as root, runuser is needed for initdb")
    cluster = PostgresCluster(binaries).create()
    try:
        cluster.start()
        cluster.create_database()
        upgrade(cluster.url)
        yield cluster
    finally:
        cluster.remove()
