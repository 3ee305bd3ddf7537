-- Purpose: parse the staged customers file (all text) into canonical values, and give every unusable
--   row its reject reason. A customer is churned when a churn date is given, else per the status column
--   (values in $churned_values / $active_values, compared trimmed and lower-case), else unknown (NULL).
-- Params: $signup_formats VARCHAR[], $signup_serial BOOLEAN, $churn_formats VARCHAR[], $churn_serial BOOLEAN,
--   $decimal_comma BOOLEAN, $churned_values VARCHAR[], $active_values VARCHAR[], $today DATE,
--   $churn_date_mapped BOOLEAN (a cancel-date column exists: a blank cancel date then means not churned)
-- Reads: TEMP VIEW staged_customers(row_no, customer_raw, signup_raw, churn_date_raw, churn_reason_raw,
--   status_raw, tenure_raw, <attribute columns>)
-- Creates: TEMP TABLE parsed_customers(row_no, customer_id, signup_date, churn_date, churn_reason, churned,
--   tenure, status_recognised, is_future, reject_reason, reject_role, <attribute columns>); reject_reason is NULL
--   for kept rows, else missing_customer | bad_signup | bad_churn_date | bad_tenure | duplicate_customer.
create or replace temp table parsed_customers as
with staged as (
    select * from staged_customers
),

parsed as (
    select
        *,
        nullif(trim(regexp_replace(customer_raw, '^''', '')), '') as customer_id,
        cast(parse_date(signup_raw, $signup_formats::varchar[], $signup_serial) as date) as signup_date,
        cast(parse_date(churn_date_raw, $churn_formats::varchar[], $churn_serial) as date) as churn_date,
        nullif(trim(churn_reason_raw), '') as churn_reason,
        lower(trim(status_raw)) as status_norm,
        parse_number(tenure_raw, $decimal_comma) as tenure_value
    from staged
),

judged as (
    select
        *,
        row_number() over (partition by customer_id order by row_no) as copy_no,
        case
            when customer_id is null then 'missing_customer'
            when nullif(trim(signup_raw), '') is not null and signup_date is null then 'bad_signup'
            when nullif(trim(churn_date_raw), '') is not null and churn_date is null then 'bad_churn_date'
            when nullif(trim(tenure_raw), '') is not null and (tenure_value is null or tenure_value < 0) then 'bad_tenure'
        end as parse_problem
    from parsed
)

select
    row_no,
    customer_id,
    signup_date,
    churn_date,
    churn_reason,
    case
        when churn_date is not null then true
        when list_contains($churned_values::varchar[], status_norm) then true
        when list_contains($active_values::varchar[], status_norm) then false
        when $churn_date_mapped and nullif(status_norm, '') is null then false
    end as churned,
    cast(round(tenure_value) as integer) as tenure,
    nullif(status_norm, '') is null
        or list_contains($churned_values::varchar[], status_norm)
        or list_contains($active_values::varchar[], status_norm) as status_recognised,
    coalesce(greatest(signup_date, churn_date) > $today, false) as is_future,
    coalesce(parse_problem, case when copy_no > 1 then 'duplicate_customer' end) as reject_reason,
    case coalesce(parse_problem, case when copy_no > 1 then 'duplicate_customer' end)
        when 'missing_customer' then 'customer'
        when 'duplicate_customer' then 'customer'
        when 'bad_signup' then 'signup'
        when 'bad_churn_date' then 'churn_date'
        when 'bad_tenure' then 'tenure'
    end as reject_role,
    columns(* exclude (row_no, customer_raw, signup_raw, churn_date_raw, churn_reason_raw, status_raw, tenure_raw,
                       customer_id, signup_date, churn_date, churn_reason, status_norm, tenure_value, copy_no,
                       parse_problem))
from judged
