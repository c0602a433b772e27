"""Servers for network sync tests on 127.0.0.1: git daemon, OpenSSH, smart HTTP, a silent one."""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port nobody listens on (closed again at once: connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.contextmanager
def git_daemon(base: Path) -> Iterator[str]:
    """Serve the bare repositories under ``base`` with ``git daemon``, push enabled.

    Yields the ``git://127.0.0.1:PORT`` prefix of their URLs.
    """
    port = free_port()
    process = subprocess.Popen(
        [
            "git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}",
            f"--base-path={base}", "--export-all", "--enable=receive-pack",
            "--informative-errors", str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its per-connection children are stopped with it
    )  # fmt: skip
    with _stopped_after(process):
        _wait_for(process, port, "git daemon")
        yield f"git://127.0.0.1:{port}"


def _wait_for(
    process: subprocess.Popen[bytes], port: int, name: str, log: Path | None = None
) -> None:
    """Return once ``process`` listens on ``port``; fail with its log if it died or took 10 s."""
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                said = log.read_text(errors="replace") if log and log.exists() else ""
                raise RuntimeError(f"{name} did not start: {said}") from None
            time.sleep(0.05)


@contextlib.contextmanager
def _stopped_after(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Stop ``process`` and its children (started in their own session), whatever happens."""
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _program(name: str, package: str) -> str:
    """The absolute path of a server program (sbin is often not on PATH), or skip the test."""
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(("/usr/sbin", "/sbin")))
    if found is None:
        pytest.skip(f"needs Debian's {package} (/usr/sbin/{name})")
    return found


def ssh_keygen(key: Path) -> Path:
    """A new ed25519 key pair without passphrase at ``key``; returns the public key's path."""
    key.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key.name, "-f", str(key)],
        check=True,
        timeout=30,
    )
    return key.with_name(key.name + ".pub")


@dataclass(frozen=True)
class SshServer:
    """An OpenSSH server of the test's own: who may log in is ``authorized_keys``."""

    port: int
    user: str
    host_key: Path  # the server's public host key, as ``known_hosts`` would hold it
    authorized_keys: Path

    def url(self, repository: Path) -> str:
        """The ``ssh://`` address of a bare repository on this server."""
        return f"ssh://{self.user}@127.0.0.1:{self.port}{repository.resolve()}"

    def authorize(self, public_key: Path) -> None:
        """Let the owner of ``public_key`` log in (what the notebook's host does by hand)."""
        with self.authorized_keys.open("a", encoding="ascii") as keys:
            keys.write(public_key.read_text(encoding="ascii"))


@contextlib.contextmanager
def ssh_server(folder: Path) -> Iterator[SshServer]:
    """Debian's ``sshd`` on 127.0.0.1, as the current user, key authentication only.

    Its host key, configuration, ``authorized_keys`` (empty at first) and log live in
    ``folder``; the system's own ssh service and configuration are never used.
    """
    sshd = _program("sshd", "openssh-server")
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("needs Debian's openssh-client (ssh, ssh-keygen)")
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # sshd started by root insists on its privilege separation folder, which Debian's
        # ssh service creates at boot (RuntimeDirectory=sshd): do the same if it never ran.
        privsep = Path("/run/sshd")
        try:
            privsep.mkdir(mode=0o755, exist_ok=True)
        except OSError:
            pytest.skip("sshd needs /run/sshd, which cannot be created here")
    host_key = folder / "host_key"
    host_public = ssh_keygen(host_key)
    authorized_keys = folder / "authorized_keys"
    authorized_keys.touch()
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                "ListenAddress 127.0.0.1",
                f"Port {port}",
                f"HostKey {host_key}",
                f"AuthorizedKeysFile {authorized_keys}",
                "PidFile none",
                "UsePAM no",
                "StrictModes no",  # tmp folders are world-writable higher up
                "PermitRootLogin prohibit-password",  # root by key only, in this config only
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "AllowTcpForwarding no",
                "X11Forwarding no",
                "PrintMotd no",
                "LogLevel ERROR",
                # The post-quantum default key exchange doubles the cost of each connection,
                # and a sync makes several.
                "KexAlgorithms curve25519-sha256",
                "",
            ]
        ),
        encoding="ascii",
    )
    log = folder / "sshd.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sshd, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its per-connection children are stopped with it
        )
    with _stopped_after(process):
        _wait_for(process, port, "sshd", log)
        yield SshServer(port, getpass.getuser(), host_public, authorized_keys)


@dataclass(frozen=True)
class HttpServer:
    """lighttpd serving ``git http-backend`` behind basic authentication."""

    port: int
    user: str
    password: str

    def url(self, name: str) -> str:
        """The ``http://`` address of the bare repository ``name`` under the served folder."""
        return f"http://127.0.0.1:{self.port}/git/{name}"


@contextlib.contextmanager
def http_server(folder: Path, repositories: Path, user: str, password: str) -> Iterator[HttpServer]:
    """Git's smart HTTP (``git http-backend``) behind Debian's lighttpd on 127.0.0.1.

    Every request needs ``user`` and ``password`` (basic authentication); being authenticated
    sets ``REMOTE_USER``, which is what lets ``http-backend`` accept pushes.
    """
    lighttpd = _program("lighttpd", "lighttpd")
    exec_path = subprocess.run(
        ["git", "--exec-path"], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    backend = Path(exec_path) / "git-http-backend"
    if not backend.is_file():
        pytest.skip("needs git's http-backend (Debian's git package)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    users = folder / "users"
    users.write_text(f"{user}:{password}\n", encoding="utf-8")
    port = free_port()
    config = folder / "lighttpd.conf"
    config.write_text(
        f"""\
server.modules = ("mod_auth", "mod_authn_file", "mod_alias", "mod_setenv", "mod_cgi")
server.bind = "127.0.0.1"
server.port = {port}
server.document-root = "{folder / "www"}"
server.errorlog = "{folder / "error.log"}"
alias.url = ("/git/" => "{backend}/")
cgi.assign = ("" => "")
setenv.set-environment = (
    "GIT_PROJECT_ROOT" => "{repositories.resolve()}",
    "GIT_HTTP_EXPORT_ALL" => "",
)
auth.backend = "plain"
auth.backend.plain.userfile = "{users}"
auth.require = ("/" => ("method" => "basic", "realm" => "Carnet", "require" => "valid-user"))
""",
        encoding="utf-8",
    )
    log = folder / "lighttpd.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [lighttpd, "-D", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    with _stopped_after(process):
        _wait_for(process, port, "lighttpd", log)
        yield HttpServer(port, user, password)


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word. Yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port: int = listener.getsockname()[1]
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()
