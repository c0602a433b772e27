"""Frozen records with slots, made without ``dataclasses``: the model's data objects.

``dataclasses`` imports ``inspect`` (and with it ``dis``, ``ast``, ``tokenize``: 10-15 ms on
the 2-core machine), and compiles each method of each class on its own when its module is
imported (about 1 ms a class, twice for one with slots, which it makes again). ``carnet add``
builds an entry, a reading, a participant and the notebook's settings, and paid 25-30 ms of
its 125 for them. A record's class is made here in one step: its fields are its annotations,
in order, with the defaults written beside them; its slots are made with it, and its
``__init__`` compiled (about 0.2 ms a class, where ``dataclasses`` took 0.6-1.3).

A record is what a frozen dataclass with slots is: keyword or positional ``__init__`` (then
``__post_init__`` if the class has one), equality and hash by its fields' values, in order,
between records of the same class, a ``repr`` naming each field, no attribute set after
``__init__`` (``object.__setattr__`` still can, as in ``__post_init__``), copied and pickled
by its fields. ``replace`` and ``field_names`` take the place of ``dataclasses.replace`` and
``dataclasses.fields``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

R = TypeVar("R", bound="Record")


class FrozenRecordError(AttributeError):
    """A field of a record was assigned or deleted after it was made."""


@dataclass_transform(frozen_default=True)
class RecordType(type):
    """The class of records: makes each one's slots and ``__init__`` from its annotations."""

    __record_fields__: tuple[str, ...]
    __record_values__: Callable[[Any], tuple[Any, ...]]  # the values of its fields, in order

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> RecordType:
        if any(getattr(base, "__record_fields__", ()) for base in bases):
            raise TypeError(f"{name}: a record's fields are its own, not inherited")
        names = tuple(namespace.get("__annotations__", ()))
        defaults = {field: namespace.pop(field) for field in names if field in namespace}
        namespace["__slots__"] = names
        cls = super().__new__(mcls, name, bases, namespace)
        cls.__record_fields__ = names
        if names:
            cls.__record_values__ = (
                attrgetter(*names)
                if len(names) > 1
                else lambda record: (getattr(record, names[0]),)
            )
            cls.__init__ = _init(cls, names, defaults)  # type: ignore[misc]
        return cls


class Record(metaclass=RecordType):
    """A frozen record with slots: subclass it and annotate its fields (see the module).

    Its comparisons are the same for every record class, reading the field values through
    one ``attrgetter`` (as fast as code made for the class, which would cost each class a
    compilation when its module is imported); only ``__init__`` is made for each.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            values = self.__class__.__record_values__
            return bool(values(self) == values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.__class__.__record_values__(self))

    def __repr__(self) -> str:
        cls = self.__class__
        values = cls.__record_values__(self)
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(cls.__record_fields__, values, strict=True)
        )
        return f"{cls.__qualname__}({shown})"

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (self.__class__, self.__class__.__record_values__(self))

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenRecordError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"cannot delete field {name!r}")


def _init(cls: type, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    """The ``__init__`` of the record class ``cls``: each field set in turn through
    ``object.__setattr__`` (through any property put on its slot since), then its
    ``__post_init__`` if it has one; compiled, as ``dataclasses`` makes it."""
    # Those with defaults must come last, as in any function's parameters.
    first_default = next((i for i, name in enumerate(names) if name in defaults), len(names))
    if any(name not in defaults for name in names[first_default:]):
        raise TypeError(f"{cls.__name__}: a field without a default follows one with")
    parameters = ", ".join(
        f"{name}=_default_{name}" if name in defaults else name for name in names
    )
    lines = [
        f"def __init__(self, {parameters}):",
        *(f"    _set(self, {name!r}, {name})" for name in names),
        *(["    self.__post_init__()"] if hasattr(cls, "__post_init__") else []),
    ]
    scope: dict[str, Any] = {f"_default_{name}": value for name, value in defaults.items()}
    scope["_set"] = object.__setattr__
    # The code is made from the class's own field names, never from outside text.
    exec("\n".join(lines), scope)  # noqa: S102
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def field_names(record: type[Record] | Record) -> tuple[str, ...]:
    """The names of the fields of a record or record class, in order (``dataclasses.fields``,
    by name)."""
    record_class = record if isinstance(record, type) else type(record)
    return record_class.__record_fields__


def replace(record: R, /, **changes: Any) -> R:
    """A copy of ``record`` with the fields named in ``changes`` changed, made by its class's
    ``__init__`` (``dataclasses.replace``).

    Raises:
        TypeError: ``changes`` names a field the record does not have.
    """
    names = type(record).__record_fields__
    unknown = changes.keys() - set(names)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {', '.join(sorted(unknown))}")
    values = {name: getattr(record, name) for name in names}
    values.update(changes)
    return record.__class__(**values)
