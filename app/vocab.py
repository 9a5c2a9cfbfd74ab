"""The fixed vocabularies of the data model, in one place for models, domain, forms and API schemas."""
from __future__ import annotations

STATUSES = ("unreviewed", "verified", "disputed", "false", "misleading")
STANCES = ("repeats", "contradicts", "discusses")
FIDELITIES = ("verbatim", "trimmed", "paraphrased", "altered")
ORIGINS = ("extracted", "suggested", "analyst")
QUOTE_KINDS = ("direct", "partial", "reported")
# What two outlets share on a claim (app/domain/outlets.py): both repeat it, or one repeats it and
# the other contradicts it.
PAIR_KINDS = ("both_repeat", "split")
