-- Purpose: split a delimited UTF-8 text file into text cells with DuckDB's CSV reader (fast path of
--   ingest). The dialect is decided beforehand from a sample; every cell stays text, trimmed of spaces
--   (trim_spaces, macro_trim_spaces.sql: created on the connection first),
--   '' when empty. Blank lines are skipped by the reader; short rows are padded, long rows cut.
-- Params: $path VARCHAR (UTF-8 file), $delimiter VARCHAR, $skip BIGINT (rows above the first data row:
--   titles, blank rows and the header), $columns STRUCT/MAP (c0 … cN → 'VARCHAR'), $parallel BOOLEAN
--   (false when quoted fields hold line breaks), $buffer_size BIGINT (bytes the reader takes at a time: each
--   thread reads one such piece, so a file of one piece is read by one thread), $max_line_size BIGINT (the longest
--   record accepted, less than $buffer_size; a longer one is an error)
-- Returns: c0 … cN VARCHAR; one row per record (blank lines excepted), in file order. Rows whose cells
--   are all empty are kept (the callers count them as blank rows: not concatenating every row here is
--   a fifth of the cost of staging a 10M-row file).
with cells as (
    select *
    from read_csv(
        $path, all_varchar = true, header = false, auto_detect = false, delim = $delimiter, quote = '"',
        escape = '"', skip = $skip, null_padding = true, strict_mode = false, parallel = $parallel,
        columns = $columns, buffer_size = $buffer_size, max_line_size = $max_line_size
    )
)

select coalesce(trim_spaces(columns(*)), '')
from cells
