"""Placeholder until the churn page lands."""

import streamlit as st

st.title("Churn")
st.info("This page is being built.")
