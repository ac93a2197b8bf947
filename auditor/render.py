"""Renderers of the report card: terminal (rich), Markdown, JSON, CSV, Parquet, and one
self-contained HTML file.

Every string that came from input (source names, ids, article text, evidence) is escaped in
HTML by Jinja's autoescaping; article text is highlighted by escaping each slice between
findings and wrapping it in <mark>. A Content-Security-Policy admits only the card's own
sorting script, by hash, as a second line of defence.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any

from markupsafe import Markup, escape

from auditor.model import ArticleAudit
from auditor.report import CardTally, SourceCard, cards_frame
from auditor.writers import safe_cell

CARD_SCHEMA = "article-auditor/report-card"
CARD_VERSION = 1
FORMATS = ("html", "md", "json", "csv", "parquet")
PAGES_PER_SOURCE = 3
MAX_EDGES = 500
SORT_SCRIPT = (
    "document.querySelectorAll('#source-table th').forEach(function(th,i){"
    "th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];"
    "var rows=Array.from(tb.rows);var num=th.dataset.type==='num';"
    "var dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';"
    "rows.sort(function(a,b){var x=a.cells[i].textContent.trim(),y=b.cells[i].textContent.trim();"
    "if(num){x=parseFloat(x)||0;y=parseFloat(y)||0;return (x-y)*dir;}"
    "return x.localeCompare(y)*dir;});rows.forEach(function(r){tb.appendChild(r);});});});"
)


def format_of(path: str, explicit: str | None = None) -> str:
    kind = explicit or Path(path).suffix.lower().lstrip(".")
    kind = {"markdown": "md", "htm": "html", "pq": "parquet"}.get(kind, kind)
    if kind not in FORMATS:
        raise ValueError(f"unknown report format {kind!r} for {path} (known: {', '.join(FORMATS)})")
    return kind


@dataclass
class TextSampler:
    """Keeps the text of the lowest-scoring articles of each source, for the HTML pages.

    A bounded heap per source: memory stays at PAGES_PER_SOURCE texts a source however long
    the run, and the card still shows each source's worst articles with findings in place.
    """

    per_source: int = PAGES_PER_SOURCE
    heaps: dict[str, list[tuple[float, str, str]]] = field(default_factory=dict)

    def offer(self, audit: ArticleAudit, text: str) -> None:
        if not audit.ok or audit.score is None:
            return
        heap = self.heaps.setdefault(audit.source, [])
        item = (-audit.score, audit.id, text)
        if len(heap) < self.per_source:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)

    def texts(self) -> dict[str, str]:
        return {article_id: text for heap in self.heaps.values() for _, article_id, text in heap}


def write_card(
    tally: CardTally,
    path: str,
    kind: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> None:
    kind = format_of(path, kind)
    if kind == "parquet":
        cards_frame(tally.cards()).to_parquet(path, index=False)
    else:
        Path(path).write_text(render_card(tally, kind, texts), encoding="utf-8")


def render_card(tally: CardTally, kind: str, texts: Mapping[str, str] | None = None) -> str:
    """The card as text in one of the text formats (html, md, json, csv)."""
    cards = tally.cards()
    if kind == "csv":
        content = str(cards_frame(cards).map(safe_cell).to_csv(index=False))
    elif kind == "json":
        content = json.dumps(card_json(cards, tally), ensure_ascii=False, indent=1, default=str)
    elif kind == "md":
        content = card_markdown(cards, tally)
    elif kind == "html":
        content = card_html(cards, tally, texts or {})
    else:
        raise ValueError(f"{kind!r} is not a text format")
    return content if content.endswith("\n") else content + "\n"


def card_json(cards: list[SourceCard], tally: CardTally) -> dict[str, Any]:
    return {
        "schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "articles": tally.articles,
        "sources": [_jsonable(card.row) for card in cards],
        "provenance": tally.edges(),
    }


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}


def card_markdown(cards: list[SourceCard], tally: CardTally) -> str:
    families = _families(cards)
    head = [
        "source",
        "articles",
        "failed",
        "mean",
        "median",
        "grade",
        *families,
        "copies of others",
        "copied by others",
        "spun",
        "claimed origins",
    ]
    lines = [
        "# Report card",
        "",
        f"{tally.articles} articles from {len(cards)} sources, worst mean score first. Family "
        "columns are mean scores; shares of articles with warnings and their 95% intervals "
        "are in the JSON and CSV forms.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
    ]
    for card in cards:
        row = card.row
        cells = [
            row["source"],
            row["articles"],
            row["failed"],
            _fmt(row["mean_score"]),
            _fmt(row["median_score"]),
            row["grade"] or "–",
            *[_fmt(row[f"score_{f}"]) for f in families],
            _pct(row["copies_of_others"]),
            _pct(row["copied_by_others"]),
            row["spun_likely"],
            row["claimed_origins"],
        ]
        lines.append("| " + " | ".join(_md(str(c)) for c in cells) + " |")
    notes = [f"- {card.source}: {card.row['note']}" for card in cards if card.row["note"]]
    worst = [
        f"- {card.source}: {card.row['worst_articles']}"
        for card in cards
        if card.row["worst_articles"]
    ]
    return "\n".join(
        [*lines, "", "## Worst articles", "", *worst, "", "## Small samples", "", *notes, ""]
    )


def card_html(cards: list[SourceCard], tally: CardTally, texts: Mapping[str, str]) -> str:
    from jinja2 import Environment

    from auditor import __version__

    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(
        resources.files("auditor").joinpath("templates/card.html").read_text(encoding="utf-8")
    )
    families = _families(cards)
    all_edges = tally.edges()
    pages = {
        card.source: [
            {
                "audit": audit,
                "text": highlight(texts[audit.id], audit) if audit.id in texts else None,
            }
            for audit in card.worst
        ]
        for card in cards
    }
    script_hash = base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()
    return template.render(
        cards=cards,
        families=families,
        total=tally.articles,
        errored=tally.errored,
        small=sum(1 for c in cards if c.row["note"]),
        version=__version__,
        charts=_charts(cards, families),
        flows=_flows(all_edges),
        edges=all_edges[:MAX_EDGES],
        edges_cut=len(all_edges) > MAX_EDGES,
        pages=pages,
        fmt=_fmt,
        pct=_pct,
        script=Markup(SORT_SCRIPT),
        script_hash=script_hash,
    )


def highlight(text: str, audit: ArticleAudit) -> Markup:
    """The article's text, escaped, with each finding's span in a <mark>."""
    spans = sorted(
        (f for f in audit.findings if f.end > f.start), key=lambda f: (f.start, -f.end, f.code)
    )
    pieces: list[Markup] = []
    position = 0
    for finding in spans:
        start, end = finding.start, finding.end
        if start < position:
            continue  # overlapping findings: the first one is marked
        pieces.append(escape(text[position:start]))
        title = f"{finding.code} {finding.name}: {finding.message}"
        pieces.append(
            Markup('<mark class="{}" title="{}">{}</mark>').format(
                finding.severity.label, title, text[start:end]
            )
        )
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def render_terminal(tally: CardTally, stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    cards = tally.cards()
    families = _families(cards)
    table = Table(title="Report card (worst mean score first)", title_justify="left")
    for column in ("source", "articles", "failed", "mean", "grade", *families):
        table.add_column(column, justify="left" if column == "source" else "right")
    for card in cards[:40]:
        row = card.row
        table.add_row(
            row["source"],
            str(row["articles"]),
            str(row["failed"]),
            _fmt(row["mean_score"]),
            row["grade"] or "–",
            *[_fmt(row[f"score_{f}"]) for f in families],
        )
    console = Console(file=stream)
    console.print(table)
    if len(cards) > 40:
        console.print(f"… {len(cards) - 40} more sources: write the full card with --report-card")


def _families(cards: list[SourceCard]) -> list[str]:
    names = {key[len("score_") :] for card in cards for key in card.row if key.startswith("score_")}
    return sorted(names)


def _charts(cards: list[SourceCard], families: list[str]) -> list[dict[str, Any]]:
    charts = []
    for family in families:
        bars: list[dict[str, Any]] = []
        for index, card in enumerate(cards[:60]):
            value = card.row.get(f"score_{family}")
            if value is None:
                continue
            level = "low" if value < 50 else "mid" if value < 80 else ""
            bars.append(
                {
                    "label": card.source[:40],
                    "y": 18 * len(bars),
                    "width": round(4 * value),
                    "value": _fmt(value),
                    "level": level,
                    "index": index,
                }
            )
        charts.append({"family": family, "bars": bars, "height": 18 * len(bars) + 4})
    return charts


def _flows(all_edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str]] = Counter()
    kinds: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for edge in all_edges:
        key = (edge["copy_source"], edge["origin_source"])
        counts[key] += 1
        kinds[key][str(edge["kind"])] += 1
    return [
        {
            "copier": copier,
            "origin": origin,
            "count": count,
            "kinds": ", ".join(f"{k} {n}" for k, n in kinds[(copier, origin)].most_common()),
        }
        for (copier, origin), count in counts.most_common(200)
    ]


def _fmt(value: Any) -> str:
    return "–" if value is None or (isinstance(value, float) and value != value) else f"{value:.1f}"


def _pct(value: Any) -> str:
    return "–" if value is None or (isinstance(value, float) and value != value) else f"{value:.0%}"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
