from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from auditor.cli import main

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory) -> None:
    """Keep the auditor's set-up cache (auditor.diskcache) out of the user's home."""
    os.environ["AUDITOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("auditor-cache"))


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def seed_text():
    def read(prefix: str) -> str:
        (path,) = SEEDS.glob(f"{prefix}_*.txt")
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run the auditor command in-process from an empty folder (no config file around)."""

    def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd or tmp_path)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


ENGLISH = (
    "President Joe Biden has authorized Ukraine to use long-range missiles against targets "
    "inside Russia, two officials said on Sunday. The decision follows months of debate in the "
    "administration. The officials said the weapons would first be used in the Kursk region, "
    "where thousands of troops have gathered in recent weeks."
)
GERMAN = (
    "Der Präsident hat am Sonntag die Lieferung von Raketen mit großer Reichweite genehmigt, "
    "wie zwei Beamte der Regierung in Washington bestätigten. Die Entscheidung folgt auf "
    "monatelange Beratungen innerhalb der Regierung und mit den Verbündeten in Europa."
)
