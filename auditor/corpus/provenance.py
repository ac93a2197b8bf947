"""Near-duplicates across the batch and who copied whom: one corpus check, shared by families.

Per article (in the workers): word hashes, 3-gram shingles, a MinHash signature, and the text
compressed for the spool. In the main process: LSH banding (datasketch) proposes candidate
pairs, rapidfuzz verifies each on the word sequences, union-find forms clusters, and inside
each cluster the origin is chosen (earliest published, else the one the others credit, else the
one whose words the others carry most) and every copy is aligned to it.

The rules bound to this check come from several packs: DUP near-copy findings, SPN aligned
substitutions (the origin's words become suggestions), BPL copy insertions (lines that only
this copy carries). The check knows them by name, not by family.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHashLSH

from auditor.config import Config
from auditor.corpus.align import Overlap, overlap, substitutions
from auditor.corpus.shingles import NUM_PERM, lean, shingle_hashes, signature, word_hashes
from auditor.corpus.spool import TextSpool, compress
from auditor.document import Document
from auditor.family import CheckContext, CorpusVerdict, rule_finding
from auditor.packs import Rule
from auditor.readers import resolve_source

NEAR_COPY = "near-copy"
ALIGNED_SUBSTITUTION = "aligned-substitution"
COPY_INSERTION = "copy-insertion"


@dataclass(frozen=True, slots=True)
class CopyState:
    """What the corpus phase keeps of an article: metadata, a signature, the spooled text."""

    source: str
    url: str | None
    published: str | None
    claimed_origin: str | None
    words: int
    signature: bytes
    text: bytes


@dataclass(frozen=True, slots=True)
class Edge:
    copy: str
    origin: str
    kind: str
    similarity: float
    containment: float
    substitutions: int


class Provenance:
    """Clusters near-copies, picks each cluster's origin, aligns copies to it."""

    def __init__(self, rules: list[Rule], config: Config) -> None:
        self.rules = {rule.name: rule for rule in rules}
        anchor = self.rules.get(NEAR_COPY) or rules[0]
        self.min_containment = config.dedup_threshold
        self.min_common = int(anchor.option("min_common_words", 20))
        self.lsh = MinHashLSH(
            threshold=float(anchor.option("lsh_threshold", 0.3)), num_perm=NUM_PERM
        )
        self.spool = TextSpool()
        self.ids: list[str] = []
        self.states: list[CopyState] = []
        self.candidates: set[tuple[int, int]] = set()
        self._hashes = lru_cache(maxsize=512)(self._word_hashes)

    # -- collection ---------------------------------------------------------------------------

    def collect(self, context: CheckContext) -> CopyState:
        doc, article = context.doc, context.article
        shingles = shingle_hashes(word_hashes(doc.words))
        origin = context.metrics.get("claimed_origin")
        return CopyState(
            source=article.source,
            url=article.url,
            published=article.published.isoformat() if article.published else None,
            claimed_origin=origin if isinstance(origin, str) else None,
            words=doc.word_count,
            signature=signature(shingles).tobytes(),
            text=compress(doc.text),
        )

    def add(self, article_id: str, state: Any) -> None:
        index = len(self.ids)
        self.ids.append(article_id)
        self.spool.add(str(index), state.text)
        self.states.append(_without_text(state))
        if state.words < self.min_common:
            return
        minhash = lean(np.frombuffer(state.signature, dtype=np.uint32))
        for other in self.lsh.query(minhash):
            self.candidates.add((other, index))
        self.lsh.insert(index, minhash, check_duplication=False)

    # -- judgement ----------------------------------------------------------------------------

    def finish(self) -> CorpusVerdict:
        verified = self._verify()
        clusters = _clusters(len(self.ids), verified)
        verdict = CorpusVerdict()
        for number, members in enumerate(clusters):
            self._judge_cluster(number, members, verified, verdict)
        self.spool.close()
        return verdict

    def _verify(self) -> dict[tuple[int, int], Overlap]:
        verified = {}
        for pair in sorted(self.candidates):
            found = overlap(self._hashes(pair[0]), self._hashes(pair[1]))
            if found.common >= self.min_common and found.containment >= self.min_containment:
                verified[pair] = found
        return verified

    def _judge_cluster(
        self,
        number: int,
        members: list[int],
        verified: Mapping[tuple[int, int], Overlap],
        verdict: CorpusVerdict,
    ) -> None:
        origin = self._origin(members, verified)
        cluster_id = self.ids[origin]
        closest: dict[int, tuple[float, int]] = {}
        for (a, b), found in verified.items():
            if a in members:
                for me, other in ((a, b), (b, a)):
                    if found.similarity > closest.get(me, (-1.0, -1))[0]:
                        closest[me] = (found.similarity, other)
        verdict.tables.setdefault("clusters", []).append(
            {
                "cluster": cluster_id,
                "size": len(members),
                "origin": cluster_id,
                "members": [self.ids[m] for m in members],
            }
        )
        for member in members:
            similarity, nearest = closest.get(member, (0.0, origin))
            metrics = {
                "cluster": cluster_id,
                "cluster_size": len(members),
                "closest_match": self.ids[nearest],
                "closest_similarity": round(similarity, 3),
                "provenance": "origin" if member == origin else "copy",
            }
            if member != origin:
                edge = self._edge(member, origin, verified)
                metrics |= {"copy_of": edge.origin, "copy_kind": edge.kind}
                verdict.tables.setdefault("provenance", []).append(vars_of(edge))
                self._copy_findings(member, origin, edge, verdict)
            verdict.metrics.setdefault(self.ids[member], {}).update(metrics)
        if len(members) >= 3 and COPY_INSERTION in self.rules:
            self._insertions(members, verdict)

    def _origin(self, members: list[int], verified: Mapping[tuple[int, int], Overlap]) -> int:
        """Earliest published, else most credited by the others, else least derived."""
        dated = [(when, m) for m in members if (when := _parse(self.states[m].published))]
        if dated:
            return min(dated)[1]
        credits: dict[int, int] = defaultdict(int)
        for m in members:
            claimed = self.states[m].claimed_origin
            for other in members:
                if other != m and claimed and _same_site(claimed, self.states[other]):
                    credits[other] += 1
        if credits:
            return min(credits, key=lambda m: (-credits[m], m))
        carried: dict[int, list[float]] = defaultdict(list)
        for (a, b), found in verified.items():
            if a in members:
                carried[a].append(found.common / max(self.states[a].words, 1))
                carried[b].append(found.common / max(self.states[b].words, 1))
        return min(members, key=lambda m: (-float(np.mean(carried[m] or [0.0])), m))

    def _edge(self, copy: int, origin: int, verified: Mapping[tuple[int, int], Overlap]) -> Edge:
        pair = (min(copy, origin), max(copy, origin))
        copy_hashes, origin_hashes = self._hashes(copy), self._hashes(origin)
        found = verified.get(pair) or overlap(copy_hashes, origin_hashes)
        swaps = list(substitutions(copy_hashes, origin_hashes))
        swapped = sum(s.end - s.start for s in swaps)
        shorter, longer = sorted((len(copy_hashes), len(origin_hashes)))
        if found.similarity >= 0.97 and not swaps:
            kind = "verbatim"
        elif shorter / max(longer, 1) < 0.6:
            kind = "partial"
        elif len(swaps) >= 3 and swapped / max(len(copy_hashes), 1) >= 0.015:
            kind = "spun"
        else:
            kind = "edited"
        return Edge(
            self.ids[copy],
            self.ids[origin],
            kind,
            round(found.similarity, 3),
            round(found.containment, 3),
            len(swaps),
        )

    def _copy_findings(self, copy: int, origin: int, edge: Edge, verdict: CorpusVerdict) -> None:
        text = self.spool.read(str(copy))
        doc = Document(text)
        found = verdict.findings.setdefault(self.ids[copy], [])
        near = self.rules.get(NEAR_COPY)
        if near is not None:
            found.append(
                rule_finding(
                    near,
                    0,
                    0,
                    1,
                    1,
                    "",
                    origin=edge.origin,
                    similarity=edge.similarity,
                    kind=edge.kind,
                )
            )
        swap_rule = self.rules.get(ALIGNED_SUBSTITUTION)
        if swap_rule is None or edge.kind != "spun":
            return
        origin_doc = Document(self.spool.read(str(origin)))
        for swap in substitutions(self._hashes(copy), self._hashes(origin)):
            start, end = doc.word_spans[swap.start][0], doc.word_spans[swap.end - 1][1]
            o_start = origin_doc.word_spans[swap.origin_start][0]
            o_end = origin_doc.word_spans[swap.origin_end - 1][1]
            line, column = doc.line_col(start)
            found.append(
                rule_finding(
                    swap_rule,
                    start,
                    end,
                    line,
                    column,
                    text[start:end],
                    suggestion=origin_doc.text[o_start:o_end],
                    origin=edge.origin,
                )
            )

    def _insertions(self, members: list[int], verdict: CorpusVerdict) -> None:
        """Lines of a copy that few of the other copies carry: that site's own furniture."""
        rule = self.rules[COPY_INSERTION]
        max_support = float(rule.option("max_support", 0.3))
        grams = {m: _gram_sets(np.array(self._hashes(m), dtype=np.uint64)) for m in members}
        for member in members:
            others = [m for m in members if m != member][:12]
            text = self.spool.read(str(member))
            doc = Document(text)
            for line in doc.lines:
                words = doc.words[_word_range(doc, line.start, line.end)]
                if len(words) < 2:
                    continue
                hashes = word_hashes(words)
                size = min(3, len(hashes))
                mine = shingle_hashes(hashes, size)
                carried = sum(np.isin(mine, grams[o][size - 1]).mean() >= 0.8 for o in others)
                if carried / len(others) <= max_support:
                    start = line.start + len(line.text) - len(line.text.lstrip())
                    end = line.end - (len(line.text) - len(line.text.rstrip()))
                    row, column = doc.line_col(start)
                    verdict.findings.setdefault(self.ids[member], []).append(
                        rule_finding(
                            rule,
                            start,
                            end,
                            row,
                            column,
                            text[start:end],
                            copies=len(others),
                            carried=int(carried),
                        )
                    )

    def _word_hashes(self, index: int) -> list[int]:
        hashes: list[int] = word_hashes(Document(self.spool.read(str(index))).words).tolist()
        return hashes


def _clusters(size: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(size):
        groups[root(i)].append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def _gram_sets(hashes: np.ndarray) -> list[np.ndarray]:
    return [shingle_hashes(hashes, n) for n in (1, 2, 3)]


def _word_range(doc: Document, start: int, end: int) -> slice:
    return slice(
        bisect.bisect_left(doc.word_starts, start), bisect.bisect_left(doc.word_starts, end)
    )


def _without_text(state: CopyState) -> CopyState:
    return CopyState(
        state.source,
        state.url,
        state.published,
        state.claimed_origin,
        state.words,
        state.signature,
        b"",
    )


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _same_site(claimed: str, state: CopyState) -> bool:
    site = claimed.lower().removeprefix("www.")
    return site in (state.source.lower(), resolve_source(None, state.url, None).lower())


def vars_of(edge: Edge) -> dict[str, Any]:
    return {
        "copy": edge.copy,
        "origin": edge.origin,
        "kind": edge.kind,
        "similarity": edge.similarity,
        "containment": edge.containment,
        "substitutions": edge.substitutions,
    }
