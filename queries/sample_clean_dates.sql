-- Purpose: sample date cells as clean_date() leaves them, so that Python can rank candidate formats
--   (ranking only orders the formats; DuckDB's strptime does all parsing).
-- Params: $values VARCHAR[]
-- Returns: t VARCHAR, one row per value
select clean_date(unnest($values::varchar[])) as t
