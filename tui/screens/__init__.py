"""The screens of the review TUI: review, editor, comments, conflicts, history."""
