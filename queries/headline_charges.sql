-- Purpose: revenue at risk in a customers file with a monthly-charges column: the monthly charges of the
--   customers marked churned, against those of everyone with a known status. Reads the temp view
--   customer_charges (customer_id, churned, charge_raw: the charges column as text), made by
--   retention/metrics/headline.py through sql.create_projection.
-- Params: none
-- Returns: one row: churned_with_charge BIGINT, churned_charges DOUBLE (sum of the churned customers' monthly
--   charges), with_charge BIGINT, all_charges DOUBLE (sum over customers with a known status); charges that
--   are not numbers are left out
with charges as (
    select churned, try_cast(replace(charge_raw, ',', '') as double) as charge
    from customer_charges
    where churned is not null
)

select
    count(charge) filter (where churned) as churned_with_charge,
    sum(charge) filter (where churned) as churned_charges,
    count(charge) as with_charge,
    sum(charge) as all_charges
from charges
