"""Benchmarks: published industry figures (data/benchmarks.csv or a user's file in the same format), the
user's own figure for the same metric and period, and the numbers behind a verdict.

Modules, one job each:
- definitions: metric and period codes, exact conversions, which benchmark rows pair with which figure
- catalog:     reading and validating a benchmark file
- statistics:  gap, verdict position, disagreement between sources, two-proportion tests
- figures:     the user's figures from their data (connection in, DataFrame out)
- internal:    internal benchmarks (segments against each other, a period against a year earlier)
- text:        the sentences shown to people (verdicts, definitions), kept together for translation
"""
