"""The packs must ship inside the wheel: build it, install it in a fresh venv, audit text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("article_auditor-*.whl")
    return built


def test_wheel_carries_the_packs_and_the_schema(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {Path(name).name for name in names if name.startswith("auditor/rules/")}
    shipped = {path.name for path in (ROOT / "rules").glob("*.toml")}
    assert packs == shipped and shipped
    assert "auditor/schema/audit-v1.schema.json" in names


def test_installed_wheel_audits_text_from_its_own_packs(wheel, tmp_path):
    # Dependencies come from this environment; the package itself only from the wheel.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    script = (
        "import auditor, auditor.packs as p, json;"
        "r = auditor.audit('Der Präsident hat am Sonntag die Lieferung von Raketen genehmigt, wie "
        "zwei Beamte der Regierung in Washington bestätigten.');"
        "print(json.dumps([auditor.__file__, str(p.builtin_rules_dir()), "
        "sorted({f.code for f in r.findings})]))"
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    done = subprocess.run(
        [str(python), "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=clean_env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    module_file, rules_dir, codes = json.loads(done.stdout)
    assert module_file.startswith(str(env_dir))
    assert rules_dir.startswith(str(env_dir)) and rules_dir.endswith("auditor/rules")
    assert "LNG001" in codes
