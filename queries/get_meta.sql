-- Purpose: every metadata entry of a dataset.
-- Params: none
-- Returns: key, value (JSON text)
select key, value
from meta
order by key
