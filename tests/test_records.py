from __future__ import annotations

import dataclasses
import pickle

import pytest

from auditor.records import fast_init


@fast_init
@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    label: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Reference:
    x: int
    y: int = 0
    label: str | None = None


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, 2), {}), ((1, 2, "a"), {}), ((), {"x": 1, "label": "b"}), ((1,), {"y": 3})],
)
def test_the_constructor_takes_what_the_dataclass_takes(args, kwargs):
    made, expected = Point(*args, **kwargs), Reference(*args, **kwargs)
    assert dataclasses.astuple(made) == dataclasses.astuple(expected)


@pytest.mark.parametrize(
    ("args", "kwargs"), [((), {}), ((1, 2, "a", 4), {}), ((1,), {"z": 1}), ((1,), {"x": 2})]
)
def test_the_constructor_refuses_what_the_dataclass_refuses(args, kwargs):
    with pytest.raises(TypeError):
        Reference(*args, **kwargs)
    with pytest.raises(TypeError):
        Point(*args, **kwargs)


def test_the_record_stays_a_frozen_dataclass():
    point = Point(1, 2, "a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    assert point == Point(1, 2, "a") and hash(point) == hash(Point(1, 2, "a"))
    assert dataclasses.replace(point, y=7) == Point(1, 7, "a")
    assert pickle.loads(pickle.dumps(point)) == point
    assert repr(point) == "Point(x=1, y=2, label='a')"


def test_only_plain_frozen_slotted_dataclasses_are_taken():
    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        x: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            pass

    for cls in (Unslotted, Factory, Checked):
        with pytest.raises(TypeError):
            fast_init(cls)
