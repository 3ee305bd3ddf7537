"""#15.1: every page works on data from 1997, from 2010-11 and with rows dated in the future; every date picker's
bounds and default come from the data, not from today's date (AppTest)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import dated_datasets
from tests.conftest import app_data_dir, open_page

PAGES = ["pages/overview.py", "pages/cohorts.py", "pages/churn.py", "pages/benchmarks.py", "pages/whatif.py"]


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """RETENTION_DATA_DIR with the three dated datasets: name → id."""
    path = tmp_path_factory.mktemp("dated-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_DATA_DIR", str(path))
        ids = {name: dated_datasets.create(name) for name in dated_datasets.DATASETS}
    return path, ids


@pytest.fixture
def dated_env(dated, monkeypatch):
    path, ids = dated
    with app_data_dir(path, monkeypatch):
        yield ids


def _open(page: str, **query) -> AppTest:
    """The page with the query, without an exception (open_page) and without an error box."""
    at = open_page(page, **query)
    assert not at.error, [e.value for e in at.error]
    return at


def _last_day(name: str) -> dt.date:
    """The last purchase date in the file, rows dated in the future left out (independent of the app)."""
    start, months, future = dated_datasets.DATASETS[name]
    lines = dated_datasets.purchases_csv(start, months, future_rows=future).decode().splitlines()[1:]
    days = [dt.date.fromisoformat(line.split(",")[1]) for line in lines]
    return max(d for d in days if d <= dt.date.today())


def _first_day(name: str) -> dt.date:
    lines = dated_datasets.purchases_csv(*dated_datasets.DATASETS[name][:2]).decode().splitlines()[1:]
    return min(dt.date.fromisoformat(line.split(",")[1]) for line in lines)


@pytest.mark.parametrize("name", list(dated_datasets.DATASETS))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_old_and_future_dated_data(dated_env, name, page):
    _open(page, dataset=dated_env[name])


@pytest.mark.parametrize("name", list(dated_datasets.DATASETS))
def test_analysis_date_pickers_span_the_data(dated_env, name):
    first, last = _first_day(name), _last_day(name)
    for page, key in (("pages/churn.py", "churn_as_of"), ("pages/cohorts.py", "cohorts_as_of")):
        picker = _open(page, dataset=dated_env[name]).date_input(key=key)
        assert picker.value == last  # the default: the last date in the data, future rows left out
        assert picker.proto.min == first.isoformat() and picker.proto.max == last.isoformat()


def test_old_dates_in_a_link_are_kept(dated_env):
    """A link to a 1997 view keeps its dates (they used to fall outside a picker starting ten years before today)."""
    ids = dated_env
    at = _open("pages/churn.py", dataset=ids["cdnow_1997"], as_of="1997-09-30")
    assert at.date_input(key="churn_as_of").value == dt.date(1997, 9, 30)
    at = _open("pages/cohorts.py", dataset=ids["cdnow_1997"], started=["1997-02-01", "1997-05-31"])
    assert at.date_input(key="cohorts_span").value == (dt.date(1997, 2, 1), dt.date(1997, 5, 31))
    at = _open("pages/benchmarks.py", dataset=ids["retail_2010"], range=["2011-01-01", "2011-06-30"])
    picker = at.date_input(key="benchmarks_range")
    assert picker.value == (dt.date(2011, 1, 1), dt.date(2011, 6, 30))
    assert picker.proto.min == _first_day("retail_2010").isoformat()
    # a date outside the data is not kept (the default instead), rather than failing the page
    at = _open("pages/churn.py", dataset=ids["cdnow_1997"], as_of="1990-01-01")
    assert at.date_input(key="churn_as_of").value == _last_day("cdnow_1997")


def test_year_over_year_names_only_months_with_data(dated_env):
    """#15.14: on data from Dec 2010 to Dec 2011, "repeat purchase within 12 months, first bought in Jan 2010 – Dec
    2010" named a year with (almost) no data, compared with 2009, which has none."""
    at = _open("pages/benchmarks.py", dataset=dated_env["retail_2010"])
    lines = [m.value for m in at.markdown if m.value.startswith("**This period against")]
    assert lines, [m.value for m in at.markdown]
    first = _first_day("retail_2010").replace(day=1)
    for line in lines:
        named = [dt.datetime.strptime(m, "%b %Y").date() for m in re.findall(r"\b[A-Z][a-z]{2} \d{4}\b", line)]
        assert named and min(named) >= first, line
    assert any("no same period a year earlier" in line for line in lines)


def test_window_with_data():
    from retention.benchmarks import internal

    assert internal.window_with_data("2010-01-01", "2010-12-09", "2010-12-01") == ("2010-12-01", "2010-12-09", False)
    assert internal.window_with_data("2011-01-01", "2011-12-09", "2010-12-01") == ("2011-01-01", "2011-12-09", True)
    assert internal.window_with_data("2009-01-01", "2009-12-31", "2010-12-01") is None
    assert internal.window_with_data("2011-01-01", "2011-12-09", None) == ("2011-01-01", "2011-12-09", True)
