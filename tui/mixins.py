"""The bases of the TUI's mixins: to the type checker, the class a mixin is mixed into (so
that ``self.notify``, ``self.query_one``... are known); at run time, ``object``, as the class
that uses the mixin brings the real one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    AppMixin = App[Any]
    ScreenMixin = Screen[Any]
else:
    AppMixin = object
    ScreenMixin = object
