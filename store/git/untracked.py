"""The options under which git keeps and reads its untracked cache, for every status of Carnet's.

git's untracked cache (in its index) remembers which folders held no untracked file, so a
status lists only the folders whose own stat data changed since: at 10,000 entries half of
the status's time was listing every folder. git checks that cache itself (each folder's stat
data, the ignore files, where the work tree is), so the answer is the same. A status reads
it only if its flags are the cache's, so ``--untracked-files=all`` must also be the setting,
and only in a status without paths, so each is of the whole work tree. It is written only by
a status that takes the index's lock (``store.git.watch``'s refresh, the listing's check),
read by the others. A module of its own, below both: ``store.git.program`` is imported by the
command line, which must not pay for the watch's C library.
"""

from __future__ import annotations

UNTRACKED_CACHE = ("-c", "core.untrackedCache=true", "-c", "status.showUntrackedFiles=all")
