"""The Upload data page's own words (the ingest's words are shared: ui_text ROLE_LABELS, REJECT_REASONS, …)."""

from __future__ import annotations

from retention.i18n import L

QUEUED = L("Other uploads are being loaded; yours starts as soon as one finishes…")
