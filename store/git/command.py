"""The options every git command of Carnet's runs with, in a module below all the others
(``store.git.program`` is imported by the command line, which must not pay for the watch's
C library, and the watch runs git too).

- ``core.hooksPath=/dev/null``: no hook of the clone runs. Carnet's commits and index
  updates are its own; a hook that asks a question or fails would stop an action half-way.
- ``core.untrackedCache=false``: git's untracked cache is never read, never written, and
  taken out of the index at git's next write of it. That cache remembers, for each folder,
  its stat data and the untracked files it held, and trusts the folder's listing while its
  stat data is unchanged. git built without nanosecond times (Debian's, among others)
  compares whole seconds: a folder listed, then changed again within the same second (an
  action's file written just after a status), looks unchanged. git guards that case with the
  index file's own time (a folder as recent as the index is listed again), but any later
  rewrite of the index (an action's ``update-index``, a participant's ``git add``) carries the
  cache forward with a newer time, and from then on every status misses the new file, and
  ``git add -A`` leaves it out (tests/test_untracked_cache.py builds that case). A
  participant's own git may have written the cache (``feature.manyFiles``): Carnet ignores it.
"""

from __future__ import annotations

GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.untrackedCache=false")
