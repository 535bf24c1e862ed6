"""Typed, immutable values as named tuples that compare by type.

formkit's values (the document model, form definitions, warnings ...) are
made in their thousands per document and defined at every start-up. A named
tuple is one C call to make and costs a fraction of a frozen dataclass to
define (a dataclass compiles generated source for each of its methods when
its module is imported, a named tuple one small function). What a plain
named tuple lacks is kept here: a value equals only a value of its own type
(``Text("line") != Break("line")``, and never a plain tuple), and a field may
be left out of comparisons, as ``field(compare=False)`` would.

The classes are written as :class:`typing.NamedTuple` classes, with
:data:`NamedTuple` from here as their base: type checkers see typing's, and
at run time it makes the same class without checking each annotation (typing
compiles every field's annotation, a string under ``from __future__ import
annotations``, into a ``ForwardRef``: most of the cost of defining a value).
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple", "compare_by_type"]

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    # what typing.NamedTuple does with a class body, but the annotations are kept as written
    _RESERVED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                           "_make", "_replace", "_asdict", "_source"})

    class _NamedTupleType(type):
        def __new__(cls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> type:
            if bases != (NamedTuple,):
                raise TypeError("a value derives from NamedTuple alone")
            fields: dict[str, str] = ns.get("__annotations__", {})
            defaults = [name for name in fields if name in ns]
            if defaults and defaults != list(fields)[len(fields) - len(defaults):]:
                raise TypeError(f"{typename}: a field without a default follows {defaults[0]!r}, which has one")
            made = namedtuple(typename, fields, defaults=[ns[name] for name in defaults], module=ns["__module__"])
            made.__annotations__ = fields
            for key, value in ns.items():
                if key in _RESERVED:
                    raise AttributeError(f"{typename}: cannot overwrite the named tuple's {key}")
                if key not in ("__module__", "__annotations__") and key not in fields:
                    setattr(made, key, value)
            return made

    NamedTuple = type.__new__(_NamedTupleType, "NamedTuple", (), {})


def compare_by_type(cls: type, ignore: tuple[str, ...] = ()) -> None:
    """Give the named tuple ``cls`` equality and hashing by its type and its
    fields, leaving out those named in ``ignore``."""
    fields: tuple[str, ...] = getattr(cls, "_fields")
    unknown = set(ignore) - set(fields)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)[0]!r}")
    keep = tuple(i for i, name in enumerate(fields) if name not in ignore)
    if len(keep) == len(fields):
        def key(value: Any) -> Any:
            return value
    else:
        def key(value: Any) -> Any:
            return tuple(value[i] for i in keep)

    def eq(self: Any, other: object) -> bool:
        return other.__class__ is self.__class__ and tuple.__eq__(key(self), key(other))

    def ne(self: Any, other: object) -> bool:
        return not eq(self, other)

    def hash_(self: Any) -> int:
        return hash((self.__class__.__name__, tuple.__hash__(key(self))))

    methods: dict[str, Callable[..., Any]] = {"__eq__": eq, "__ne__": ne, "__hash__": hash_}
    for name, method in methods.items():
        setattr(cls, name, method)
