-- Purpose: keep only the period grains a one-shot CLI command reads (cohort_grains holds all three after
--   derive_cohort_grains.sql), so that cohort_customers and cohort_activity, built per grain, are built for
--   those alone. Never run for a saved dataset: its pages read every grain.
-- Params: $grains VARCHAR[] (grains to keep; 'month' among them: the per-customer joins read that grain)
-- Reads, changes: cohort_grains
delete from cohort_grains
where not list_contains($grains::varchar[], grain)
