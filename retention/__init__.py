"""Customer-retention analytics: ingest spreadsheets, store them in DuckDB, answer retention questions."""

__version__ = "0.1.0"
