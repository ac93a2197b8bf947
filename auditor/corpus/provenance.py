"""Near-duplicates across the batch and who copied whom: one corpus check, shared by families.

Per article (in the workers): word hashes, 3-gram shingles, a MinHash signature, and the text
compressed for the spool. In the main process: LSH banding proposes candidate pairs,
rapidfuzz verifies each on the word sequences (hashed again from the spooled texts), union-find
forms clusters, and inside each cluster the origin is chosen (earliest published, else the one
the others credit, else the one whose words the others carry most) and every copy is aligned
to it.

The rules bound to this check come from several packs: DUP near-copy findings, SPN aligned
substitutions (the origin's words become suggestions), BPL copy insertions (lines that only
this copy carries). The check knows them by name, not by family.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from auditor.config import Config
from auditor.corpus import banding, store
from auditor.corpus.align import Overlap, overlap, substitutions
from auditor.corpus.shingles import NUM_PERM, shingle_hashes, signature
from auditor.corpus.spool import TextSpool, compress
from auditor.document import Document
from auditor.family import CheckContext, CorpusVerdict, rule_finding
from auditor.lexicon import mean_zipf
from auditor.model import Pickled
from auditor.packs import Rule
from auditor.readers import resolve_source

SUPPORT_MARGIN = 0.002
"""Difference in mean similarity to the other copies that decides which side departs."""
SPUN_FREQUENCY_GAP = 0.2
"""Zipf units by which swapped-in words must be rarer than the originals to call a copy spun."""
NEAR_COPY = "near-copy"
ALIGNED_SUBSTITUTION = "aligned-substitution"
COPY_INSERTION = "copy-insertion"


@dataclass(frozen=True, slots=True)
class CopyState(Pickled):
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
        self.min_common = int(anchor.option("min_common_words", 40))
        threshold = float(anchor.option("lsh_threshold", 0.3))
        self.bands, self.rows = banding.parameters(threshold, NUM_PERM)
        self.min_estimate = float(anchor.option("min_estimated_jaccard", 0.6 * threshold))
        self.signatures: list[np.ndarray] = []
        self.pair_source: Callable[[], np.ndarray] | None = None
        """Where candidate pairs come from instead of banding here (a Dask shuffle on band
        keys); indices are the order of ``add``."""
        self.spool = TextSpool()
        self.ids: list[str] = []
        self.states: list[CopyState] = []
        self._hashes = lru_cache(maxsize=4096)(self._token_hashes)
        self._document = lru_cache(maxsize=64)(self._spooled_document)
        self.index_path = config.index
        self.saved: dict[str, int] = {}
        """Articles loaded from the saved index, by id: compared with, never reported on."""
        self.retired: set[int] = set()
        """Saved entries replaced by a new version of the same id in this batch."""
        if self.index_path is not None:
            self._load_index(self.index_path)

    # -- collection ---------------------------------------------------------------------------

    def collect(self, context: CheckContext) -> CopyState:
        doc, article = context.doc, context.article
        hashes = doc.token_hashes
        origin = context.metrics.get("claimed_origin")
        return CopyState(
            source=article.source,
            url=article.url,
            published=article.published.isoformat() if article.published else None,
            claimed_origin=origin if isinstance(origin, str) else None,
            words=len(hashes),
            signature=signature(shingle_hashes(hashes)).tobytes(),
            text=compress(doc.text),
        )

    def _load_index(self, folder: Path) -> None:
        entries = store.load(folder)
        if not entries:
            return
        texts = self.spool.attach(folder / "texts.bin")
        for entry in entries:
            index = len(self.ids)
            self.ids.append(entry.id)
            self.states.append(
                CopyState(
                    entry.source,
                    entry.url,
                    entry.published,
                    entry.claimed_origin,
                    entry.words,
                    entry.signature,
                    b"",
                )
            )
            self.spool.add_external(str(index), texts, entry.offset, entry.length)
            self.saved[entry.id] = index
            self.signatures.append(np.frombuffer(entry.signature, dtype=np.uint32))

    def add(self, article_id: str, state: Any) -> None:
        old = self.saved.get(article_id)
        if old is not None:
            self.retired.add(old)  # a new version of a saved article replaces it
        self.ids.append(article_id)
        self.spool.add(str(len(self.ids) - 1), state.text)
        self.states.append(replace(state, text=b""))
        self.signatures.append(np.frombuffer(state.signature, dtype=np.uint32))

    # -- judgement ----------------------------------------------------------------------------

    def finish(self) -> CorpusVerdict:
        verified = self._verify()
        clusters = _clusters(len(self.ids), verified)
        cluster_of = {member: n for n, members in enumerate(clusters) for member in members}
        inside: list[dict[tuple[int, int], Overlap]] = [{} for _ in clusters]
        for pair, found in verified.items():  # each cluster gets its own pairs, once
            n = cluster_of.get(pair[0])
            if n is not None and cluster_of.get(pair[1]) == n:
                inside[n][pair] = found
        verdict = CorpusVerdict()
        for members, pairs in zip(clusters, inside, strict=True):
            self._judge_cluster(members, pairs, verdict)
        if self.index_path is not None:
            self._save_index(self.index_path)
        self.spool.close()
        return verdict

    def _save_index(self, folder: Path) -> None:
        def entries() -> Iterator[tuple[store.StoredEntry, bytes]]:
            for index, (article_id, state) in enumerate(zip(self.ids, self.states, strict=True)):
                if index in self.retired:
                    continue
                yield (
                    store.StoredEntry(
                        article_id,
                        state.source,
                        state.url,
                        state.published,
                        state.claimed_origin,
                        state.words,
                        state.signature,
                        0,
                        0,
                    ),
                    self.spool.compressed(str(index)),
                )

        store.save(folder, entries())

    def _candidates(self) -> np.ndarray:
        """Pairs sharing a band key, kept when their signatures agree often enough."""
        if not self.signatures:
            return np.zeros((0, 2), dtype=np.int64)
        signatures = np.stack(self.signatures)
        if self.pair_source is None:
            keys = np.stack([banding.band_keys(s, self.bands, self.rows) for s in signatures])
            raw = banding.candidate_pairs(keys)
        else:
            raw = self.pair_source()
        eligible = np.array(
            [
                i not in self.retired and state.words >= self.min_common
                for i, state in enumerate(self.states)
            ]
        )
        pairs = raw[eligible[raw[:, 0]] & eligible[raw[:, 1]]]
        estimate = banding.estimated_jaccard(signatures, pairs)
        kept: np.ndarray = pairs[estimate >= self.min_estimate]
        return kept

    def _verify(self) -> dict[tuple[int, int], Overlap]:
        verified = {}
        for first, second in self._candidates().tolist():
            found = overlap(self._hashes(first), self._hashes(second))
            if found.common >= self.min_common and found.containment >= self.min_containment:
                verified[(first, second)] = found
        return verified

    def _judge_cluster(
        self,
        members: list[int],
        verified: Mapping[tuple[int, int], Overlap],
        verdict: CorpusVerdict,
    ) -> None:
        closest = _closest(members, verified)
        spun_from = {
            m: closest[m][1]
            for m in members
            if m in closest and self._is_spun(m, closest[m][1], members)
        }
        origin = self._origin([m for m in members if m not in spun_from] or members, verified)
        cluster_id = self.ids[origin]
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
                parent = spun_from.get(member, origin)
                edge = self._edge(member, parent, verified, spun=member in spun_from)
                metrics |= {"copy_of": edge.origin, "copy_kind": edge.kind}
                verdict.tables.setdefault("provenance", []).append(vars_of(edge))
                self._copy_findings(member, parent, edge, verdict)
            verdict.metrics.setdefault(self.ids[member], {}).update(metrics)
        if len(members) >= 3 and COPY_INSERTION in self.rules:
            self._insertions(members, verdict)

    def _is_spun(self, copy: int, source: int, members: list[int]) -> bool:
        """Synonym swaps between the two, and the copy is the one that departs from the rest.

        Which side was spun: the other members of the cluster, when there are some, carry the
        original words, so the spun text is the one less similar to them. With no other member
        to ask, the swapped-in words must be rarer than the words they replace.
        """
        copy_hashes, source_hashes = self._hashes(copy), self._hashes(source)
        swaps = list(substitutions(copy_hashes, source_hashes))
        swapped = sum(s.end - s.start for s in swaps)
        if len(swaps) < 3 or swapped / max(len(copy_hashes), 1) < 0.015:
            return False
        others = [m for m in members if m not in (copy, source)][:8]
        if others:
            mine = np.mean([overlap(copy_hashes, self._hashes(o)).similarity for o in others])
            theirs = np.mean([overlap(source_hashes, self._hashes(o)).similarity for o in others])
            if abs(mine - theirs) > SUPPORT_MARGIN:
                return bool(mine < theirs)
        copy_words, source_words = self._document(copy).tokens, self._document(source).tokens
        swapped_in = [w for s in swaps for w in copy_words[s.start : s.end]]
        replaced = [w for s in swaps for w in source_words[s.origin_start : s.origin_end]]
        return mean_zipf(swapped_in) < mean_zipf(replaced) - SPUN_FREQUENCY_GAP

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
        candidates = set(members)
        for (a, b), found in verified.items():
            if a in candidates and b in candidates:
                carried[a].append(found.common / max(self.states[a].words, 1))
                carried[b].append(found.common / max(self.states[b].words, 1))
        return min(members, key=lambda m: (-float(np.mean(carried[m] or [0.0])), m))

    def _edge(
        self, copy: int, origin: int, verified: Mapping[tuple[int, int], Overlap], spun: bool
    ) -> Edge:
        pair = (min(copy, origin), max(copy, origin))
        copy_hashes, origin_hashes = self._hashes(copy), self._hashes(origin)
        found = verified.get(pair) or overlap(copy_hashes, origin_hashes)
        swaps = sum(1 for _ in substitutions(copy_hashes, origin_hashes))
        shorter, longer = sorted((len(copy_hashes), len(origin_hashes)))
        if spun:
            kind = "spun"
        elif found.similarity >= 0.97 and not swaps:
            kind = "verbatim"
        elif shorter / max(longer, 1) < 0.6:
            kind = "partial"
        else:
            kind = "edited"
        return Edge(
            self.ids[copy],
            self.ids[origin],
            kind,
            round(found.similarity, 3),
            round(found.containment, 3),
            swaps,
        )

    def _copy_findings(self, copy: int, origin: int, edge: Edge, verdict: CorpusVerdict) -> None:
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
        doc, origin_doc = self._document(copy), self._document(origin)
        text, origin_text = doc.text, origin_doc.text
        spans, origin_spans = doc.token_spans, origin_doc.token_spans
        for swap in substitutions(self._hashes(copy), self._hashes(origin)):
            start, end = spans[swap.start][0], spans[swap.end - 1][1]
            o_start, o_end = (
                origin_spans[swap.origin_start][0],
                origin_spans[swap.origin_end - 1][1],
            )
            if "\n" in text[start:end] or "\n" in origin_text[o_start:o_end]:
                continue  # a swap never spans lines; this is a moved or re-wrapped passage
            line, column = doc.line_col(start)
            found.append(
                rule_finding(
                    swap_rule,
                    start,
                    end,
                    line,
                    column,
                    text[start:end],
                    suggestion=origin_text[o_start:o_end],
                    origin=edge.origin,
                )
            )

    def _insertions(self, members: list[int], verdict: CorpusVerdict) -> None:
        """Lines of a copy that few of the other copies carry: that site's own furniture.

        A line of one sentence or less (a caption, a teaser, a label) may be carried by more of
        the others than a paragraph before it counts: the extractors that keep a page's captions
        all keep them, while a paragraph that several copies lack is more often story text that
        those copies lost."""
        rule = self.rules[COPY_INSERTION]
        max_support = float(rule.option("max_support", 0.3))
        max_support_short = float(rule.option("max_support_short", max_support))
        grams = {m: _gram_sets(np.array(self._hashes(m), dtype=np.uint64)) for m in members}
        for member in members:
            others = [m for m in members if m != member][:12]
            doc = self._document(member)
            text = doc.text
            hashes = np.array(self._hashes(member), dtype=np.uint64)
            sentence_starts = [sentence.start for sentence in doc.sentences]
            for line, (first, last) in zip(doc.lines, doc.token_ranges(doc.lines), strict=True):
                if last - first < 2:
                    continue
                size = min(3, last - first)
                mine = shingle_hashes(hashes[first:last], size)
                carried = sum(np.isin(mine, grams[o][size - 1]).mean() >= 0.8 for o in others)
                sentences = bisect.bisect_left(sentence_starts, line.end) - bisect.bisect_left(
                    sentence_starts, line.start
                )
                limit = max_support_short if sentences <= 1 else max_support
                if carried / len(others) <= limit:
                    start, end = line.trimmed()
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

    def _spooled_document(self, index: int) -> Document:
        return Document(self.spool.read(str(index)))

    def _token_hashes(self, index: int) -> list[int]:
        """Hashed again from the spooled text: only articles in a candidate pair need them,
        and keeping every article's (4 bytes a token) was most of the phase's memory."""
        hashes: list[int] = self._document(index).token_hashes.tolist()
        return hashes


def _clusters(size: int, verified: Mapping[tuple[int, int], Overlap]) -> list[list[int]]:
    """Union-find over verified pairs, most similar first, with a guard against bridges.

    One composite text (two articles glued by an extractor) is a near-copy of both, and plain
    union-find would chain their two clusters into one. Two groups of two or more merge only
    when at least two members on each side are verified near-copies of the other side.
    """
    parent = list(range(size))
    members: dict[int, set[int]] = {i: {i} for i in range(size)}
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in verified:
        neighbours[a].add(b)
        neighbours[b].add(a)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(verified, key=lambda pair: (-verified[pair].similarity, pair))
    for a, b in order:
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        left, right = members[ra], members[rb]
        if min(len(left), len(right)) >= 2 and (
            sum(1 for m in left if neighbours[m] & right) < 2
            or sum(1 for m in right if neighbours[m] & left) < 2
        ):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep] |= members.pop(gone)
    groups = [sorted(group) for group in members.values() if len(group) > 1]
    return sorted(groups, key=lambda g: g[0])


def _closest(
    members: list[int], verified: Mapping[tuple[int, int], Overlap]
) -> dict[int, tuple[float, int]]:
    """Each member's most similar verified neighbour (``verified`` holds the cluster's pairs)."""
    closest: dict[int, tuple[float, int]] = {}
    for (a, b), found in sorted(verified.items()):
        for me, other in ((a, b), (b, a)):
            if found.similarity > closest.get(me, (-1.0, -1))[0]:
                closest[me] = (found.similarity, other)
    return closest


def _gram_sets(hashes: np.ndarray) -> list[np.ndarray]:
    return [shingle_hashes(hashes, n) for n in (1, 2, 3)]


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
