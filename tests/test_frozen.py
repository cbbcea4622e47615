"""@frozen classes behave as @dataclass(frozen=True, slots=True) ones: every class, on the objects a build makes."""

from __future__ import annotations

import dataclasses
import importlib
import pickle
import pkgutil
from pathlib import Path

import pytest

import briefpack
from briefpack import frozen
from conftest import EXAMPLE_PACKS


def _every_class() -> list[type]:
    for module in pkgutil.walk_packages(briefpack.__path__, "briefpack."):
        if module.name != "briefpack.__main__":  # that one runs the command
            importlib.import_module(module.name)
    return sorted(frozen._fields_of, key=lambda cls: (cls.__module__, cls.__qualname__))


def _twin(cls: type) -> type:
    """The class as dataclasses makes it: the same fields (types, defaults, flags), its own methods."""
    made = dataclasses.make_dataclass(cls.__name__, [(f.name, f.type, f) for f in dataclasses.fields(cls)],
                                      frozen=True, slots=True)
    made.__qualname__ = cls.__qualname__
    return made


def _objects(examples: Path) -> dict[type, list[object]]:
    """Objects of every @frozen class found in the jobs of every example pack (with kits), by class."""
    from briefpack.build import prepare
    from briefpack.kit import compose_kit

    jobs = prepare([examples / "packs" / f"{name}.yaml" for name in EXAMPLE_PACKS], None)
    found: dict[type, list[object]] = {}
    seen: set[int] = set()
    stack: list[object] = [*jobs, *(compose_kit(j.pack, j.library, j.brand, j.document) for j in jobs)]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if type(obj) in frozen._fields_of:
            found.setdefault(type(obj), []).append(obj)
            stack.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]
        elif isinstance(obj, (tuple, list, frozenset, set)):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
    return found


def _hash(obj: object) -> object:
    """The hash, or the exception it raises (a class with a dict or a list among its fields has none)."""
    try:
        return hash(obj)
    except TypeError as exc:
        return str(exc)


def test_every_frozen_class_is_a_frozen_slotted_dataclass() -> None:
    classes = _every_class()
    assert len(classes) > 50
    for cls in classes:
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        assert "__slots__" in cls.__dict__ and "__dict__" not in cls.__dict__, cls
        assert cls.__match_args__ == tuple(f.name for f in dataclasses.fields(cls) if f.init), cls


def test_equality_hash_and_repr_are_dataclasses_own(examples: Path) -> None:
    found = _objects(examples)
    assert len(found) > 20  # most classes of the model and the document
    for cls, objects in found.items():
        twin = _twin(cls)
        twins = [twin(**{f.name: getattr(o, f.name) for f in dataclasses.fields(cls)}) for o in objects]
        for obj, other in zip(objects, twins, strict=True):
            assert repr(obj) == repr(other)
            assert _hash(obj) == _hash(other)
            assert obj == dataclasses.replace(obj) and not obj != dataclasses.replace(obj)  # type: ignore[type-var]
            assert obj.__eq__(other) is NotImplemented and obj != other  # another class, as for dataclasses
        sample = list(zip(objects, twins, strict=True))[:30]
        for a, twin_a in sample:
            for b, twin_b in sample:
                assert (a == b) == (twin_a == twin_b)


def test_what_goes_to_the_pdf_helper_comes_back_equal(examples: Path) -> None:
    from briefpack.build import prepare

    for job in prepare([examples / "packs" / f"{name}.yaml" for name in EXAMPLE_PACKS], None):
        for obj in (job.document, job.brand, job.pack):
            again = pickle.loads(pickle.dumps(obj))
            assert again == obj and hash(again) == hash(obj) and repr(again) == repr(obj)


def test_frozen_objects_cannot_change() -> None:
    from briefpack.model import Colour

    colour = Colour(1, 2, 3)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'red'"):
        colour.red = 4  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'red'"):
        del colour.red  # type: ignore[misc]
    assert dataclasses.replace(colour, red=4) == Colour(4, 2, 3)
    assert repr(colour) == "Colour(red=1, green=2, blue=3)"
    assert Colour(1, 2, 3).__eq__((1, 2, 3)) is NotImplemented


def test_a_subclass_and_a_repr_that_meets_itself() -> None:
    @frozen.frozen
    class Box:
        items: list

    class Crate(Box):
        pass

    box = Box([])
    box.items.append(box)
    assert repr(box) == "test_a_subclass_and_a_repr_that_meets_itself.<locals>.Box(items=[...])"
    assert Crate([1]) == Crate([1]) and Crate([1]) != Box([1])
    assert repr(Crate([1])) == "test_a_subclass_and_a_repr_that_meets_itself.<locals>.Crate(items=[1])"


def test_assigning_and_deleting_fail_as_in_dataclasses_own(examples: Path) -> None:
    """The frozen __setattr__ and __delattr__ are closures, not compiled from source as dataclasses makes them:
    on every class, a field and a name that is none raise what dataclasses' own methods raise."""
    assert frozen._SAME_CALL  # the Python the project runs on: its dataclasses asks for them one class at a time

    def outcome(change, obj: object, name: str) -> tuple[type, str]:  # noqa: ANN001 - setattr or delattr
        try:
            change(obj, name, 1) if change is setattr else change(obj, name)
        except Exception as exc:  # noqa: BLE001 - what it raised is the answer
            return type(exc), str(exc)
        return type(None), ""

    for cls, objects in _objects(examples).items():
        assert cls.__setattr__.__code__ is frozen._frozen_attributes(cls, [], {})[0].__code__, cls
        obj = objects[0]
        other = _twin(cls)(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)})
        for name in (*(f.name for f in dataclasses.fields(cls)[:1]), "not_a_field"):
            for change in (setattr, delattr):
                assert outcome(change, obj, name) == outcome(change, other, name), (cls, name)
