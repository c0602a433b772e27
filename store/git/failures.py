"""Why a fetch or a push failed, in the store's exceptions and words a participant can act on.

Read from everything git (and ssh, and the server) printed; ``store.git.remote`` gathers it.
"""

from __future__ import annotations

import re

from store.errors import AuthError, OfflineError, RemoteError, SyncError, git_fault
from store.i18n import N_, _
from store.keys import find_public_key


def detail(output: list[str], status: object) -> str:
    """The line of git's ``output`` that says what went wrong (``status``, its exit code, if none
    does), without git's prefixes."""
    lines = [
        line
        for line in output
        if not line.startswith(("stderr:", "stdout:", "Looking up", "Connecting to"))
    ]
    meaningful = [line for line in lines if "fatal:" in line or "error:" in line]
    text = (meaningful or lines or [str(status)])[-1]
    for prefix in ("fatal:", "error:"):
        text = text.rsplit(prefix, 1)[-1]
    return text.strip("'\" ")


_OFFLINE = (
    "could not resolve", "connection refused", "connection timed out", "timed out",
    "network is unreachable", "no route to host", "temporary failure in name resolution",
    "unable to connect", "failed to connect", "couldn't connect", "connection reset",
    "the remote end hung up", "early eof", "operation too slow", "unable to look up",
    "name or service not known", "host is down", "broken pipe",
)  # fmt: skip
_AUTH = (
    "authentication failed", "could not read username", "could not read password",
    "terminal prompts disabled", "permission denied", "access denied", "http basic",
    "invalid username or password", "requested url returned error: 401",
    "requested url returned error: 403",
)  # fmt: skip
# ssh: the server knows none of the keys offered (or none exists).
_UNKNOWN_KEY = ("permission denied (publickey",)
# ssh: the server's host key is not the one remembered in known_hosts.
_CHANGED_HOST = (
    "remote host identification has changed", "has changed and you have requested strict",
)  # fmt: skip
# ssh: any other reason not to trust the server (a key marked revoked, say).
_UNTRUSTED_HOST = ("host key verification failed",)
_OFFENDING_LINE = re.compile(r"offending \S+ key in (.+):(\d+)$", re.IGNORECASE)
# https: a name and password were given (by a credential helper) and refused.
_WRONG_PASSWORD = ("authentication failed for", "invalid username or password")
# https: a password is needed and no credential helper gave one (prompts are off).
_NO_PASSWORD = ("could not read username", "could not read password", "terminal prompts disabled")
_MISSING = (
    "does not appear to be a git repository", "repository not found", "not found",
    "no such file or directory", "not a git repository", "returned error: 404",
    "no such repository", "not exported",
)  # fmt: skip


def _credentials_refused(lines: list[str], text: str) -> AuthError | None:
    """What to do when the server refused who we are, or we refused who the server is."""
    if any(word in text for word in _CHANGED_HOST):
        found = [match for line in lines if (match := _OFFENDING_LINE.search(line))]
        if found:
            return AuthError(
                _(
                    "the server's identity has changed since this computer last met it (it may "
                    "be an impostor, so nothing was sent): ask whoever hosts the notebook whether "
                    "they changed the server; if they did, delete line {line} of {file}, "
                    "then sync again"
                ).format(line=found[-1].group(2), file=found[-1].group(1))
            )
        return AuthError(
            _(
                "the server's identity has changed since this computer last met it (it may be an "
                "impostor, so nothing was sent): ask whoever hosts the notebook whether they "
                "changed the server"
            )
        )
    if any(word in text for word in _UNTRUSTED_HOST):
        return AuthError(
            _(
                "this computer does not trust the server's identity, so nothing was sent: ask "
                "whoever hosts the notebook to check the server's key with you"
            )
        )
    if any(word in text for word in _UNKNOWN_KEY):
        key = find_public_key()
        if key is None:
            return AuthError(
                _(
                    "the server asks for an SSH key and this computer has none: create one "
                    "with carnet key --create, send the public key it shows to whoever hosts "
                    "the notebook, then try again once they have added it"
                )
            )
        return AuthError(
            _(
                "the server does not know your SSH key: send your public key {key} (carnet key "
                "shows it) to whoever hosts the notebook, then try again once they have added it"
            ).format(key=key)
        )
    if any(word in text for word in _WRONG_PASSWORD):
        return AuthError(
            _(
                "the shared repository refused your name or password: check them with whoever "
                "hosts the notebook, then sync again"
            )
        )
    if any(word in text for word in _NO_PASSWORD):
        return AuthError(
            _(
                "the shared repository asks for a name and password, and none is saved on this "
                "computer: save them once in a git credential helper (your system's keychain, "
                "or git config --global credential.helper store, then type them once at a "
                "git fetch in a terminal), then sync again"
            )
        )
    return None


# What is left, by the words git printed: the kind of error, and what to say.
_KINDS: tuple[tuple[tuple[str, ...], type[SyncError], str], ...] = (
    (_AUTH, AuthError, N_(
        "the shared repository refused your access ({detail}): check your SSH key or "
        "password with whoever runs it, then sync again")),
    (_OFFLINE, OfflineError, N_(
        "cannot reach the shared repository ({detail}): your work is kept here; "
        "sync again when you are online")),
    (_MISSING, RemoteError, N_(
        "no shared repository was found at that address ({detail}): check the address")),
)  # fmt: skip


def classify(output: list[str], status: object, timeout: float) -> SyncError:
    """Turn a failed fetch or push into the error kind and words a participant can act on.

    Args:
        output: every line git printed, stripped, none empty.
        status: git's exit code.
        timeout: the seconds the operation was given.
    """
    said = detail(output, status)
    said_by_ssh = [line for line in output if line.startswith("ssh:")]
    if said_by_ssh:  # what ssh saw, not git's "Could not read from remote repository"
        said = said_by_ssh[-1].removeprefix("ssh:").strip()
    text = " ".join(output).lower()
    # Before the disk faults: ssh's "Permission denied (publickey)" is not about a folder.
    auth = _credentials_refused(output, text)
    if auth is not None:
        return auth
    fault = git_fault(text)
    if fault is not None:  # a full disk, a read-only folder: the participant can fix it
        return SyncError(fault)
    if "kill_after_timeout" in text or "killed because it timed out" in text:
        return OfflineError(
            _(
                "the shared repository did not answer within {seconds} seconds: "
                "your work is kept here; sync again later"
            ).format(seconds=round(timeout))
        )
    for words, kind, message in _KINDS:
        if any(word in text for word in words):
            return kind(_(message).format(detail=said))
    return SyncError(
        _("sync failed ({detail}): your work is kept here; try again").format(detail=said)
    )


def unexpected(output: list[str], status: object, root: object) -> SyncError:
    """What to say when git refused a local step of the sync (not the network's doing)."""
    fault = git_fault(" ".join(output), root)
    return SyncError(
        fault or _("sync failed ({detail}): try again").format(detail=detail(output, status))
    )
