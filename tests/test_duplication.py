from __future__ import annotations

import random
import re
from datetime import datetime

import pytest

import auditor
from auditor import Auditor, Config
from auditor.model import Article
from auditor.readers import read_directory

STORY = [
    "President Joe Biden has authorized Ukraine to use long-range missiles against targets "
    "inside Russia, two officials said on Sunday, marking a major shift in the war.",
    "The decision follows months of pressure from Kyiv and its allies, who argued that the "
    "restrictions let Russia mass troops and aircraft just beyond the border.",
    "The missiles will first be used in the Kursk region, where thousands of North Korean "
    "soldiers have joined Russian forces preparing a counteroffensive.",
    "Officials said the change was also a response to growing pressure on the energy grid "
    "ahead of a harsh winter, after waves of Russian strikes on power plants.",
    "Russia has warned that using Western weapons deep inside its territory would cross its "
    "red lines and could draw a response against the countries supplying them.",
    "The office of the Ukrainian president declined to comment on the report, but Zelensky "
    "said in his nightly address that the missiles would speak for themselves.",
]
SWAPS = {
    "using": "utilizing",
    "war": "battle",
    "office": "workplace",
    "energy": "vitality",
    "red": "crimson",
    "lines": "traces",
    "harsh": "cruel",
    "pressure": "strain",
}
OTHER = [
    "The central bank raised interest rates by a quarter point on Wednesday, its third "
    "increase this year, citing stubborn inflation in services and housing costs.",
    "Economists had expected the move, though several warned that higher borrowing costs "
    "could slow hiring in the construction and retail sectors over the winter months.",
    "The bank's governor said further increases were possible if wage growth stayed strong, "
    "and markets priced in at least one more rise before the summer.",
]


def spin(text: str) -> str:
    return re.sub(r"\w+", lambda m: SWAPS.get(m.group(), m.group()), text)


def corpus(*records: Article, **config) -> auditor.CorpusAudit:
    return Auditor(Config(**config)).audit_corpus(records)


def article(id: str, paragraphs: list[str], **fields) -> Article:
    return Article(id=id, text="\n\n".join(paragraphs), **fields)


def by_id(result: auditor.CorpusAudit) -> dict[str, auditor.ArticleAudit]:
    return {a.id: a for a in result}


def test_seed_002_restarts_with_its_headline_repeated(seed_text):
    result = auditor.audit(seed_text("002"))
    (restart,) = [f for f in result.findings if f.code == "DUP004"]
    assert restart.evidence.startswith("Biden Approves Ukraine’s Use of US Long-Range Missiles")
    assert restart.line == 3


def test_the_seeds_are_independent_rewrites_not_copies(seeds):
    result = Auditor().audit_corpus(read_directory(seeds))
    assert not [f for a in result for f in a.findings if f.code == "DUP010"]
    assert result.clusters_frame().empty and result.provenance_frame().empty


def test_copies_cluster_with_their_origin_and_are_classified():
    origin = article("origin", STORY, source="wire.example", published=datetime(2024, 11, 17, 9))
    verbatim = article(
        "verbatim", ["realtybizideas banner", *STORY, "Follow us on Twitter"], source="farm.example"
    )
    spun = article("spun", [spin(p) for p in STORY], source="spinner.example")
    partial = article("partial", STORY[:3], source="brief.example")
    unrelated = article("other", OTHER, source="bank.example")
    result = by_id(corpus(origin, verbatim, spun, partial, unrelated, select=("DUP", "SPN")))
    assert {a.metrics.get("cluster") for a in result.values()} == {"origin", None}
    assert result["other"].metrics.get("cluster") is None
    assert result["origin"].metrics["provenance"] == "origin"
    kinds = {name: result[name].metrics["copy_kind"] for name in ("verbatim", "spun", "partial")}
    assert kinds == {"verbatim": "edited", "spun": "spun", "partial": "partial"}
    (near,) = [f for f in result["spun"].findings if f.code == "DUP010"]
    assert near.message.startswith("near-copy of origin (similarity 0.")


def test_aligned_substitutions_name_the_original_words():
    origin = article("origin", STORY, published=datetime(2024, 11, 17))
    spun = article("spun", [spin(p) for p in STORY])
    third = article("third", [*STORY, "Reporting by the wire desk."])
    result = by_id(corpus(origin, spun, third, select=("DUP010", "SPN030")))
    swaps = {(f.evidence, f.suggestion) for f in result["spun"].findings if f.code == "SPN030"}
    assert {
        ("utilizing", "using"),
        ("battle", "war"),
        ("workplace", "office"),
        ("vitality", "energy"),
        ("crimson", "red"),
        ("traces", "lines"),
    } <= swaps
    text = spun.text
    for f in result["spun"].findings:
        assert text[f.start : f.end] == f.evidence
    assert not [f for f in result["origin"].findings if f.code == "SPN030"]
    assert not [f for f in result["third"].findings if f.code == "SPN030"]


def test_without_dates_the_credited_article_is_the_origin():
    original = article("daily", STORY, source="dailysabah.com")
    copy = article("copy", [*STORY, "Source: www.dailysabah.com"], source="republisher.example")
    other = article("mirror", STORY[1:], source="mirror.example")
    result = by_id(corpus(copy, other, original))
    assert result["copy"].metrics["copy_of"] == "daily"
    assert result["daily"].metrics["provenance"] == "origin"


def test_a_composite_text_does_not_chain_two_stories_together():
    story_a = [article(f"a{i}", STORY if i else STORY[:5]) for i in range(3)]
    story_b = [article(f"b{i}", OTHER * 2 if i else OTHER) for i in range(3)]
    glued = article("glued", STORY + OTHER)
    result = corpus(*story_a, *story_b, glued, select=("DUP010",))
    clusters = {frozenset(row["members"]) for _, row in result.clusters_frame().iterrows()}
    assert frozenset({"a0", "a1", "a2"}) <= next(c for c in clusters if "a0" in c)
    assert not any({"a0", "b0"} <= c for c in clusters)


def test_copy_insertions_are_the_lines_only_one_copy_has():
    plain = [article(f"copy{i}", STORY) for i in range(4)]
    extra = article("extra", [*STORY[:3], "Like our page for breaking news alerts", *STORY[3:]])
    result = by_id(corpus(*plain, extra, select=("DUP010", "BPL014", "LNG")))
    flagged = [f.evidence for f in result["extra"].findings if f.code == "BPL014"]
    assert flagged == ["Like our page for breaking news alerts"]
    assert not [f for i in range(4) for f in result[f"copy{i}"].findings if f.code == "BPL014"]


def test_a_one_sentence_line_may_be_carried_by_more_copies_than_a_paragraph():
    """Captions and teasers are kept by every extractor that keeps captions; a paragraph that
    several copies lack is more often story text those copies lost."""
    caption = "Ukrainian soldiers fire a howitzer near Bakhmut in eastern Ukraine"
    paragraph = (
        "Kyiv welcomed the decision on Monday. Moscow called it a dangerous escalation that "
        "would bring a response."
    )
    carrying = [article(f"both{i}", [*STORY[:2], caption, paragraph, *STORY[2:]]) for i in range(4)]
    plain = [article(f"copy{i}", STORY) for i in range(6)]
    result = by_id(corpus(*carrying, *plain, select=("DUP010", "BPL014", "LNG")))
    for i in range(4):  # each is carried by 3 of the 9 other copies
        flagged = [f.evidence for f in result[f"both{i}"].findings if f.code == "BPL014"]
        assert flagged == [caption]


def test_copy_insertions_are_found_in_other_languages_too():
    """The boilerplate family is English-only, but comparing copies needs no English."""
    story = GERMAN_STORY
    plain = [article(f"copy{i}", story) for i in range(4)]
    extra = article("extra", [*story[:2], "Folgen Sie uns auf Facebook und Instagram", *story[2:]])
    result = by_id(corpus(*plain, extra, select=("DUP010", "BPL014", "LNG")))
    assert result["extra"].metrics["language"] == "de"
    flagged = [f.evidence for f in result["extra"].findings if f.code == "BPL014"]
    assert flagged == ["Folgen Sie uns auf Facebook und Instagram"]


GERMAN_STORY = [
    "Der Präsident hat am Sonntag die Lieferung von Raketen mit großer Reichweite genehmigt.",
    "Zwei Beamte der Regierung in Washington bestätigten die Entscheidung am Abend.",
    "Die Entscheidung folgt auf monatelange Beratungen innerhalb der Regierung.",
    "Auch die Verbündeten in Europa wurden nach Angaben der Beamten vorab informiert.",
    "Die Raketen sollen zunächst in der Region Kursk eingesetzt werden, hieß es weiter.",
    "Dort haben sich in den vergangenen Wochen Tausende Soldaten versammelt.",
    "Die Regierung in Moskau warnte vor einer weiteren Eskalation des Krieges.",
    "Ein Sprecher des Kremls sprach von einer gefährlichen Entscheidung für die Region.",
]


@pytest.mark.parametrize("seed", [0, 1])
def test_results_do_not_depend_on_input_order_or_jobs(seed):
    records = [
        article("origin", STORY, published=datetime(2024, 1, 1)),
        article("spun", [spin(p) for p in STORY]),
        article("copy", [*STORY, "Read more: elsewhere"]),
        article("other", OTHER),
    ]
    shuffled = records[:]
    random.Random(seed).shuffle(shuffled)
    first = by_id(corpus(*records))
    second = by_id(Auditor().audit_corpus(shuffled, jobs=2))
    for key in first:
        assert first[key].to_dict() == second[key].to_dict()


def test_repeated_and_near_repeated_paragraphs():
    text = "\n\n".join(
        [STORY[0], STORY[1], STORY[0], STORY[2].replace("first", "initially") + " ", STORY[2]]
    )
    result = auditor.audit(text)
    codes = [(f.code, f.line) for f in result.findings if f.family == "duplication"]
    assert ("DUP001", 5) in codes and ("DUP002", 9) in codes


def test_looping_text_has_a_high_duplicated_ngram_share():
    loop = " ".join([STORY[0]] * 4)
    result = auditor.audit(loop)
    assert result.metrics["duplicate_5gram_share"] > 0.7
    assert "DUP003" in {f.code for f in result.findings}
