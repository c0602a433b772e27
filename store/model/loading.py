"""Filling a frozen data object at once, for those a notebook opens by the tens of thousands."""

from __future__ import annotations

from typing import Any


def loaded(instance: object) -> dict[str, Any]:
    """The attributes of a frozen dataclass instance made by ``object.__new__``, to fill in.

    Opening a notebook of 10,000 entries builds 110,000 comments and reviews from documents
    already checked. A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, six times slower than filling the instance's dict at once (0.15 s
    of each opening). Only ``from_doc`` does this, with every field, so the instance is as
    ``__init__`` would have made it.
    """
    attributes: dict[str, Any] = instance.__dict__
    return attributes
