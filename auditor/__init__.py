"""article-auditor: audit news articles for quality and provenance.

Three ways in, one engine: this API (pandas in, pandas out), the ``auditor`` command, and the
pytest plugin.
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from auditor.clean import strip_boilerplate
from auditor.config import Config, ConfigError, FieldNames
from auditor.engine import Auditor
from auditor.model import Article, ArticleAudit, CorpusAudit, Finding, Severity

if TYPE_CHECKING:
    from auditor.api import audit, audit_frame


def __getattr__(name: str) -> Any:
    # the pandas front door is imported on first use: the command line, the pytest plugin and
    # the workers never need pandas unless they write a card table (0.3 s, 60 MB a process)
    if name in ("audit", "audit_frame"):
        from auditor import api

        return getattr(api, name)
    raise AttributeError(f"module 'auditor' has no attribute {name!r}")


__all__ = [
    "Article",
    "ArticleAudit",
    "Auditor",
    "Config",
    "ConfigError",
    "CorpusAudit",
    "FieldNames",
    "Finding",
    "Severity",
    "__version__",
    "audit",
    "audit_frame",
    "strip_boilerplate",
]
