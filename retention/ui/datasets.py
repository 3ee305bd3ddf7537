"""Which dataset a session sees: the one in the link, its own uploads, the engine source or the demo; picking,
remembering and deleting datasets; and the dataset facts every page needs (segments, date range, sidebar line).

A session only reaches ids it created, was given in a link, or the public demo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import access, store, ui_text
from retention.ui import connections, gate
from retention.ui.cache import cached
from retention.ui.connections import CURRENT, Dataset, engine_setting, is_engine
from retention.ui.links import route_through_app


SESSION_DATASETS = "datasets_of_this_session"  # list of {"id", "name"} uploaded in this session


OWNER_TOKENS = "owner_tokens"   # dataset id → token proving this session uploaded it


def select_dataset(dataset_id: str) -> None:
    st.session_state[CURRENT] = dataset_id
    st.query_params["dataset"] = dataset_id


def remember_upload(dataset_id: str, name: str, owner_token: str) -> None:
    st.session_state.setdefault(SESSION_DATASETS, []).insert(0, {"id": dataset_id, "name": name})
    st.session_state.setdefault(OWNER_TOKENS, {})[dataset_id] = owner_token
    select_dataset(dataset_id)


def forget_dataset(dataset_id: str) -> None:
    """Delete a dataset: close its cached connection first, then remove the files."""
    connections.connection.clear(dataset_id)
    store.delete_dataset(dataset_id)
    st.session_state[SESSION_DATASETS] = [d for d in st.session_state.get(SESSION_DATASETS, []) if d["id"] != dataset_id]
    st.session_state.pop(CURRENT, None)
    st.query_params.pop("dataset", None)


def distinct_labels(choices: list[tuple[str, str]]) -> dict[str, str]:
    """{id: label} for the dataset picker, with a repeated name numbered ("shop", "shop (2)") in list order.
    A selectbox finds the chosen option again by its label, so two equal labels would swap datasets on rerun."""
    labels: dict[str, str] = {}
    for dataset_id, name in choices:
        label, n = name, 1
        while label in labels.values():
            n += 1
            label = f"{name} ({n})"
        labels[dataset_id] = label
    return labels


def session_datasets() -> list[dict]:
    """Datasets this session may pick from: its uploads, the configured engine source (read-only), the demo."""
    config = engine_setting()[0]
    source = [{"id": config.source_id, "name": connections.engine_meta(config)["name"]}] if config else []
    return st.session_state.get(SESSION_DATASETS, []) + source + [{"id": connections.demo_id(), "name": str(ui_text.DEMO_NAME)}]


def is_owner(dataset_id: str) -> bool:
    if is_engine(dataset_id):
        return False  # a configured source: nobody manages it from the app
    return access.is_owner(dataset_id, st.session_state.get(OWNER_TOKENS, {}).get(dataset_id))


def current_id() -> str:
    """The dataset in view: from the link (?dataset=…), else this session's choice, else the demo.
    Shows the 'gone', 'too many attempts' or password page instead (and stops) when needed."""
    route_through_app()
    linked = st.query_params.get("dataset")
    if linked and linked not in (st.session_state.get(CURRENT), st.session_state.get("ignored_link")):
        if gate.throttled():
            gate.show_too_many()
        if not _exists(linked):
            gate.record_failure()
            st.session_state.pop(CURRENT, None)
            gate.show_gone(linked)
        st.session_state[CURRENT] = linked
    chosen = st.session_state.get(CURRENT)
    if chosen is not None and not _exists(chosen):
        st.session_state.pop(CURRENT, None)
        gate.show_gone(chosen)
    if chosen is None:
        chosen = connections.demo_id()
        st.session_state[CURRENT] = chosen
    if (chosen != store.DEMO_ID and not is_engine(chosen) and chosen not in st.session_state.get(gate.UNLOCKED, set())
            and not is_owner(chosen) and access.needs_password(chosen)):
        gate.ask_password(chosen)
    if chosen != store.DEMO_ID and st.query_params.get("dataset") != chosen:
        st.query_params["dataset"] = chosen  # page switches clear the query string; keep links shareable
    return chosen


def _exists(dataset_id: str) -> bool:
    return is_engine(dataset_id) or store.exists(dataset_id)


def dataset() -> Dataset:
    """The current dataset with this session's cursor on it; for the engine source, the shared engine object
    (metric functions take either: they run their queries through sql.frame)."""
    dataset_id = current_id()
    if is_engine(dataset_id):
        return Dataset(dataset_id, connections.engine_or_stop(dataset_id), connections.engine_meta(engine_setting()[0]))
    return Dataset(dataset_id, connections.cursor(dataset_id), connections.meta(dataset_id))


def segment_attributes(ds: Dataset) -> list[str]:
    """The dataset's segment attributes, without outcome columns (a dataset saved before they were left out
    may hold one, e.g. 'Churn Label': comparing churn by it says nothing)."""
    from retention.ingest.roles import is_outcome_column
    from retention.metrics import overview, rfm

    names = [a for a in cached(overview.attributes, ds)["attribute"].tolist() if not is_outcome_column(a)]
    return sorted(names, key=lambda a: a == rfm.ATTRIBUTE)  # the file's own columns first: the default stays one


def data_days(ds: Dataset) -> tuple:
    """The first and last dates of the data (rows dated in the future left out; (None, None) without dates):
    the bounds of every date picker, so that data from any decade can be picked."""
    from retention.metrics import cohorts

    row = cached(cohorts.availability, ds).iloc[0]
    return tuple(None if pd.isna(d) else pd.Timestamp(d).date() for d in (row.first_date, row.last_date))


def sidebar_summary(ds: Dataset) -> None:
    """A line under the dataset picker: size and date range of the dataset in view."""
    from retention import fmt
    from retention.metrics import overview

    t = cached(overview.totals, ds).iloc[0]
    span = (f"{fmt.date(t.first_date, 'medium')} – {fmt.date(t.last_date, 'medium')}" if pd.notna(t.first_date)
            else ui_text.SIDEBAR_NO_DATES)
    counted = f" · {ui_text.count_of('orders' if t.with_order_ids else 'purchases', int(t.orders))}" if t.orders else ""
    st.caption(f"{ui_text.count_of('customers', int(t.customers))}{counted}  \n{span}")
