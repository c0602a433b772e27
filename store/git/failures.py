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


# What keeps the shared repository out of reach, by the words git, ssh or curl print, and
# the reason in plain words (never theirs: "errno=Connection refused" means nothing to most).
_OFFLINE_REASONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("could not resolve", "temporary failure in name resolution", "unable to look up",
      "name or service not known"), N_("the server's name is unknown")),
    (("connection refused",), N_("the server refused the connection")),
    (("connection timed out", "timed out", "operation too slow"),
     N_("the server did not answer in time")),
    (("network is unreachable", "no route to host", "host is down"),
     N_("the network does not reach the server")),
    (("connection reset", "the remote end hung up", "early eof", "broken pipe"),
     N_("the connection was cut")),
    (("unable to connect", "failed to connect", "couldn't connect"),
     N_("the connection failed")),
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


def _offline(text: str, joining: bool) -> OfflineError | None:
    """Why the shared repository is out of reach, if it is; a participant joining has no
    work here yet to keep, and may have mistyped the address."""
    for words, reason in _OFFLINE_REASONS:
        if any(word in text for word in words):
            if joining:
                message = _(
                    "cannot reach the shared repository ({reason}): check the address and "
                    "that you are online, then try again"
                )
            else:
                message = _(
                    "cannot reach the shared repository ({reason}): your work is kept here; "
                    "sync again when you are online"
                )
            return OfflineError(message.format(reason=_(reason)))
    return None


def classify(output: list[str], status: object, timeout: float, joining: bool = False) -> SyncError:
    """Turn a failed fetch or push into the error kind and words a participant can act on.

    Args:
        output: every line git printed, stripped, none empty.
        status: git's exit code.
        timeout: the seconds the operation was given.
        joining: the fetch of ``carnet join``: nothing of the participant's is here yet.
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
        if joining:
            message = _(
                "the shared repository did not answer within {seconds} seconds: check the "
                "address, then try again later"
            )
        else:
            message = _(
                "the shared repository did not answer within {seconds} seconds: "
                "your work is kept here; sync again later"
            )
        return OfflineError(message.format(seconds=round(timeout)))
    # Before the refusals: git daemon says "access denied or repository not exported" for an
    # address that holds no repository, which is a mistyped address, not a key to check.
    if any(word in text for word in _MISSING):
        return RemoteError(
            _(
                "no shared repository was found at that address ({detail}): check the address"
            ).format(detail=said)
        )
    if any(word in text for word in _AUTH):
        return AuthError(
            _(
                "the shared repository refused your access ({detail}): check your SSH key or "
                "password with whoever runs it, then sync again"
            ).format(detail=said)
        )
    offline = _offline(text, joining)
    if offline is not None:
        return offline
    return SyncError(
        _("sync failed ({detail}): your work is kept here; try again").format(detail=said)
    )


def unexpected(output: list[str], status: object, root: object) -> SyncError:
    """What to say when git refused a local step of the sync (not the network's doing)."""
    fault = git_fault(" ".join(output), root)
    return SyncError(
        fault or _("sync failed ({detail}): try again").format(detail=detail(output, status))
    )
