"""The fixed vocabularies of the data model, in one place for models, domain, forms and API schemas."""
from __future__ import annotations

STATUSES = ("unreviewed", "verified", "disputed", "false", "misleading")
STANCES = ("repeats", "contradicts", "discusses")
FIDELITIES = ("verbatim", "trimmed", "paraphrased", "altered")
ORIGINS = ("extracted", "suggested", "analyst")
QUOTE_KINDS = ("direct", "partial", "reported")
