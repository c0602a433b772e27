"""Filling a frozen data object at once, for those a notebook opens by the tens of thousands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def filler(cls: type[T]) -> Callable[..., T]:
    """A function that makes an instance of the frozen, slotted dataclass ``cls`` from the
    values of all its fields, in order, without running its ``__init__``.

    Opening a notebook of 30,000 entries builds 400,000 comments and reviews from documents
    already checked. A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, twice as slow as calling each slot's own setter, one line a
    field, which is the code made here (as ``dataclasses`` makes ``__init__``; a loop over
    the setters costs as much as ``__init__``). Only ``from_doc`` uses it, with every field,
    so the instance is as ``__init__`` would have made it (these classes have no
    ``__post_init__``).
    """
    names = [field.name for field in fields(cls)]  # type: ignore[arg-type]
    scope: dict[str, Any] = {f"set_{name}": getattr(cls, name).__set__ for name in names}
    scope.update(cls=cls, new=object.__new__)
    lines = [f"def fill({', '.join(names)}):", "    instance = new(cls)"]
    lines += [f"    set_{name}(instance, {name})" for name in names]
    lines.append("    return instance")
    exec("\n".join(lines), scope)  # noqa: S102 - code made from the class's own field names
    fill: Callable[..., T] = scope["fill"]
    return fill
