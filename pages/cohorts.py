"""Placeholder until the cohorts page lands."""

import streamlit as st

st.title("Cohorts")
st.info("This page is being built.")
