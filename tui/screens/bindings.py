"""Key descriptions translated when they are shown, so that a change of language reaches them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.binding import ActiveBinding

from store.i18n import _


def translated(bindings: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """``bindings`` with their descriptions (marked with ``N_``) in the current language."""
    return {
        key: ActiveBinding(
            active.node,
            replace(active.binding, description=_(active.binding.description)),
            active.enabled,
            _(active.tooltip) if active.tooltip else "",
        )
        for key, active in bindings.items()
    }


if TYPE_CHECKING:
    from textual.screen import Screen

    _ScreenBase = Screen[Any]
else:  # a mixin: the screen class that uses it brings the Screen
    _ScreenBase = object


class TranslatedKeys(_ScreenBase):
    """Mixin for a screen whose keys are shown (footer, palette) in the current language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)
