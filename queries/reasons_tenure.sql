-- Purpose: reason × tenure: how long churned customers stayed before leaving, per normalised reason.
--   Tenure in months (30.4375 days): from the signup date (else the first purchase) to the churn date;
--   when there is no churn date, the file's tenure column (taken as months); otherwise unknown.
-- Params: $raw_values VARCHAR[], $reasons VARCHAR[] (same length: raw → label), $band_edges DOUBLE[]
--   (ascending lower edges of the tenure bands in months, the first one 0)
-- Returns: reason VARCHAR, band_no INTEGER (1-based index into $band_edges; NULL = tenure unknown),
--   band_from_months DOUBLE, band_to_months DOUBLE (NULL for the last, open band), churned BIGINT,
--   reason_churned BIGINT (all churned with this reason), reason_median_months DOUBLE (median tenure of
--   those with a known tenure); one row per (reason, band) with at least one customer
with mapping as (
    select unnest($raw_values::varchar[]) as raw, unnest($reasons::varchar[]) as reason
),

leavers as (
    select
        coalesce(churn_reason, '') as raw,
        case
            when churn_date is not null and coalesce(signup_date, cast(first_purchase_at as date)) is not null
                then greatest(churn_date - coalesce(signup_date, cast(first_purchase_at as date)), 0) / 30.4375
            else cast(tenure as double)
        end as tenure_months
    from customer_summary
    where churned or (churned is null and churn_reason is not null)
),

banded as (
    select
        coalesce(m.reason, l.raw) as reason,
        l.tenure_months,
        case when l.tenure_months is not null
            then len(list_filter($band_edges::double[], lambda e: e <= l.tenure_months))
        end as band_no
    from leavers as l
    left join mapping as m on m.raw = l.raw
),

per_reason as (
    select reason, count(*) as reason_churned, median(tenure_months) as reason_median_months
    from banded
    group by reason
)

select
    b.reason,
    b.band_no,
    list_extract($band_edges::double[], b.band_no) as band_from_months,
    list_extract($band_edges::double[], b.band_no + 1) as band_to_months,
    count(*) as churned,
    any_value(r.reason_churned) as reason_churned,
    any_value(r.reason_median_months) as reason_median_months
from banded as b
inner join per_reason as r on r.reason = b.reason
group by b.reason, b.band_no
order by b.reason, b.band_no nulls last
