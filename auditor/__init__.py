"""article-auditor: audit news articles for quality and provenance.

Three ways in, one engine: this API (pandas in, pandas out), the ``auditor`` command, and the
pytest plugin.
"""

__version__ = "0.1.0"

from auditor.api import audit, audit_frame
from auditor.clean import strip_boilerplate
from auditor.config import Config, ConfigError, FieldNames
from auditor.engine import Auditor
from auditor.model import Article, ArticleAudit, CorpusAudit, Finding, Severity

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
