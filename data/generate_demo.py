"""Seeded generator for the demo online shop.

Output (all dates are ISO ``YYYY-MM-DD`` strings, missing values are ""):

purchases  order_id, customer_id, order_date, amount, channel, country, product_category
           one row per order; ~3% are refunds (negative amount equal to an earlier
           purchase of the same customer, dated 1-14 days after it).
customers  customer_id, signup_date, cancel_date, churn_reason, plan, channel, country
           one row per customer; cancel_date and churn_reason are "" while active.

The story the data tells: signups grow over time with Nov/Dec peaks and a summer
dip; each customer churns with a monthly hazard that depends on channel and plan
(Referral best, Paid social worst, Pro better than Free) and falls slightly for
later cohorts; churn reasons differ by channel and ~2% of them are spelled messily.
Each customer's whole life is simulated, past the end date too, and then censored at the
analysis date: the last months look like a real export (a customer who cancels later is
simply still active), not like a shop where nobody may leave near the end.

Same seed -> byte-identical CSVs.  Run: python data/generate_demo.py --out data/demo
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 30.44

# name: (share of signups, monthly churn hazard after the first month)
CHANNELS = {
    "Organic search": (0.34, 0.075),
    "Paid social": (0.26, 0.125),
    "Referral": (0.12, 0.045),
    "Email": (0.16, 0.070),
    "Affiliate": (0.12, 0.095),
}
# name: (share, hazard multiplier, purchase-rate multiplier, log spend offset)
PLANS = {
    "Free": (0.45, 1.35, 0.75, -0.10),
    "Basic": (0.35, 1.00, 1.00, 0.00),
    "Pro": (0.20, 0.65, 1.35, 0.15),
}
COUNTRIES = {
    "United States": 0.38,
    "United Kingdom": 0.16,
    "Germany": 0.14,
    "France": 0.12,
    "Poland": 0.10,
    "Japan": 0.10,
}
# name: (share of purchases, price multiplier)
CATEGORIES = {
    "Fashion": (0.22, 1.00),
    "Home & Kitchen": (0.20, 1.10),
    "Electronics": (0.15, 1.80),
    "Beauty": (0.15, 0.70),
    "Sports & Outdoors": (0.15, 1.20),
    "Books": (0.13, 0.45),
}
REASONS = [
    "Too expensive",
    "Found a better alternative",
    "Poor customer service",
    "Shipping too slow",
    "Product quality",
    "No longer needed",
]
# Reason mix per channel, in REASONS order.
REASON_MIX = {
    "Organic search": [0.14, 0.36, 0.12, 0.12, 0.10, 0.16],
    "Paid social": [0.46, 0.14, 0.08, 0.10, 0.12, 0.10],
    "Referral": [0.10, 0.14, 0.22, 0.20, 0.14, 0.20],
    "Email": [0.20, 0.18, 0.14, 0.14, 0.10, 0.24],
    "Affiliate": [0.30, 0.26, 0.10, 0.12, 0.12, 0.10],
}
# Signup seasonality by calendar month (Nov/Dec peak, summer dip).
SEASON = np.array([1.00, 0.90, 0.95, 0.95, 1.00, 0.85, 0.75, 0.78, 0.95, 1.05, 1.35, 1.50])

FIRST_MONTH_HAZARD_FACTOR = 2.2  # many customers leave right after the first order
COHORT_IMPROVEMENT = 0.45  # hazard of the newest cohort is 45% lower than the oldest
RATE_DECAY_MONTHS = 15.0  # purchase rate decays as exp(-tenure / this)
MEAN_RATE = 1.50  # repeat purchases per month at signup, before plan multiplier
REFUND_SHARE = 0.03
EMPTY_REASON_SHARE = 0.08
MESSY_REASON_SHARE = 0.02


def _shares(table: dict, column: int | None = None) -> tuple[list[str], np.ndarray]:
    names = list(table)
    values = [table[k] if column is None else table[k][column] for k in names]
    p = np.asarray(values, dtype=float)
    return names, p / p.sum()


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


def _signup_days(rng, n: int, start: np.datetime64, end: np.datetime64) -> np.ndarray:
    """Signup dates with exponential growth (x3 over the span) and seasonality."""
    days = np.arange(start, end + 1)
    t = (days - start).astype(float) / max(1, (end - start).astype(int))
    month = days.astype("datetime64[M]").astype(int) % 12
    weight = np.exp(np.log(3.0) * t) * SEASON[month]
    return np.sort(rng.choice(days, size=n, p=weight / weight.sum()))


def _customers(rng, n: int, start: np.datetime64, end: np.datetime64) -> pd.DataFrame:
    signup = _signup_days(rng, n, start, end)
    channel_names, channel_p = _shares(CHANNELS, 0)
    plan_names, plan_p = _shares(PLANS, 0)
    country_names, country_p = _shares(COUNTRIES)
    width = max(5, len(str(n)))
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:0{width}d}" for i in range(1, n + 1)],
            "signup": signup,
            "channel": np.asarray(channel_names)[rng.choice(len(channel_names), n, p=channel_p)],
            "plan": np.asarray(plan_names)[rng.choice(len(plan_names), n, p=plan_p)],
            "country": np.asarray(country_names)[rng.choice(len(country_names), n, p=country_p)],
        }
    )


def _lifetime_days(rng, cust: pd.DataFrame, start, end) -> np.ndarray:
    """Days from signup until the customer stops buying (often past `end`: see generate)."""
    hazard = cust["channel"].map({k: v[1] for k, v in CHANNELS.items()}).to_numpy()
    hazard = hazard * cust["plan"].map({k: v[1] for k, v in PLANS.items()}).to_numpy()
    cohort = (cust["signup"] - start).dt.days.to_numpy() / max(1, (end - start).astype(int))
    hazard = hazard * (1 - COHORT_IMPROVEMENT * cohort)
    first_month = np.minimum(0.9, hazard * FIRST_MONTH_HAZARD_FACTOR)
    # Month in which the customer churns: 0 with the first-month hazard, else geometric.
    churn_month = np.where(rng.random(len(cust)) < first_month, 0, rng.geometric(hazard))
    return (churn_month + rng.random(len(cust))) * DAYS_PER_MONTH


def _purchase_times(rng, cust: pd.DataFrame, first: np.ndarray, active_end: np.ndarray):
    """(customer index, date) of all purchases: the first one plus decaying repeats."""
    rate = MEAN_RATE * rng.lognormal(-0.18, 0.6, len(cust))  # lognormal mean ~= 1
    rate = rate * cust["plan"].map({k: v[2] for k, v in PLANS.items()}).to_numpy()
    window = (active_end - first).astype(int) / DAYS_PER_MONTH  # months
    tau = RATE_DECAY_MONTHS
    covered = 1 - np.exp(-window / tau)  # share of the decaying intensity inside the window
    repeats = rng.poisson(rate * tau * covered)
    idx = np.repeat(np.arange(len(cust)), repeats)
    # Inverse-CDF sampling of an exp(-t/tau) intensity truncated to the window.
    t = -tau * np.log1p(-rng.random(len(idx)) * covered[idx])
    offset = np.minimum(np.floor(t * DAYS_PER_MONTH), window[idx] * DAYS_PER_MONTH)
    dates = first[idx] + offset.astype("timedelta64[D]")
    return np.concatenate([np.arange(len(cust)), idx]), np.concatenate([first, dates])


def _amounts(rng, cust_idx, dates, level, categories) -> np.ndarray:
    price = np.array([v[1] for v in CATEGORIES.values()])
    december = dates.astype("datetime64[M]").astype(int) % 12 == 11
    log_amount = level[cust_idx] + np.log(price[categories]) + 0.18 * december
    log_amount += rng.normal(0.0, 0.45, len(cust_idx))
    return np.maximum(2.0, np.round(np.exp(log_amount), 2))


def _add_refunds(rng, buys: pd.DataFrame) -> pd.DataFrame:
    """Append negative copies of ~REFUND_SHARE of rows, dated 1-14 days later."""
    pick = rng.random(len(buys)) < REFUND_SHARE / (1 - REFUND_SHARE)
    refunds = buys[pick].copy()
    refunds["date"] = refunds["date"].to_numpy() + rng.integers(1, 15, len(refunds)).astype("timedelta64[D]")
    refunds["amount"] = -refunds["amount"]
    refunds["is_refund"] = True
    return pd.concat([buys.assign(is_refund=False), refunds], ignore_index=True)


def _churn_reasons(rng, channels: np.ndarray) -> np.ndarray:
    reasons = np.empty(len(channels), dtype=object)
    for channel, mix in REASON_MIX.items():
        rows = np.flatnonzero(channels == channel)
        p = np.asarray(mix) / np.sum(mix)
        reasons[rows] = np.asarray(REASONS, dtype=object)[rng.choice(len(REASONS), len(rows), p=p)]
    # Messy spellings so the dashboard's normalisation has something to do.
    messy = np.flatnonzero(rng.random(len(reasons)) < MESSY_REASON_SHARE)
    styles = rng.integers(0, 4, len(messy))
    variants = [lambda r: r.lower() + " ", lambda r: " " + r, str.upper, lambda r: r.replace(" ", "  ")]
    for i, style in zip(messy, styles):
        reasons[i] = variants[style](reasons[i])
    reasons[rng.random(len(reasons)) < EMPTY_REASON_SHARE] = ""
    return reasons


def generate(
    seed: int = 20240101, n_customers: int = 20_000, end: str = "2025-12-31", months: int = 30,
    as_of: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (purchases, customers); see the module docstring for the columns.

    Customers sign up during the `months` months up to `end`. Their whole life is simulated (purchases
    and cancellation may fall long after `end`), then the data is censored at the analysis date `as_of`
    (default `end`), as a real export is: nothing after it is in the files, and a customer whose
    cancellation falls after it is simply still active. The random draws do not depend on `as_of`, so a
    later analysis date only adds what happened after the earlier one.
    """
    rng = np.random.default_rng(seed)
    end_day = np.datetime64(end, "D")
    as_of_day = np.datetime64(as_of or end, "D")
    start = (np.datetime64(end, "M") - (months - 1)).astype("datetime64[D]")

    cust = _customers(rng, n_customers, start, end_day)
    signup = cust["signup"].to_numpy().astype("datetime64[D]")
    first = signup + rng.integers(0, 11, n_customers).astype("timedelta64[D]")
    stop = signup + np.round(_lifetime_days(rng, cust, start, end_day)).astype("timedelta64[D]")
    active_end = np.maximum(first, stop)

    cust_idx, dates = _purchase_times(rng, cust, first, active_end)
    level = np.log(48.0) + rng.normal(0.0, 0.3, n_customers)
    level += cust["plan"].map({k: v[3] for k, v in PLANS.items()}).to_numpy()
    cat_names, cat_p = _shares(CATEGORIES, 0)
    categories = rng.choice(len(cat_names), len(cust_idx), p=cat_p)
    buys = pd.DataFrame(
        {
            "cust": cust_idx,
            "date": dates,
            "amount": _amounts(rng, cust_idx, dates, level, categories),
            "product_category": np.asarray(cat_names)[categories],
        }
    )
    buys = _add_refunds(rng, buys)

    # Cancellation follows the customer's last order (over the whole simulated life) by 0-45 days.
    last = np.full(n_customers, np.datetime64("1970-01-01"), dtype="datetime64[D]")
    np.maximum.at(last, buys["cust"].to_numpy(), buys["date"].to_numpy().astype("datetime64[D]"))
    cancel = last + rng.integers(0, 46, n_customers).astype("timedelta64[D]")
    reasons = _churn_reasons(rng, cust["channel"].to_numpy())

    # Censor at the analysis date.
    buys = buys[buys["date"].to_numpy().astype("datetime64[D]") <= as_of_day]
    buys = buys.sort_values(["date", "cust", "is_refund"], kind="stable", ignore_index=True)
    cancelled = cancel <= as_of_day

    customers = pd.DataFrame(
        {
            "customer_id": cust["customer_id"],
            "signup_date": _iso(signup),
            "cancel_date": np.where(cancelled, _iso(cancel), ""),
            "churn_reason": np.where(cancelled, reasons, ""),
            "plan": cust["plan"],
            "channel": cust["channel"],
            "country": cust["country"],
        }
    )
    c = buys["cust"].to_numpy()
    width = max(6, len(str(len(buys))))
    purchases = pd.DataFrame(
        {
            "order_id": [f"O{i:0{width}d}" for i in range(1, len(buys) + 1)],
            "customer_id": cust["customer_id"].to_numpy()[c],
            "order_date": _iso(buys["date"].to_numpy()),
            "amount": buys["amount"].to_numpy(),
            "channel": cust["channel"].to_numpy()[c],
            "country": cust["country"].to_numpy()[c],
            "product_category": buys["product_category"].to_numpy(),
        }
    )
    return purchases, customers


def _save(purchases: pd.DataFrame, customers: pd.DataFrame, directory: Path) -> tuple[Path, Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = directory / "purchases.csv", directory / "customers.csv"
    for frame, path in zip((purchases, customers), paths):
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f")
    return paths


def write(directory: Path, seed: int = 20240101) -> tuple[Path, Path]:
    """Write purchases.csv and customers.csv into directory; return their paths."""
    return _save(*generate(seed=seed), directory)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data/demo"), help="output directory")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--customers", type=int, default=20_000)
    args = parser.parse_args(argv)
    paths = _save(*generate(seed=args.seed, n_customers=args.customers), args.out)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
