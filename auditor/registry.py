"""Every rule the auditor knows, bound to the code that runs it, and the choice of which run.

Selection follows flake8's style guide: a rule runs when the most specific selector that
matches it comes from ``select`` rather than ``ignore``. Selectors are a code (``RDB001``), a
code prefix (``RDB``, ``RDB0``), a rule name (``overlong-sentence``), a family name
(``readability``) or ``ALL``; an exact code or name beats a prefix, a longer prefix beats a
shorter one, and on a tie ``ignore`` wins. Rules marked ``default = false`` in their pack are
opt-in: only an exact code or name selects them, never ``ALL``, a prefix or a family.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from auditor import families as families_package
from auditor.corpus import SHARED_CHECKS
from auditor.family import CorpusFactory, FamilyModule
from auditor.packs import Family, PackError, Rule, builtin_rules_dir, load_pack, pack_files

_EXACT = 1_000


@dataclass(frozen=True)
class Registry:
    families: dict[str, Family]
    rules: dict[str, Rule]
    modules: dict[str, FamilyModule]

    def rule(self, code_or_name: str) -> Rule:
        """A rule by code (any case) or by name."""
        key = code_or_name.strip()
        if key.upper() in self.rules:
            return self.rules[key.upper()]
        for rule in self.rules.values():
            if rule.name == key.lower():
                return rule
        raise KeyError(code_or_name)

    def family_of(self, rule: Rule) -> Family:
        return self.families[rule.family]

    def corpus_check(self, rule: Rule) -> tuple[str, CorpusFactory] | None:
        """The corpus check a rule is bound to, under the key its instances share (a family's
        own check, or a shared one such as provenance); None for an article rule."""
        if rule.kind != "python" or rule.check is None:
            return None
        module = self.modules.get(rule.family)
        if module is not None and rule.check in module.corpus_checks:
            return f"{rule.family}.{rule.check}", module.corpus_checks[rule.check]
        if rule.check in SHARED_CHECKS:
            return rule.check, SHARED_CHECKS[rule.check]
        return None

    def ordered_families(self) -> list[Family]:
        return sorted(self.families.values(), key=lambda family: (family.order, family.prefix))

    def specificity(self, selector: str, rule: Rule) -> int | None:
        """How closely ``selector`` names ``rule``, or None when it does not name it."""
        token = selector.strip()
        if token.upper() == "ALL":
            return 0
        if token.upper() == rule.code or token.lower() == rule.name:
            return _EXACT
        if token.lower() == rule.family:
            return 3
        if token.isalnum() and rule.code.startswith(token.upper()):
            return len(token)
        return None

    def check_selectors(self, selectors: Iterable[str], setting: str) -> None:
        """Reject selectors that name nothing, so a typo in --ignore does not pass silently."""
        for selector in selectors:
            if not any(
                self.specificity(selector, rule) is not None for rule in self.rules.values()
            ):
                raise SelectionError(f"{setting}: {selector!r} names no rule, prefix or family")


class SelectionError(ValueError):
    pass


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def is_selected(self, registry: Registry, rule: Rule) -> bool:
        chosen = _best(registry, self.select + self.extend_select, rule)
        if chosen is None or (chosen < _EXACT and not rule.default):
            return False  # opt-in rules run only when named by code or name
        ignored = _best(registry, self.ignore, rule)
        return ignored is None or chosen > ignored

    def rules(self, registry: Registry) -> list[Rule]:
        return [rule for rule in registry.rules.values() if self.is_selected(registry, rule)]

    def validate(self, registry: Registry) -> None:
        registry.check_selectors(self.select, "select")
        registry.check_selectors(self.ignore, "ignore")
        registry.check_selectors(self.extend_select, "extend-select")


def _best(registry: Registry, selectors: Sequence[str], rule: Rule) -> int | None:
    scores = [s for s in (registry.specificity(sel, rule) for sel in selectors) if s is not None]
    return max(scores) if scores else None


@lru_cache(maxsize=8)
def load_registry(extra_dirs: tuple[Path, ...] = ()) -> Registry:
    """Load the built-in packs and any extra pack folders, and bind them to family modules.

    Cached per process: workers and repeated ``audit()`` calls pay for loading once.
    """
    modules = _discover_modules()
    families: dict[str, Family] = {}
    rules: dict[str, Rule] = {}
    for directory in (builtin_rules_dir(), *extra_dirs):
        for path in pack_files(directory):
            pack = load_pack(path)
            known = families.get(pack.family.name)
            if known is not None and known.prefix != pack.family.prefix:
                raise PackError(
                    f"{path}: family {pack.family.name!r} already has prefix {known.prefix}"
                )
            families.setdefault(pack.family.name, pack.family)
            for rule in pack.rules:
                if rule.code in rules:
                    raise PackError(
                        f"{path}: rule {rule.code} is already defined in {rules[rule.code].pack}"
                    )
                if any(other.name == rule.name for other in rules.values()):
                    raise PackError(f"{path}: rule {rule.code}: name {rule.name!r} is taken")
                _check_binding(path, rule, modules.get(rule.family))
                rules[rule.code] = rule
    return Registry(families=families, rules=dict(sorted(rules.items())), modules=modules)


def _check_binding(path: Path, rule: Rule, module: FamilyModule | None) -> None:
    if rule.kind != "python":
        return
    known = {
        **SHARED_CHECKS,
        **({} if module is None else {**module.checks, **module.corpus_checks}),
    }
    if rule.check not in known:
        raise PackError(
            f"{path}: rule {rule.code}: family {rule.family!r} has no Python check "
            f"{rule.check!r}" + (f" (known: {', '.join(sorted(known))})" if known else "")
        )


def _discover_modules() -> dict[str, FamilyModule]:
    modules: dict[str, FamilyModule] = {}
    for info in pkgutil.iter_modules(families_package.__path__):
        module = importlib.import_module(f"{families_package.__name__}.{info.name}")
        family = getattr(module, "family", None)
        if isinstance(family, FamilyModule):
            modules[family.name] = family
    return modules
