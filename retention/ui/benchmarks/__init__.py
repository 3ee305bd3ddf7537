"""The Benchmarks page's views (pages/benchmarks.py calls them): against published figures (`published`) and
against yourself (`internal`: this period against a year earlier, segments against the rest)."""
