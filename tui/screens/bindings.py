"""Key descriptions translated when they are shown, so that a change of language reaches them."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding

from store.i18n import _
from tui.mixins import ScreenMixin


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


class TranslatedKeys(ScreenMixin):
    """Mixin for a screen whose keys are shown (footer, palette) in the current language."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translated(super().active_bindings)
