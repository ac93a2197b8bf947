"""The per-source report card: table, renderers, escaping of everything from input."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from collections import Counter
from dataclasses import replace
from importlib import resources

import pytest
from conftest import ENGLISH, write_jsonl
from hypothesis import given, settings
from hypothesis import strategies as st
from test_duplication import STORY, article

from auditor import Auditor, Config, render
from auditor.readers import read_directory
from auditor.report import CardTally, _mean, _median, wilson

HOSTILE = (
    ENGLISH + "\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
    "Read more: <b>bold</b>"
)
CARD_SCHEMA = json.loads(
    resources.files("auditor").joinpath("schema/report-card-v1.schema.json").read_text()
)


def test_one_row_per_source_with_scores_grades_and_intervals(seeds):
    corpus = Auditor().audit_corpus(read_directory(seeds))
    card = corpus.report_card()
    assert sorted(card["source"]) == sorted({a.source for a in corpus})
    assert list(card["mean_score"]) == sorted(card["mean_score"])  # worst first
    row = card.set_index("source").loc["realtybizideas.com"]
    assert row["articles"] == 1 and row["grade"] in "ABCDF"
    assert row["warned_boilerplate"] == 1.0
    assert (row["warned_boilerplate_low"], row["warned_boilerplate_high"]) == (0.207, 1.0)
    assert "only 1 article" in row["note"]
    assert "BPL001 machine-identifier" in row["worst_articles"]


def test_wilson_interval():
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(5, 10)
    assert round(low, 3) == 0.237 and round(high, 3) == 0.763
    low, high = wilson(100, 100)
    assert high == 1.0 and low > 0.96


def test_copying_shares_count_other_sources_only():
    records = [
        article("wire-1", STORY, source="wire.example"),
        article("farm-1", [*STORY, "Follow us on Twitter"], source="farm.example"),
        article("farm-2", STORY[:5], source="farm.example"),
        article("own-1", STORY[1:], source="wire.example"),
    ]
    corpus = Auditor(Config(select=("DUP010",))).audit_corpus(records)
    rows = corpus.report_card().set_index("source")
    assert rows.loc["farm.example", "copies_of_others"] == 1.0
    assert rows.loc["wire.example", "copied_by_others"] == 0.5
    html = render.render_card(CardTally.of(corpus.articles), "html")
    for copy in ("farm-1", "farm-2"):  # the edges table names each copy and its origin
        assert f"<tr><td>{copy}</td><td>own-1</td>" in html
    assert "built-in method" not in html


def test_cli_card_formats_and_report_from_saved_results(cli, seeds, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    results = tmp_path / "results.jsonl"
    for suffix in ("md", "json", "csv", "parquet"):
        cli("audit", str(seeds), "--report-card", str(tmp_path / f"card.{suffix}"), "-q")
    cli("audit", str(seeds), "--format", "jsonl", "-o", str(results), "-q")
    document = json.loads((tmp_path / "card.json").read_text())
    jsonschema.validate(document, CARD_SCHEMA)
    assert len(document["sources"]) == 5
    assert (tmp_path / "card.md").read_text().startswith("# Report card")
    assert (tmp_path / "card.csv").read_text().splitlines()[0].startswith("source,articles")
    import pandas as pd

    assert len(pd.read_parquet(tmp_path / "card.parquet")) == 5
    code, out, _ = cli("report", str(results), "--format", "json")
    assert code == 0 and json.loads(out)["sources"] == document["sources"]
    whole = tmp_path / "results.json"
    cli("audit", str(seeds), "--format", "json", "-o", str(whole), "-q")
    code, out, _ = cli("report", str(whole), "--format", "json")
    assert code == 0 and json.loads(out)["sources"] == document["sources"]
    code, _, err = cli("report", str(tmp_path / "card.md"))
    assert code == 2 and "not audit results" in err
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(results.read_bytes() + '{"id": "caf\u00e9"}\n'.encode("latin-1"))
    code, _, err = cli("report", str(latin1))
    assert code == 2 and "not audit results" in err


def _hostile_card(cli, tmp_path, *more):
    rows = [
        {"id": "<i>x</i>", "source": "<script>alert(3)</script>", "text": HOSTILE},
        {"id": "b", "source": "calm.example", "text": ENGLISH},
    ]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    card = tmp_path / "card.html"
    cli("audit", str(path), *more, "--report-card", str(card), "-q", "--fail-under", "0")
    return card


def test_html_escapes_article_text_and_every_input_string(cli, tmp_path):
    html = _hostile_card(cli, tmp_path).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<i>x</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert html.count("<script>") == 1  # the card's own sorting script
    assert "Content-Security-Policy" in html


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    _browser() is None and not os.environ.get("AUDITOR_REQUIRE_BROWSER"),
    reason="headless Chromium not installed (CI installs it and sets AUDITOR_REQUIRE_BROWSER)",
)
def test_the_card_renders_in_a_browser_without_running_input(cli, tmp_path, seeds):
    browser = _browser()
    assert browser, "AUDITOR_REQUIRE_BROWSER is set but no chromium is installed"
    card = _hostile_card(cli, tmp_path, str(seeds))
    seed_sources = {a.source for a in read_directory(seeds)}
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", card.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == len(seed_sources) + 2  # one row per source
    assert all(f">{source}</a>" in body for source in seed_sources)
    assert '<img src="x"' not in dom  # the input's <img> stayed text, no element was made
    assert dom.count("<script") == 1 and "alert(1)</script>" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    shot = tmp_path / "card.png"
    subprocess.run(
        [browser, *flags, "--window-size=1280,1600", f"--screenshot={shot}", card.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 10_000


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.integers(0, 10_000).map(lambda n: n / 100) | st.floats(0, 100), max_size=120
    ).flatmap(lambda values: st.permutations(values + values[: len(values) // 3]))
)
def test_a_tally_of_scores_has_the_mean_and_median_of_the_list(scores):
    """The card keeps a count per distinct score, not every article's score."""
    tally = Counter(scores)
    if not scores:
        assert _mean(tally) is None and _median(tally) is None
        return
    assert _mean(tally) == statistics.fmean(scores)
    assert _median(tally) == round(statistics.median(scores), 2)


def test_a_streamed_card_keeps_a_few_articles_per_source(seeds):
    audits = Auditor().audit_corpus(read_directory(seeds)).articles
    many = [replace(a, id=f"{a.id}-{n}", source="one.example") for n in range(200) for a in audits]
    tally = CardTally.of(many)
    (card,) = tally.cards()
    assert card.row["articles"] == 1000 and len(card.worst) == 3
    assert card.worst == sorted(many, key=lambda a: (a.score, a.id))[:3]
    assert card.row["mean_score"] == round(statistics.fmean(a.score for a in many), 2)
