"""Everything Carnet asks of git, in one package.

``program`` runs the git binary; ``local`` is the notebook's own repository (commits, signing,
history); ``trees`` is the plumbing a sync merges with (private indexes, blobs, raw diffs);
``remote`` talks to the shared repository (fetch, push, clone), the only module that imports
GitPython, and ``failures`` says in plain words why the shared repository failed.
"""
