"""@frozen: a frozen dataclass with slots, as @dataclass(frozen=True, slots=True) makes it, for less.

dataclasses writes six methods for each class as source text and compiles them one by one; a one-briefing
build creates about sixty such classes, and compiling their methods was about 20 ms of its start (a twentieth
of its CPU). Equality, hashing and repr read nothing but the fields, so here they are three functions shared
by every class, given each class's fields once; the frozen __setattr__ and __delattr__ are closures (see
_frozen_attributes), and dataclasses still compiles __init__ alone. They behave as dataclasses' own
(tests/test_frozen.py compares them on every class): equality compares the tuple of the compared fields with
another object of exactly the same class (anything else: NotImplemented), the hash is that of the tuple of
the hashed fields, the repr is 'Name(a=1, b='x')' with '...' for an object met again inside its own repr.
fields(), replace(), asdict(), pickling, __slots__, __match_args__ and FrozenInstanceError are dataclasses' own.
"""

from __future__ import annotations

import _thread
import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

Getter = Callable[[Any], tuple]
_fields_of: dict[type, tuple[Getter, Getter, tuple[str, ...]]] = {}
"""Each class made here (and each subclass met) -> its compared fields' values, its hashed fields' values,
the names its repr shows."""


def _values(names: list[str]) -> Getter:
    """A function giving an object's values of *names*, always as a tuple."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names) if names else (lambda obj: ())


def _of(cls: type) -> tuple[Getter, Getter, tuple[str, ...]]:
    found = _fields_of.get(cls)
    if found is None:  # a subclass: its methods are those of the class made here it inherits them from
        found = _fields_of[cls] = next(_fields_of[base] for base in cls.__mro__ if base in _fields_of)
    return found


def _eq(self: Any, other: object) -> Any:
    if other.__class__ is self.__class__:
        compared = _of(self.__class__)[0]
        return compared(self) == compared(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(_of(self.__class__)[1](self))


_in_repr: set[tuple[int, int]] = set()


def _repr(self: Any) -> str:
    key = id(self), _thread.get_ident()
    if key in _in_repr:
        return "..."
    _in_repr.add(key)
    try:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _of(self.__class__)[2])
        return f"{self.__class__.__qualname__}({shown})"
    finally:
        _in_repr.discard(key)


def _frozen_attributes(cls: Any, fields: list[dataclasses.Field], globals: dict) -> tuple[Callable, Callable]:
    """The frozen __setattr__ and __delattr__ dataclasses would compile from source for *cls*, made as closures:
    each compile was about a tenth of a millisecond, two for each of the sixty classes a build imports. The same
    test, message and fall-through (to the class dataclasses was given, as in its own)."""
    names = frozenset(f.name for f in fields)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


_compiled_attributes = getattr(dataclasses, "_frozen_get_del_attr", None)
_SAME_CALL = getattr(_compiled_attributes, "__code__", None) is not None and \
    _compiled_attributes.__code__.co_varnames[:3] == ("cls", "fields", "globals")  # type: ignore[union-attr]
"""Whether this Python's dataclasses asks for them as 3.11 does (later ones compile every method at once)."""


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[T]) -> type[T]:
    """The class as a frozen dataclass with slots: see the module."""
    own = cls.__dict__  # what the class defines itself is kept, as dataclasses keeps it
    if own.get("__hash__", None) is None and ("__hash__" not in own or "__eq__" in own):
        cls.__hash__ = _hash  # type: ignore[method-assign,assignment]
    for name, method in (("__eq__", _eq), ("__repr__", _repr)):
        if name not in own:
            setattr(cls, name, method)
    if _SAME_CALL:
        dataclasses._frozen_get_del_attr = _frozen_attributes  # type: ignore[attr-defined]
    try:
        made = dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)(cls)
    finally:
        if _SAME_CALL:
            dataclasses._frozen_get_del_attr = _compiled_attributes  # type: ignore[attr-defined]
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    _fields_of[made] = (_values([f.name for f in fields if f.compare]),
                        _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)]),
                        tuple(f.name for f in fields if f.repr))
    return made
