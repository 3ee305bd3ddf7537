"""The Benchmarks page renders on the demo, shows only matching metrics, takes a user's benchmark file and
compares segments (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGE = str(ROOT / "pages" / "benchmarks.py")


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=180)


def _text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption])


def test_renders_on_demo_with_verdicts(demo_warm):
    at = _page().run()
    assert not at.exception, at.exception
    body = _text(at)
    assert "Your annual customer retention of" in body and "95% CI" in body
    assert "Your repeat purchase rate of" in body
    assert "converted from monthly customer churn" in body  # Recurly's monthly churn shown on the annual scale
    assert "Pooled over" in body
    assert "Monthly customer retention," in body and "the same months a year earlier" in body
    assert len(at.get("plotly_chart")) >= 3  # retention, repeat purchase, segments


def test_industry_without_matching_metric(demo_warm):
    at = _page().run()
    at.multiselect(key="benchmarks_industries").set_value(["Mobile apps - gaming"]).run()
    assert not at.exception, at.exception
    assert any("None of the chosen industries" in i.value for i in at.info)


def test_cohort_curve_benchmarks_and_low_confidence(demo_warm):
    at = _page().run()
    at.multiselect(key="benchmarks_industries").set_value(
        ["E-commerce/catalog - single brand example", "Telecommunications"]).run()
    assert not at.exception, at.exception
    body = _text(at)
    charts = at.get("plotly_chart")
    # long titles are wrapped (theme.style): <br> between lines, written \u003cbr\u003e in the chart's JSON
    titles = [c.proto.spec.replace("\\u003cbr\\u003e", " ").replace("<br>", " ") for c in charts]
    assert any("Repeat purchase by time since the first order" in t for t in titles)
    assert any("low confidence" in t for t in titles)  # Statista-table row and the single-brand example
    assert "is below the 78% reported for Telecommunications" in body


def test_user_benchmark_file(demo_env):
    csv = ("industry,metric,period,value_pct,year,publisher,source_url,definition\n"
           "My niche,customer_churn,monthly,3.5,2024,Niche Association,https://example.org/report,"
           "Monthly subscriber churn of members\n"
           "My niche,customer_churn,weekly,3.5,2024,Niche Association,https://example.org/report,bad period\n")
    at = _page().run()
    at.file_uploader(key="benchmarks_file").set_value(("mine.csv", csv.encode(), "text/csv")).run()
    assert not at.exception, at.exception
    at.multiselect(key="benchmarks_industries").set_value(["My niche"]).run()
    assert not at.exception, at.exception
    assert any("Row 2 left out" in w.value for w in at.warning)
    assert "reported for My niche by Niche Association in 2024" in _text(at)


def test_segments_month1(demo_warm):
    at = _page().run()
    at.selectbox(key="benchmarks_segment_metric").set_value("month1").run()
    assert not at.exception, at.exception
    assert any("for all other customers" in m.value for m in at.markdown)



def _telco_like() -> bytes:
    rows = ["customerID,tenure,Churn,Contract"]
    for i in range(300):
        rows.append(f"T{i},{1 + i % 48},{'Yes' if i % 4 == 0 else 'No'},{'Month-to-month' if i % 2 else 'One year'}")
    return ("\n".join(rows) + "\n").encode()


DATASETS = {
    "tenure_only": (None, ("telco.csv", _telco_like())),
    "no_amounts": (("visits.csv", b"customer,date\n" + b"".join(
        f"c{i % 40},2024-{1 + i % 12:02d}-{1 + i % 27:02d}\n".encode() for i in range(400))), None),
    "tiny": (("orders.csv", b"customer,date,amount\na,2024-01-01,5\nb,2024-01-02,6\n"), None),
}
EXPECTED = {
    "tenure_only": "share of new customers still customers after 12 months",  # Kaplan–Meier by tenure
    "no_amounts": "Your repeat purchase rate of 100.0%",  # every visitor came back; no revenue figures
    "tiny": "Based on only 2 customers",
}


@pytest.mark.parametrize("name", list(DATASETS))
def test_renders_on_other_shapes_of_data(demo_env, name):
    from retention import store
    from retention.ingest.canonical import prepare

    purchases, customers = DATASETS[name]
    dataset_id, _ = store.create_dataset(
        prepare(purchases[1], purchases[0], "purchases") if purchases else None,
        prepare(customers[1], customers[0], "customers") if customers else None, name)
    try:
        at = _page()
        at.query_params["dataset"] = dataset_id
        at.run()
        assert not at.exception, at.exception
        at.multiselect(key="benchmarks_industries").set_value(
            ["Media - US premium SVOD", "E-commerce - all (avg)", "Subscription - all"]).run()
        assert not at.exception, at.exception
        assert EXPECTED[name] in _text(at) + "\n".join(w.value for w in at.warning)
    finally:
        store.delete_dataset(dataset_id)
