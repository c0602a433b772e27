"""Carnet's faces: the review TUI (``tui.app``) and the command line (``tui.cli``)."""
