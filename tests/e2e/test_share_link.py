"""Shared links: a view set up in one browser context opens identically in a fresh one (controls and the
charts' data); reload keeps it; back/forward step through the controls' history; "Copy link" copies it."""

from __future__ import annotations

import json
import secrets
import shutil
from urllib.parse import parse_qs, urlsplit

import duckdb
from playwright.sync_api import expect

from e2e_helpers import (WAIT_TIMEOUT_MS, choose, combobox, open_page, rerun, reruns_asked, screenshot,
                         wait_for_app)

# Every trace's data, as Plotly holds it in the page (typed arrays become {index: value} objects: equal is equal).
CHART_DATA = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => JSON.stringify(
    plot.data.map(t => ({type: t.type, name: t.name, x: t.x, y: t.y, z: t.z, text: t.text}))))"""
COHORT_BOXES = ["Period", "Retention", "Cohort by", "Only customers with", "Compare by"]


def query(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query, keep_blank_values=True)


def download_report(page) -> str:
    """Click "Download this view as a report (HTML)" and return the file's text.

    The report is built on the click (a deferred st.download_button: the browser asks the server to run the
    callable, then fetches the file). The click must not rerun the page: with a rerun, Streamlit 1.67 could drop the
    file's address from the session's outgoing queue and the button spun for good (2 full-suite runs of about 8 on
    7 Dec 2026; retention/ui/downloads.py). The test also checks that the click asks for no script run.
    """
    wait_for_app(page)
    asked = reruns_asked(page)
    with page.expect_download(timeout=WAIT_TIMEOUT_MS) as download:
        page.get_by_role("button", name="Download this view as a report (HTML)").click()
    assert reruns_asked(page) == asked, "the click on the report's download button asked for a script run"
    return open(download.value.path(), encoding="utf-8").read()


def charts_of(page, like: list | None = None) -> list[str]:
    """The plotly data of every chart on the page; with `like`, once as many charts as it has are drawn
    (the last ones can be drawn a moment after the run has finished, on a busy machine)."""
    page.wait_for_function("n => document.querySelectorAll('.js-plotly-plot').length >= n", arg=len(like or [0]))
    return page.evaluate(CHART_DATA)


def set_date(page, label: str, day: int, month: int) -> None:
    """Type day and month into the st.date_input labelled `label`; leaving the field commits it."""
    group = page.get_by_role("group", name=label, exact=True)
    for part, value in (("day", day), ("month", month)):
        box = group.get_by_role("spinbutton", name=f"{part}, {label}")
        box.click()
        box.press_sequentially(f"{value:02d}")
    with rerun(page):
        page.get_by_role("heading", level=1).click()


def set_number(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    with rerun(page):
        box.press("Enter")


def segment(page, label: str, option: str):
    """The option of the st.segmented_control labelled `label`."""
    return page.get_by_role("radiogroup", name=label, exact=True).get_by_role("radio", name=option, exact=True)


def show_all_cohort_controls(page) -> None:
    """Open the filters expander and the Segments tab (a link may have opened that tab already)."""
    page.get_by_text("Filters and sample size").click()
    tab = page.get_by_role("tab", name="Segments")
    if tab.get_attribute("aria-selected") != "true":
        with rerun(page):  # the open tab is part of the view: choosing one reruns and goes into the link
            tab.click()
    combobox(page, "Compare by").wait_for()


def cohort_controls(page) -> dict[str, str]:
    shown = {label: combobox(page, label).input_value() for label in COHORT_BOXES}
    shown["Analysis date"] = page.get_by_role("group", name="Analysis date", exact=True).inner_text()
    shown["Values"] = page.get_by_test_id("stMultiSelect").filter(has_text="Values").first.inner_text()
    return shown


def copied_link(page) -> str:
    """Click the sidebar's Copy link button and read what reached the clipboard."""
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied")).to_be_visible()
    return page.evaluate("navigator.clipboard.readText()")


def shared_copy_of_the_demo(data_dir) -> str:
    """A dataset someone shared: the demo under an id (and a name) of its own, renamed into place when complete."""
    shared = secrets.token_urlsafe(24)
    tmp = data_dir / "tmp" / f"{shared}.duckdb"
    shutil.copy2(data_dir / "datasets" / "demo.duckdb", tmp)
    with duckdb.connect(str(tmp)) as con:  # another name: the sidebar picker also lists the demo
        con.execute("update meta set value = ? where key = 'name'", [json.dumps("Shared shop")])
    tmp.rename(data_dir / "datasets" / f"{shared}.duckdb")
    return shared


def test_a_shared_link_opens_the_same_view(open_session, app_url, server):
    shared = shared_copy_of_the_demo(server.data_dir)
    author = open_session("author")
    author.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)

    # Cohorts: quarterly, rolling, an analysis date, a filter with a value, a segment
    open_page(author, f"{app_url}/cohorts?dataset={shared}")
    choose(author, author, "Period", "Quarter")
    choose(author, author, "Retention", "Rolling (then or later)")
    set_date(author, "Analysis date", 15, 6)
    show_all_cohort_controls(author)
    choose(author, author, "Only customers with", "channel")
    combobox(author, "Values").click()
    with rerun(author):
        author.get_by_role("option", name="Referral", exact=True).click()
    author.keyboard.press("Escape")
    before_segment = author.url
    choose(author, author, "Compare by", "plan")

    link = copied_link(author)
    assert link == author.get_by_test_id("stSidebar").get_by_test_id("stCode").inner_text()
    assert query(link) == query(author.url) == ("/cohorts", {
        "dataset": [shared], "period": ["quarter"], "mode": ["rolling"], "as_of": ["2025-06-15"],
        "filter": ["channel"], "value": ["Referral"], "segment": ["plan"], "tab": ["segments"]})
    view, charts = cohort_controls(author), charts_of(author)
    assert view["Period"] == "Quarter" and view["Compare by"] == "plan" and "Referral" in view["Values"]

    viewer = open_session("viewer")
    open_page(viewer, link)
    expect(viewer.get_by_role("tab", name="Segments")).to_have_attribute("aria-selected", "true")
    show_all_cohort_controls(viewer)
    assert cohort_controls(viewer) == view
    assert charts_of(viewer, charts) == charts
    assert query(viewer.url) == query(link)
    screenshot(viewer, "share_link-cohorts-viewer")

    viewer.reload()
    wait_for_app(viewer)
    show_all_cohort_controls(viewer)
    assert cohort_controls(viewer) == view and query(viewer.url) == query(link)

    # Back: the view before the last change (segment back to the first one); forward: restored
    with rerun(author):
        author.go_back()
    assert query(author.url) == query(before_segment)
    expect(combobox(author, "Compare by")).to_have_value("channel")
    with rerun(author):
        author.go_forward()
    expect(combobox(author, "Compare by")).to_have_value("plan")
    assert query(author.url) == query(link)

    # Churn: quarterly, churn shown, purchases basis with a 60-day window
    open_page(author, f"{app_url}/churn?dataset={shared}")
    choose(author, author, "Period", "Quarter")
    choose(author, author, "Who counts as active", "Purchases")
    set_number(author, "Inactivity window W (days)", "60")
    with rerun(author):
        author.get_by_test_id("stRadioGroup").get_by_text("Churn %", exact=True).click()
    link = copied_link(author)
    assert query(link) == ("/churn", {"dataset": [shared], "period": ["quarter"], "basis": ["purchases"],
                                      "window": ["60"], "measure": ["churn"]})
    charts = charts_of(author)
    open_page(viewer, link)
    expect(combobox(viewer, "Period")).to_have_value("Quarter")
    expect(combobox(viewer, "Who counts as active")).to_have_value("Purchases")
    expect(viewer.get_by_label("Inactivity window W (days)", exact=True)).to_have_value("60")
    expect(viewer.get_by_role("radio", name="Churn %")).to_be_checked()
    assert charts_of(viewer, charts)[0] == charts[0]  # the retention-rate chart
    screenshot(viewer, "share_link-churn-viewer")
    html = download_report(viewer)
    assert html.startswith("<!DOCTYPE html>") and html.count("Plotly.newPlot(") == len(charts_of(viewer))

    # What if: quarterly model, relative scenario, X = 2, margin 40 %
    open_page(author, f"{app_url}/whatif?dataset={shared}")
    with rerun(author):
        segment(author, "Period of the model", "Quarter").click()
    with rerun(author):
        segment(author, "Scenario", "+X % relative retention").click()
    set_number(author, "X", "2")
    set_number(author, "Gross margin, % of revenue (assumed — enter yours)", "40")  # until a value is entered
    link = copied_link(author)
    assert query(link) == ("/whatif", {"dataset": [shared], "period": ["quarter"], "scenario": ["relative"],
                                       "x": ["2"], "margin": ["40"]})
    inputs = {b.get_attribute("aria-label"): b.input_value() for b in author.get_by_role("spinbutton").all()}
    charts = charts_of(author)
    open_page(viewer, link)
    expect(viewer.get_by_role("spinbutton")).to_have_count(len(inputs))  # widgets drawn after the run ended
    assert {b.get_attribute("aria-label"): b.input_value() for b in viewer.get_by_role("spinbutton").all()} == inputs
    expect(segment(viewer, "Period of the model", "Quarter")).to_be_checked()
    expect(segment(viewer, "Scenario", "+X % relative retention")).to_be_checked()
    assert charts_of(viewer, charts) == charts
