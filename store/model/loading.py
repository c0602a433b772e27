"""Filling a frozen data object at once, for those a notebook opens by the tens of thousands."""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

from store.record import Record, field_names

T = TypeVar("T", bound=Record)

# The slots of the text fields held as UTF-8 (``held_as_utf8``), by class and field name:
# their own getters, and setters.
_HELD_AS_UTF8: dict[tuple[type, str], Any] = {}
_SET_AS_HELD: dict[tuple[type, str], Any] = {}


# A text held compressed begins with this byte, which no UTF-8 text holds.
DEFLATED = b"\xff"
# Deflating takes about 9 microseconds a body, whatever its length: below this many bytes it
# gains too little for that (at 10,000 entries, the quarter of the bodies under it would
# cost a quarter of the time for 6 % of the gain).
DEFLATE_FROM = 256
# The text deflated last, by what holds it: a document read from its file is given back at
# once by its object, for the storage's check, which then need not inflate it again.
_last_deflated: tuple[bytes, str] = (b"", "")


def compact_text(text: str | bytes, deflate: bool = False) -> str | bytes:
    """``text`` as UTF-8 bytes where they take less memory than the string, else itself;
    with ``deflate``, a text of ``DEFLATE_FROM`` bytes or more as ``DEFLATED`` and its raw
    deflate stream where that is shorter still (``held_text`` gives it back).

    A French text with one ``œ`` or ``’`` is a string of two bytes a character, and any
    other one at least 49 bytes for the string's own fields where bytes take 33. Bytes are
    kept as given: they are such a text already (the cache holds them so).
    """
    if type(text) is not str:
        return text
    try:
        encoded = text.encode()
    except UnicodeEncodeError:  # a lone surrogate, which JSON may hold: kept as it is
        return text
    if deflate and len(encoded) >= DEFLATE_FROM:
        packed = DEFLATED + zlib.compress(encoded, 1, -15)
        if len(packed) < len(encoded):
            global _last_deflated
            _last_deflated = (packed, text)
            return packed
    return encoded if sys.getsizeof(encoded) < sys.getsizeof(text) else text


def held_text(held: str | bytes) -> str:
    """The text ``compact_text`` gave ``held`` for."""
    if type(held) is not bytes:
        return held  # type: ignore[return-value]  # a str: held as it is
    last_held, last_text = _last_deflated
    if held is last_held:
        return last_text
    if held[:1] == DEFLATED:
        return zlib.decompress(memoryview(held)[1:], -15).decode()
    return held.decode()


def held_as_utf8(cls: type, name: str, shares: str | None = None, deflate: bool = False) -> None:
    """Make the text field ``name`` of the record ``cls`` (``store.record``) hold its value
    compactly (``compact_text``) and give it back as the string it was, at every read.

    The bodies of entries and comments are most of a notebook's memory (120 MB at 30,000
    entries), read only when shown or searched; decoding one costs a microsecond a page.
    With ``deflate`` (the bodies), a text of a few lines is held deflated: two thirds of its
    bytes (90 MB → 59 MB at 30,000 entries), 9 microseconds to deflate when a document is
    read from its file, 3 to inflate at each read.
    The times of comments and readings, 420,000 at 30,000 entries, each its own, take
    16 bytes less so. With ``shares``, a field held so and set before this one, an equal
    value is held as that field's very bytes: a reading's time of reading and of its last
    change are nearly always one time (which ``marshal`` then writes once in the cache).
    """
    slot = cls.__dict__[name]  # the field's own slot, still used through its descriptor
    get_held, set_held = slot.__get__, slot.__set__
    get_shared = None if shares is None else _HELD_AS_UTF8[cls, shares]

    def get(instance: Any) -> str:
        held = get_held(instance)
        if type(held) is not bytes:
            return held  # type: ignore[no-any-return]  # a str, held as it is
        return held_text(held) if deflate else held.decode()

    def put(instance: Any, value: str | bytes) -> None:
        held = compact_text(value, deflate)
        if get_shared is not None and held == (shared := get_shared(instance)):
            held = shared
        set_held(instance, held)

    _HELD_AS_UTF8[cls, name] = get_held
    _SET_AS_HELD[cls, name] = set_held
    setattr(cls, name, property(get, put, doc=f"{cls.__name__}.{name}, held as UTF-8"))


def held_value(cls: type, name: str) -> Callable[[Any], Any]:
    """A function giving the field ``name`` of an instance of ``cls`` as it is held (a text
    ``held_as_utf8`` as its bytes, if it is held so)."""
    return _HELD_AS_UTF8.get((cls, name)) or attrgetter(name)


def held_values(cls: type[T]) -> Callable[[T], tuple[Any, ...]]:
    """A function giving the values of every field of an instance of ``cls``, in order, as
    they are held (``held_value``): what ``filler`` takes back."""
    getters = [held_value(cls, name) for name in field_names(cls)]
    if all(isinstance(getter, attrgetter) for getter in getters):
        return cls.__record_values__  # nothing held otherwise: the record's own values
    scope = {f"get{number}": getter for number, getter in enumerate(getters)}
    values = ", ".join(f"get{number}(instance)" for number in range(len(getters)))
    exec(f"def values(instance):\n    return ({values},)", scope)  # noqa: S102 - no outside text
    made: Callable[[T], tuple[Any, ...]] = scope["values"]
    return made


def filler(cls: type[T], *, as_held: bool = False) -> Callable[..., T]:
    """A function that makes an instance of the record ``cls`` (``store.record``) from the
    values of all its fields, in order, without running its ``__init__``.

    ``as_held``: the values are as the instance holds them (``held_values``, as the cache
    keeps them), each text held as UTF-8 set as it is, through its slot's own setter: made
    compact once, it is not encoded again to decide (3,000 of the 10,000 bodies of the
    synthetic notebook, ASCII, are held as strings, and were encoded at every open).

    Opening a notebook of 30,000 entries builds 400,000 comments and reviews from documents
    already checked. A record's ``__init__`` sets each field through
    ``object.__setattr__``, twice as slow as calling each slot's own setter, one line a
    field, which is the code made here (as ``store.record`` makes ``__init__``; a loop over
    the setters costs as much as ``__init__``). Only ``from_doc`` uses it, with every field,
    so the instance is as ``__init__`` would have made it (these classes have no
    ``__post_init__``).
    """
    names = field_names(cls)
    scope: dict[str, Any] = {
        f"set_{name}": (as_held and _SET_AS_HELD.get((cls, name))) or getattr(cls, name).__set__
        for name in names
    }
    scope.update(cls=cls, new=object.__new__)
    lines = [f"def fill({', '.join(names)}):", "    instance = new(cls)"]
    lines += [f"    set_{name}(instance, {name})" for name in names]
    lines.append("    return instance")
    exec("\n".join(lines), scope)  # noqa: S102 - code made from the class's own field names
    fill: Callable[..., T] = scope["fill"]
    return fill
