from __future__ import annotations

from pathlib import Path

import pytest

from auditor import diskcache


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_an_entry_is_found_by_its_kind_and_key_only(folder):
    assert diskcache.load("automaton", b"key") is None
    diskcache.store("automaton", b"key", b"\x00payload\n")
    assert diskcache.load("automaton", b"key") == b"\x00payload\n"
    assert diskcache.load("automaton", b"other key") is None
    assert diskcache.load("other", b"key") is None
    assert [p.name.startswith("automaton-") for p in folder.iterdir()] == [True]


def test_a_damaged_or_cut_entry_is_a_miss(folder):
    diskcache.store("automaton", b"key", b"payload" * 100)
    path = diskcache.entry_path("automaton", b"key")
    assert path is not None
    whole = path.read_bytes()
    path.write_bytes(whole[:-1])
    assert diskcache.load("automaton", b"key") is None
    path.write_bytes(whole[:-1] + b"?")
    assert diskcache.load("automaton", b"key") is None
    path.write_bytes(b"")
    assert diskcache.load("automaton", b"key") is None


def test_the_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDITOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert diskcache.cache_dir() == tmp_path / "xdg" / "article-auditor"
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "mine"))
    assert diskcache.cache_dir() == tmp_path / "mine"
    for off in ("0", "false", "No", ""):
        monkeypatch.setenv("AUDITOR_NO_CACHE", off)
        assert diskcache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    assert diskcache.cache_dir() is None
    diskcache.store("automaton", b"key", b"payload")
    assert diskcache.load("automaton", b"key") is None
    assert not (tmp_path / "mine").exists()


def test_an_unwritable_folder_loses_nothing_but_time(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("in the way")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    diskcache.store("automaton", b"key", b"payload")  # no error
    assert diskcache.load("automaton", b"key") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_remembered_value_is_built_once_and_read_back_equal(folder):
    builds = []

    def build() -> dict[str, object]:
        builds.append(1)
        return {"said": 1, "officials": [4, "x"], "nested": {"ok": (1.5, None, True)}}

    first = diskcache.remembered("table", b"key", build)
    again = diskcache.remembered("table", b"key", build)
    assert again == first and again is not first
    assert len(builds) == 1
    assert diskcache.remembered("table", b"other key", build) == first
    assert len(builds) == 2


def test_a_value_marshal_cannot_keep_is_built_every_time(folder):
    from datetime import date

    builds = []

    def build() -> dict[str, object]:
        builds.append(1)
        return {"published": date(2024, 11, 17)}

    assert diskcache.remembered("table", b"key", build) == {"published": date(2024, 11, 17)}
    assert diskcache.remembered("table", b"key", build) == {"published": date(2024, 11, 17)}
    assert len(builds) == 2
    assert not folder.exists() or not any(folder.iterdir())


def test_clearing_removes_the_entries_and_cut_writes_and_nothing_else(folder):
    diskcache.store("hyperscan", b"one", b"x" * 1000)
    diskcache.store("toml", b"two", b"y" * 10)
    (folder / ".tmp-cut-short").write_bytes(b"zz")
    (folder / "notes.txt").write_text("the user's own file")
    (folder / "hyperscan-not-a-digest").write_bytes(b"")
    assert [p.name.partition("-")[0] for p in diskcache.entries()] == [".tmp", "hyperscan", "toml"]
    entry_size = 32 + 1000  # each entry starts with its SHA-256 digest
    assert diskcache.clear() == (3, entry_size + 32 + 10 + 2)
    assert sorted(p.name for p in folder.iterdir()) == ["hyperscan-not-a-digest", "notes.txt"]
    assert diskcache.load("hyperscan", b"one") is None
    assert diskcache.clear() == (0, 0)


def test_a_missing_or_switched_off_folder_has_no_entries(folder, monkeypatch):
    assert diskcache.entries() == [] and diskcache.clear() == (0, 0)
    diskcache.store("toml", b"key", b"value")
    monkeypatch.setenv("AUDITOR_NO_CACHE", "1")
    assert diskcache.entries() == [] and diskcache.clear() == (0, 0)
    assert len(list(folder.iterdir())) == 1
