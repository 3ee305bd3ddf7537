-- Purpose: the long table of customer-level segment attributes (channel, plan, country, first product …),
--   filled by derive_attributes_from_*.sql. Long form lets queries pick a segment by a bound value.
-- Params: none
-- Creates: customer_attributes(customer_id, attribute, value, source 'customers'|'purchases')
create table customer_attributes (
    customer_id varchar,
    attribute varchar,
    value varchar,
    source varchar
)
