-- Purpose: parse the staged customers file (all text) into canonical values, and judge every row.
--   A row is churned when a churn date is given, else per the status column (values in $churned_values /
--   $active_values, compared trimmed and lower-case), else unknown (NULL). Several rows of one customer
--   (a Stripe subscriptions export has one row per subscription) are merged into one customer: signup =
--   earliest, churned only when every row is churned (then the latest churn date and its reason), tenure =
--   longest, attributes from the customer's first row; the other rows are skipped as 'merged_customer'.
--   A row whose status is in $not_customer_values (a trial, a lead: never paid) is skipped as
--   'not_customer' before the merge (skip_status = the status as written); a status in $unknown_values
--   is understood but says nothing about churn (churned stays NULL).
-- Params: $signup_formats VARCHAR[], $signup_serial BOOLEAN, $churn_formats VARCHAR[], $churn_serial BOOLEAN
--   (format lists non-empty), $decimal_comma BOOLEAN, $churned_values VARCHAR[], $active_values VARCHAR[],
--   $not_customer_values VARCHAR[], $unknown_values VARCHAR[] (lower case),
--   $today DATE, $churn_date_mapped BOOLEAN (a cancel-date column exists: a blank one then means not churned)
-- Reads: TEMP VIEW staged_customers(row_no, customer_raw, signup_raw, churn_date_raw, churn_reason_raw,
--   status_raw, tenure_raw, <attribute columns>); TEMP TABLE duplicate_rows(row_no) (ingest_duplicate_rows.sql)
-- Creates: TEMP TABLE parsed_customers(row_no, customer_id, signup_date, churn_date, churn_reason, churned,
--   tenure, status_recognised, is_future, reject_reason, reject_role, skip_reason, skip_status, <attribute columns>);
--   reject_reason is NULL for kept and skipped rows, else missing_customer | bad_signup | bad_churn_date |
--   bad_tenure | duplicate_row.
create or replace temp table parsed_customers as
with staged as (
    select * from staged_customers
),

numbered as (
    select *, row_no in (select row_no from duplicate_rows) as is_copy
    from staged
),

parsed as (
    select
        *,
        nullif(trim(ltrim(trim(customer_raw), '''')), '')
            as customer_id,
        cast(parse_date(signup_raw, $signup_formats::varchar[], $signup_serial) as date) as signup_date,
        cast(parse_date(churn_date_raw, $churn_formats::varchar[], $churn_serial) as date) as churn_date,
        nullif(trim(churn_reason_raw), '') as churn_reason,
        lower(trim(status_raw)) as status_norm,
        parse_number(tenure_raw, $decimal_comma) as tenure_value
    from numbered
),

judged as (
    select
        *,
        case
            when customer_id is null then 'missing_customer'
            when nullif(trim(signup_raw), '') is not null and signup_date is null then 'bad_signup'
            when nullif(trim(churn_date_raw), '') is not null and churn_date is null then 'bad_churn_date'
            when nullif(trim(tenure_raw), '') is not null and (tenure_value is null or tenure_value < 0) then 'bad_tenure'
            when is_copy then 'duplicate_row'
        end as reject_reason,
        case
            when churn_date is not null then true
            when list_contains($churned_values::varchar[], status_norm) then true
            when list_contains($active_values::varchar[], status_norm) then false
            when $churn_date_mapped and nullif(status_norm, '') is null then false
        end as churned,
        nullif(status_norm, '') is null
            or list_contains($churned_values::varchar[], status_norm)
            or list_contains($active_values::varchar[], status_norm)
            or list_contains($unknown_values::varchar[], status_norm) as status_recognised,
        coalesce(list_contains($not_customer_values::varchar[], status_norm), false) as not_customer
    from parsed
),

kept as (
    select * from judged where reject_reason is null and not not_customer
),

merged as (
    select
        customer_id,
        min(row_no) as first_row,
        min(signup_date) as m_signup_date,
        bool_and(churned) as m_churned,
        max(churn_date) as m_churn_date,
        coalesce(arg_max(churn_reason, churn_date) filter (where churn_reason is not null), max(churn_reason))
            as m_churn_reason,
        cast(round(max(tenure_value)) as integer) as m_tenure,
        bool_and(status_recognised) as m_status_recognised
    from kept
    group by customer_id
),

customers as (
    select
        k.*,
        m.m_signup_date as signup_date_merged,
        case when m.m_churned then m.m_churn_date end as churn_date_merged,
        m.m_churn_reason as churn_reason_merged,
        m.m_churned as churned_merged,
        m.m_tenure as tenure_merged,
        m.m_status_recognised as status_recognised_merged,
        case when k.row_no > m.first_row then 'merged_customer' end as skip_reason,
        null::varchar as skip_status
    from kept as k
    join merged as m on m.customer_id = k.customer_id
),

unmerged as (
    -- rejected rows, and rows of someone not a customer yet: each stands alone
    select
        *,
        signup_date as signup_date_merged,
        churn_date as churn_date_merged,
        churn_reason as churn_reason_merged,
        churned as churned_merged,
        cast(round(tenure_value) as integer) as tenure_merged,
        status_recognised as status_recognised_merged,
        case when reject_reason is null then 'not_customer' end as skip_reason,
        case when reject_reason is null then trim(status_raw) end as skip_status
    from judged
    where reject_reason is not null or not_customer
),

judged_rows as (
    select * from customers
    union all by name
    select * from unmerged
)

select
    row_no,
    customer_id,
    signup_date_merged as signup_date,
    churn_date_merged as churn_date,
    churn_reason_merged as churn_reason,
    churned_merged as churned,
    tenure_merged as tenure,
    status_recognised_merged as status_recognised,
    coalesce(greatest(signup_date_merged, churn_date_merged) > $today, false) as is_future,
    reject_reason,
    case reject_reason
        when 'missing_customer' then 'customer'
        when 'bad_signup' then 'signup'
        when 'bad_churn_date' then 'churn_date'
        when 'bad_tenure' then 'tenure'
    end as reject_role,
    skip_reason,
    skip_status,
    columns(* exclude (row_no, customer_raw, signup_raw, churn_date_raw, churn_reason_raw, status_raw, tenure_raw,
                       customer_id, signup_date, churn_date, churn_reason, status_norm, tenure_value, is_copy,
                       churned, status_recognised, reject_reason, signup_date_merged, churn_date_merged,
                       churn_reason_merged, churned_merged, tenure_merged, status_recognised_merged, skip_reason,
                       skip_status, not_customer))
from judged_rows
