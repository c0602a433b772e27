"""SSH keys: a participant's public keys, the fingerprints git reports, and the key on disk.

Carnet signs commits with git's SSH signatures (``gpg.format=ssh``). A participant's public
keys live in their participant record; git verifies a signature with ``ssh-keygen`` and
reports the fingerprint of the key that made it, and ``store.gate`` decides whether that key
is one of the participant's (git itself would call a commit by alice signed by bob's key
"good"). This module only reads, checks and prints keys; it never holds a private key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from store.errors import InvalidInputError
from store.i18n import _

# The key types ``ssh-keygen -Y sign`` can sign with (the ``sk-`` ones need a hardware key).
KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
# Where ``ssh-keygen`` puts a new key by default, the most usual first.
DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")


def parse_key(text: str) -> str | None:
    """The key of an OpenSSH public key line (``type base64 [comment]``) as ``type base64``,
    or None if ``text`` is not one."""
    parts = text.strip().split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    # The blob starts with its own type, as a length-prefixed string: it must agree.
    size = int.from_bytes(blob[:4], "big")
    if blob[4 : 4 + size].decode("ascii", "replace") != parts[0]:
        return None
    return f"{parts[0]} {parts[1]}"


def fingerprint(key: str) -> str:
    """The ``SHA256:…`` fingerprint of a key, as ``ssh-keygen -l`` and git print it."""
    blob = base64.b64decode(key.split()[1])
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def allowed_signers(keys: Mapping[str, Iterable[str]]) -> str:
    """The text of an ``allowed_signers`` file (``ssh-keygen(1)``): each participant's keys,
    under their id, for git's signatures only. ``git log --show-signature`` then names them."""
    lines = [
        f'{participant} namespaces="git" {key}'
        for participant, found in sorted(keys.items())
        for key in sorted(found)
    ]
    return "".join(line + "\n" for line in lines)


def read_public_key(path: Path) -> str:
    """The public key in the file ``path`` (a ``.pub`` file), as ``type base64``.

    Raises:
        InvalidInputError: the file cannot be read, or holds no public key (a private key
        given by mistake is said so).
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        raise InvalidInputError(
            _("cannot read the key {path}: check the path (carnet key shows yours)").format(
                path=path
            )
        ) from None
    if "PRIVATE KEY" in text:
        raise InvalidInputError(
            _("{path} is a private key: give its public half, {path}.pub").format(path=path)
        )
    key = parse_key(text.strip().splitlines()[0] if text.strip() else "")
    if key is None:
        raise InvalidInputError(
            _("{path} is not an SSH public key (a line starting with ssh-ed25519)").format(
                path=path
            )
        )
    return key


def load_signing_key(path: Path) -> tuple[Path, str]:
    """The key to sign with: the absolute path of its public half (git runs in the notebook's
    folder, and the setting outlives the current one) and the key it holds.

    Raises:
        InvalidInputError: as ``read_public_key``.
    """
    absolute = path.expanduser().resolve()
    return absolute, read_public_key(absolute)


def ssh_dir() -> Path:
    """The person's ``~/.ssh`` folder."""
    return Path(os.path.expanduser("~")) / ".ssh"


def find_public_key() -> Path | None:
    """The person's usual SSH public key, if they have one."""
    for name in DEFAULT_KEYS:
        path = ssh_dir() / f"{name}.pub"
        if path.is_file():
            return path
    return None


def create_key(comment: str | None = None) -> Path:
    """Make a new ed25519 key pair in ``~/.ssh`` (without a passphrase, so that Carnet can sign
    and sync without asking anything); return the public key's path. ``comment`` names whose
    it is (ssh-keygen's default: user@computer).

    Raises:
        InvalidInputError: a key is already there, or ``ssh-keygen`` is missing or failed.
    """
    private = ssh_dir() / DEFAULT_KEYS[0]
    if private.exists() or private.with_suffix(".pub").exists():
        raise InvalidInputError(
            _("{path} already exists: carnet key shows it").format(path=private.with_suffix(".pub"))
        )
    try:
        private.parent.mkdir(mode=0o700, exist_ok=True)
        done = subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", *(["-C", comment] if comment else []),
             "-f", str(private)],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except FileNotFoundError:
        raise InvalidInputError(
            _("ssh-keygen is not installed: install OpenSSH (openssh-client), then try again")
        ) from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InvalidInputError(
            _("the key could not be made: {reason}").format(reason=exc)
        ) from None
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise InvalidInputError(
            _("the key could not be made: {reason}").format(
                reason=reason[-1] if reason else done.returncode
            )
        )
    return private.with_suffix(".pub")
