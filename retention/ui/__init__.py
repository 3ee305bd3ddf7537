"""The Streamlit layer shared by app.py and pages/ (the only part of the package that imports Streamlit).

Modules, lowest first (each imports only those above it):
    widgets          Markdown-safe text (md), tabs in the link, labelled tables, headline figures, page CSS
    connections      a read-only connection per dataset, a cursor per session, the engine source, the demo, Dataset
    cache            cached(func, ds, ...) for query results; reuse(func, ...) for figures; the engine caption
    links            page_state (controls in the URL), keep_within, the share link and its Copy button
    gate             the password prompt and the rate limit on wrong ids and passwords
    datasets         the dataset in view (dataset(), current_id()), uploads remembered, deleting, dataset facts
    session_uploads  dropping uploaded bytes from server memory
    downloads        CSV/XLSX download buttons, ReportSections and the HTML report button
    language         the session's language and the sidebar's picker
    churn/           the Churn page's views (lead, rate, lifecycle, revenue, reasons, drivers, win-back), each taking its View
    cohorts_views    the Cohorts page's views: survival by tenure, the lead sentence, the four tabs
    customers_views  the Customers page's tabs: still a customer, top customers, RFM groups, model check
    whatif_inputs    the What-if page's measured inputs, input boxes and reason scenario
    whatif_views     the What-if page's headline figures and tabs (profit, sensitivity, tornado, purchase model, sBG)
"""
