-- Purpose: set one metadata entry.
-- Params: $key VARCHAR, $value VARCHAR (JSON text)
-- Returns: nothing (inserts or replaces meta.key)
insert or replace into meta values ($key, $value)
