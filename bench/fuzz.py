"""Coverage-guided fuzzing of the readers and of `audit` with atheris.

    pip install atheris
    python bench/fuzz.py -max_total_time=300 [corpus_dir]

Each input picks a target: byte decoding, JSONL records, CSV records, or a full audit of the
bytes as text (every finding must lie inside the text, with its evidence equal to the text
there, and every score in 0-100). Anything else than the documented errors is a crash. Crashes
found so far have become regression tests (see docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import io
import sys

import atheris

with atheris.instrument_imports(include=["auditor"]):
    import auditor
    from auditor.config import FieldNames
    from auditor.readers import BinaryInput, InputError, _csv_records, decode, read_jsonl

FIELDS = FieldNames()
CONFIG = auditor.Config(max_chars=20_000)


def check_audit(text: str) -> None:
    result = auditor.audit(text, config=CONFIG)
    for finding in result.findings:
        if not 0 <= finding.start <= finding.end <= len(text):
            raise AssertionError(f"span outside the text: {finding}")
        if text[finding.start : finding.end] != finding.evidence:
            raise AssertionError(f"evidence differs from the text at its span: {finding}")
    for score in (result.score, *result.family_scores.values()):
        if score is not None and not 0 <= score <= 100:
            raise AssertionError(f"score out of range: {score}")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    target = provider.ConsumeIntInRange(0, 3)
    payload = provider.ConsumeBytes(provider.remaining_bytes())
    if target == 0:
        with contextlib.suppress(BinaryInput):
            decode(payload)
    elif target == 1:
        for _ in read_jsonl(io.BytesIO(payload), "fuzz.jsonl", FIELDS):
            pass
    elif target == 2:
        try:
            for _ in _csv_records(
                io.StringIO(payload.decode("utf-8", "replace"), newline=""), "fuzz.csv", FIELDS
            ):
                pass
        except InputError:
            pass
    else:
        check_audit(payload.decode("utf-8", "replace"))


def main() -> None:
    auditor.audit("Warm-up: load the packs before fuzzing starts.", config=CONFIG)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
