-- Purpose: read a Parquet file as text cells (every column cast to VARCHAR, NULL → ''), so that it
--   goes through the same role detection and parsing as a spreadsheet. Dates come out ISO.
-- Params: $path VARCHAR
-- Returns: the file's columns, all VARCHAR, in file order.
select coalesce(trim(cast(columns(*) as varchar)), '')
from read_parquet($path)
