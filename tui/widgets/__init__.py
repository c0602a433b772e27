"""The review screen's widgets: entry list, entry view, filter bar and status bar."""
