from __future__ import annotations

import random

import pytest
from conftest import ENGLISH

import auditor
from auditor import Auditor, Config, strip_boilerplate
from auditor.families.boilerplate import has_html_residue
from auditor.model import Article
from auditor.readers import read_directory

SEED_FURNITURE = {
    "000": {("BPL004", "Read the original article here")},
    "001": {("BPL001", "realtybizideas banner"), ("BPL001", "houzez-header-1")},
    "002": set(),
    "003": {("BPL002", "Embed from Getty Images")},
    "004": {("BPL004", "Source: www.dailysabah.com")},
}


def test_seed_furniture_is_flagged_and_no_article_sentence_is(seeds):
    audits = {a.id[:3]: a for a in Auditor().iter_audits(read_directory(seeds))}
    for prefix, expected in SEED_FURNITURE.items():
        found = {(f.code, f.evidence) for f in audits[prefix].findings if f.family == "boilerplate"}
        assert found == expected, prefix


def test_claimed_origin_is_metadata(seeds, seed_text):
    assert auditor.audit(seed_text("004")).claimed_origin == "dailysabah.com"
    assert auditor.audit(seed_text("000")).claimed_origin == "unnamed original (link lost)"
    assert auditor.audit(seed_text("002")).claimed_origin is None


@pytest.mark.parametrize(
    ("line", "origin"),
    [
        ("Originally published at The Conversation.", "The Conversation"),
        ("This article first appeared on https://www.example.org/a/b", "example.org"),
        ("WASHINGTON (AP) — The Senate voted on Tuesday to pass the bill.", "Associated Press"),
        ("— Reuters", "Reuters"),
    ],
)
def test_attribution_and_wire_credits(line, origin):
    text = f"{ENGLISH}\n\n{line}" if not line.startswith("WASHINGTON") else f"{line}\n\n{ENGLISH}"
    assert auditor.audit(text).claimed_origin == origin


def test_the_title_line_is_not_boilerplate():
    text = "Biden Approves Use of Long-Range US Weapons Inside Russia\n\n" + ENGLISH
    config = Config(select=("BPL", "LNG"), extend_select=("BPL011",))
    assert not [f for f in auditor.audit(text, config=config).findings if f.family == "boilerplate"]


def test_edge_fragments_are_opt_in_and_skip_the_title(seed_text):
    text = seed_text("001")
    default = {f.evidence for f in auditor.audit(text).findings}
    opted = {
        f.evidence for f in auditor.audit(text, config=Config(extend_select=("BPL011",))).findings
    }
    assert "Biden" not in default and "Biden" in opted
    assert "Biden Approves Use of Long-Range US Weapons Inside Russia" not in opted


def test_line_findings_cover_the_whole_line_and_glued_ones_only_the_phrase(seed_text):
    text = seed_text("003")
    (credit,) = [f for f in auditor.audit(text).findings if f.code == "BPL002"]
    assert text[credit.start : credit.end] == "Embed from Getty Images"
    assert text[credit.end :].startswith("The decision to provide Ukraine")
    text = seed_text("004")
    (source,) = [f for f in auditor.audit(text).findings if f.code == "BPL004"]
    line = text.splitlines()[source.line - 1]
    assert (source.column, source.evidence) == (1, line)


def test_strip_boilerplate_keeps_the_article_and_leaves_nothing_to_flag(seed_text):
    text = seed_text("003")
    cleaned = strip_boilerplate(text)
    assert "Embed from Getty Images" not in cleaned
    assert "The decision to provide Ukraine with advanced missile systems" in cleaned
    assert cleaned.count("\n") == text.count("\n")
    for prefix in ("000", "001", "004"):
        cleaned = strip_boilerplate(seed_text(prefix))
        assert not [f for f in auditor.audit(cleaned).findings if f.family == "boilerplate"]
        assert "\n\n\n" not in cleaned


def test_write_clean_writes_one_file_per_article_inside_the_folder(cli, tmp_path):
    from conftest import write_jsonl

    rows = [
        {"id": "../../escape", "text": ENGLISH + "\n\nRead more:"},
        {"id": "a/b", "text": "A different story about the weather on Sunday."},
        {"id": "a_b", "text": "Another story, about the markets on Monday."},
    ]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "clean"
    code, _, _ = cli("audit", str(path), "--write-clean", str(out), "--fail-under", "0")
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["a_b-2.txt", "a_b.txt", "escape.txt"]
    assert (out / "escape.txt").read_text(encoding="utf-8") == ENGLISH + "\n"
    assert not (tmp_path / "escape.txt").exists()


STORY_WORDS = """river market council harbour school bridge budget station winter farmers
    court ferry village doctors museum tunnel airport election factory forest coast storm
    mayor teachers railway hospital festival police bakery clinic garden library""".split()


def _story(story: str, paragraphs: int = 8) -> list[str]:
    """Paragraphs of one made-up story: different stories share no run of five words."""
    rng = random.Random(story)
    return [
        f"{story} {' '.join(rng.choice(STORY_WORDS) for _ in range(16))} said witnesses."
        for _ in range(paragraphs)
    ]


def _article(number: int, source: str, story: str, extra: str, joined: bool = False) -> Article:
    paragraphs = _story(story)
    body = " ".join(paragraphs) if joined else "\n".join(paragraphs)
    return Article(
        id=f"{source}-{number}", text=f"{story} headline\n{body}\n{extra}", source=source
    )


def test_template_lines_recur_across_distinct_stories_of_a_source():
    promo = "Get the Example Daily briefing every morning"
    records = [_article(i, "example.com", f"Story{i}", promo) for i in range(6)]
    records += [_article(i, "other.org", f"Tale{i}", f"Unique ending {i}") for i in range(6)]
    audits = {a.id: a for a in Auditor().iter_audits(records)}
    for i in range(6):
        flagged = [f for f in audits[f"example.com-{i}"].findings if f.code == "BPL012"]
        assert [records[i].text[f.start : f.end] for f in flagged] == [promo]
        assert "6 different articles of example.com" in flagged[0].message
        assert not [f for f in audits[f"other.org-{i}"].findings if f.code == "BPL012"]


@pytest.mark.parametrize("joined", [False, True], ids=["same-lines", "lines-joined"])
def test_copies_of_one_story_are_not_template_lines(joined):
    # extractors split one page differently: half of the copies keep the story on one line
    copies = [
        _article(i, "mirror.net", "Kursk", "A line only this story has", joined and i % 2 == 1)
        for i in range(10)
    ]
    others = [_article(i, "mirror.net", f"Other{i}", "Closing words") for i in range(2)]
    audits = list(Auditor().iter_audits(copies + others))
    assert not [f for a in audits for f in a.findings if f.code == "BPL012"]


def test_html_residue_lines_are_machine_lines_and_prose_around_them_is_not():
    residue = ['<div class="td-post-content">', "&nbsp;", "[caption id=attachment_7]"]
    text = "\n".join([ENGLISH, *residue, "AT&T and the officials said so on Sunday."])
    found = [f.evidence for f in auditor.audit(text).findings if f.code == "BPL001"]
    assert found == residue


@pytest.mark.parametrize(
    "residue",
    [
        "<div>",
        "{color:red;}",
        "[caption id=1]",
        "[vc_row]",
        "[et_pb_section fb_built=1]",
        'class="x"',
        "id='x'",
        "style=”x”",
        "&lt;",
        "&gt;",
        "&amp;",
        "&nbsp;",
    ],
)
def test_html_residue_of_every_kind_passes_the_gate(residue):
    assert has_html_residue(f"An article.\nIts {residue} line.")
