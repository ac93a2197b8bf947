"""A faster constructor for the frozen records an audit makes by the hundred.

A frozen dataclass refuses attribute assignment, so its generated ``__init__`` sets each field
through ``object.__setattr__``, which looks the field up by name every time. A slotted class
can set a field through the field's slot descriptor instead, with the same effect and at about
half the cost. An audit makes about 110 such records an article (the spans of its lines and
sentences, phrase matches, findings), and the dataclass constructors were 3% of the time.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def fast_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass a constructor that fills the slots directly.

    It takes the same arguments as the dataclass's own (positional or by name, with the same
    defaults); everything else the dataclass made (equality, hashing, ``repr``, ``replace``,
    the refusal to assign) is unchanged. Fields with a ``default_factory``, ``init=False``
    or keyword-only fields, and ``__post_init__``, are not supported.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if not is_dataclass(cls) or params is None or not params.frozen or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__} is not a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__")
    namespace: dict[str, Any] = {}
    arguments = ["self"]
    body = []
    for field in fields(cls):
        if field.default_factory is not MISSING or not field.init or field.kw_only:
            raise TypeError(f"{cls.__name__}.{field.name}: only plain fields are supported")
        namespace[f"_set_{field.name}"] = getattr(cls, field.name).__set__
        body.append(f"    _set_{field.name}(self, {field.name})")
        if field.default is MISSING:
            arguments.append(field.name)
        else:
            namespace[f"_default_{field.name}"] = field.default
            arguments.append(f"{field.name}=_default_{field.name}")
    source = "\n".join([f"def __init__({', '.join(arguments)}):", *body, "    pass"])
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
