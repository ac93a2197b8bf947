from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import textwrap
from typing import Any

import pytest
from conftest import ENGLISH, GERMAN

from auditor import Auditor, Config, ConfigError, engine
from auditor.document import Document
from auditor.engine import COLLECTOR_THRESHOLD, fewer_collections
from auditor.families import readability
from auditor.family import CheckContext, CorpusVerdict, FamilyModule, make_finding
from auditor.model import Article, Pickled, Rejected
from auditor.readers import read_directory
from auditor.registry import load_registry


def test_every_finding_points_at_its_evidence(seeds):
    for audit in Auditor().iter_audits(read_directory(seeds)):
        assert audit.ok
        text = (seeds / audit.location.split("/")[-1]).read_text(encoding="utf-8")
        for f in audit.findings:
            assert 0 <= f.start <= f.end <= len(text)
            assert text[f.start : f.end] == f.evidence


def test_output_is_the_same_for_one_and_two_jobs(seeds):
    records = list(read_directory(seeds))
    # Enough articles for several batches, so order across workers is exercised.
    records += [
        Article(id=f"gen{i}", text=f"{ENGLISH} Item {i}.\n\n" * (1 + i % 4)) for i in range(150)
    ]
    records.insert(70, Rejected("bad", "x.jsonl:3", "AUD004", "line 3: not valid JSON"))
    one = [a.to_dict() for a in Auditor().iter_audits(records, jobs=1)]
    two = [a.to_dict() for a in Auditor().iter_audits(records, jobs=2)]
    assert len(one) == len(records)
    assert one == two


@pytest.mark.skipif(os.name != "posix", reason="workers are forked on POSIX only")
def test_forked_workers_audit_with_the_parents_auditor(monkeypatch, seeds):
    """A forked worker starts with the parent's Auditor, loaded by the parent's warm-up,
    instead of building its own: the counter is shared memory the workers would write to."""
    records = list(read_directory(seeds)) * 30
    auditor = Auditor()
    built = multiprocessing.Value("i", 0)
    original = Auditor.__init__

    def counted(self, *args, **kwargs):
        with built.get_lock():
            built.value += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(Auditor, "__init__", counted)
    two = [a.to_dict() for a in auditor.iter_audits(records, jobs=2)]
    assert built.value == 0
    assert two == [a.to_dict() for a in auditor.iter_audits(records, jobs=1)]


def test_what_workers_send_back_survives_pickling(seeds):
    """Workers pickle audits and corpus states with ``Pickled.__reduce__``: a field it dropped
    or reordered would change the article in the main process."""
    records = [*read_directory(seeds), Rejected("bad", "x.jsonl:3", "AUD004", "not JSON")]
    sent = Auditor()._audit_many(records, collect=True)
    assert any(states for _, states in sent)
    assert pickle.loads(pickle.dumps(records)) == records
    assert pickle.loads(pickle.dumps(sent)) == sent


def test_audits_hold_only_plain_json_values(seeds):
    """A numpy scalar in a metric is a float to the json module but not to orjson, nor to a
    DataFrame column's type: every value an audit reports must be a plain Python one."""
    repeated = Article(id="repeated", text=(ENGLISH + "\n\n") * 3)
    audits = list(Auditor().iter_audits([*read_directory(seeds), repeated]))
    assert audits[-1].metrics["duplicate_5gram_share"] > 0
    plain = (str, int, float, bool, type(None))
    for audit in audits:
        values = list(audit.to_dict().items())
        while values:
            key, value = values.pop()
            if isinstance(value, dict):
                values.extend(value.items())
            elif isinstance(value, list):
                values.extend((key, item) for item in value)
            else:
                assert type(value) in plain, (audit.id, key, type(value))


def test_pickled_records_take_every_field_in_their_constructor():
    # dataclass(slots=True) replaces each class; the slotless originals also list Pickled
    records = [c for c in Pickled.__subclasses__() if "__slots__" in vars(c)]
    assert {Article, Rejected} <= set(records)
    for record in records:
        assert all(f.init for f in dataclasses.fields(record)), record
        assert tuple(f.name for f in dataclasses.fields(record)) == record.__slots__
        assert len(record.__slots__) >= 2, record  # read as a tuple by one attrgetter


def test_fewer_collections_restores_the_hosts_collector():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == (COLLECTOR_THRESHOLD, *before[1:])
        raise RuntimeError
    assert gc.get_threshold() == before


def test_non_english_text_skips_english_only_families():
    audit = Auditor().audit_record(Article(id="de", text=GERMAN))
    codes = {f.code for f in audit.findings}
    assert {"LNG001", "LNG003"} <= codes
    assert not any(code.startswith("RDB") for code in codes)
    assert "readability" not in audit.family_scores
    assert audit.metrics["language"] == "de"


def test_empty_text_is_an_error_row_that_fails():
    audit = Auditor().audit_record(Article(id="empty", text="  \n\t "))
    assert audit.status == "error" and audit.reason == "no text to audit"
    assert [f.code for f in audit.findings] == ["AUD001"]
    assert audit.score is None and not audit.passed


def test_rejected_records_keep_their_identity_and_reason():
    record = Rejected("batch.jsonl:7", "batch.jsonl:7", "AUD004", "line 7: not valid JSON")
    audit = Auditor().audit_record(record)
    assert (audit.id, audit.location, audit.status, audit.reason) == (
        "batch.jsonl:7",
        "batch.jsonl:7",
        "error",
        "line 7: not valid JSON",
    )
    assert [f.code for f in audit.findings] == ["AUD004"]
    assert audit.findings[0].message == "line 7: not valid JSON"


def test_long_articles_are_audited_up_to_max_chars():
    text = (ENGLISH + " ") * 400
    audit = Auditor(Config(max_chars=5_000)).audit_record(Article(id="long", text=text))
    (truncated,) = [f for f in audit.findings if f.code == "AUD005"]
    assert f"of {len(text):,} characters" in truncated.message
    assert audit.metrics["words"] < len(text.split()) / 10
    assert audit.ok


def test_a_crashing_check_becomes_a_finding_and_the_rest_still_runs(monkeypatch):
    def broken(context, rule):
        raise RuntimeError("boom")

    monkeypatch.setitem(readability.family.checks, "overlong-sentence", broken)
    audit = Auditor().audit_record(Article(id="a", text=ENGLISH))
    crash = [f for f in audit.findings if f.code == "AUD006"]
    assert crash and "readability check failed: RuntimeError: boom" in crash[0].message
    assert audit.metrics["language"] == "en"  # the language family still ran
    assert not audit.passed


def test_a_batch_gives_each_article_the_audit_it_gets_alone(monkeypatch, seeds):
    """The article phase runs the families one at a time over a batch; no article's audit may
    depend on its neighbours, not even when a check crashes on one of them."""

    def broken_on_one(context, rule):
        if context.article.id == "crash":
            raise RuntimeError("boom")
        yield from overlong(context, rule)

    overlong = readability.family.checks["overlong-sentence"]
    monkeypatch.setitem(readability.family.checks, "overlong-sentence", broken_on_one)
    records = [
        *read_directory(seeds),
        Article(id="de", text=GERMAN),
        Article(id="crash", text=ENGLISH),
        Article(id="empty", text=" "),
        Rejected("bad", "x.jsonl:3", "AUD004", "line 3: not valid JSON"),
        Article(id="en", text=ENGLISH),
    ]
    auditor = Auditor()
    together = [audit.to_dict() for audit, _ in auditor.article_phase(records)]
    alone = [auditor.audit_record(record).to_dict() for record in records]
    assert together == alone
    codes = {a["id"]: {f["code"] for f in a["findings"]} for a in together}
    assert "AUD006" in codes["crash"] and "AUD006" not in codes["en"]


def test_per_source_ignores_drop_findings_for_matching_sources():
    config = Config(per_source_ignores={"*.de": ("LNG",)})
    auditor = Auditor(config)
    german = auditor.audit_record(Article(id="a", text=GERMAN, source="news.de"))
    elsewhere = auditor.audit_record(Article(id="b", text=GERMAN, source="news.com"))
    assert not any(f.code == "LNG001" for f in german.findings)
    assert any(f.code == "LNG001" for f in elsewhere.findings)


def test_bad_selection_in_config_is_a_config_error():
    with pytest.raises(ConfigError, match="'NOPE' names no rule"):
        Auditor(Config(select=("NOPE",)))
    with pytest.raises(ConfigError, match="unknown family 'spelling'"):
        Auditor(Config(min_family_score={"spelling": 50}))


class _LongestArticle:
    """A corpus check for the test: flags the article with the most words in the batch."""

    def __init__(self, rules, config):
        (self.rule,) = rules
        self.sizes: dict[str, int] = {}

    def collect(self, context: CheckContext) -> int:
        return context.doc.word_count

    def add(self, article_id: str, state: Any) -> None:
        self.sizes[article_id] = state

    def finish(self) -> CorpusVerdict:
        longest = max(sorted(self.sizes), key=self.sizes.__getitem__)
        finding = make_finding(Document(""), self.rule, 0, 0, words=self.sizes[longest])
        return CorpusVerdict(
            findings={longest: [finding]},
            metrics={longest: {"longest": True}},
            tables={"sizes": [{"id": k, "words": v} for k, v in sorted(self.sizes.items())]},
        )


@pytest.fixture
def corpus_family(tmp_path, monkeypatch):
    module = FamilyModule("corpus-test")
    module.corpus_check("longest")(_LongestArticle)
    (tmp_path / "corpus.toml").write_text(
        textwrap.dedent(
            """
            [family]
            prefix = "CRP"
            name = "corpus-test"
            description = "x"

            [[rule]]
            code = "CRP001"
            name = "longest-article"
            kind = "python"
            check = "longest"
            scope = "document"
            severity = "warning"
            weight = 10
            summary = "x"
            message = "longest article ({words} words)"
            why = "x"
            """
        ),
        encoding="utf-8",
    )
    from auditor import registry

    discover = registry._discover_modules
    monkeypatch.setattr(registry, "_discover_modules", lambda: {**discover(), module.name: module})
    load_registry.cache_clear()
    yield Config(rules_path=(tmp_path,))
    load_registry.cache_clear()


@pytest.mark.parametrize("jobs", [1, 2])
def test_corpus_checks_see_the_whole_batch_and_rescore(corpus_family, jobs):
    records = [Article(id=f"a{i}", text=ENGLISH * (1 + i % 3)) for i in range(10)]
    audits = list(Auditor(corpus_family).iter_audits(records, jobs=jobs))
    flagged = [a for a in audits if any(f.code == "CRP001" for f in a.findings)]
    assert [a.id for a in flagged] == ["a2"]
    assert flagged[0].family_scores["corpus-test"] < 100
    assert all(a.family_scores["corpus-test"] == 100 for a in audits if a.id != "a2")
    assert flagged[0].metrics["longest"] is True


def test_corpus_tables_reach_the_corpus_audit(corpus_family):
    records = [Article(id=f"a{i}", text=ENGLISH * (1 + i % 3)) for i in range(4)]
    corpus = Auditor(corpus_family).audit_corpus(records)
    assert [row["id"] for row in corpus.tables["sizes"]] == ["a0", "a1", "a2", "a3"]


def test_batches_grow_to_their_bound_and_keep_every_record_in_order():
    """Small batches first, so the first audits come out at once and a short run is shared
    among the workers; then batches of BATCH_SIZE, which keep each family's tables in cache."""
    records = list(range(3 * engine.BATCH_SIZE + 5))
    batches = list(engine._batched(records))
    assert [item for batch in batches for item in batch] == records
    assert len(batches[0]) == engine.FIRST_BATCH
    assert all(len(b) <= engine.BATCH_SIZE for b in batches)
    assert [len(b) for b in batches[:-1]] == sorted(len(b) for b in batches[:-1])
    assert engine.BATCH_SIZE in [len(b) for b in batches]
