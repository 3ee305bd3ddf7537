"""Frames → plotly figures. One theme (theme.py); one module per area; no data access here."""
