"""The Python side of bench/compare.sh: the csv and pandas baselines, and iamkit from Python, on the
generated credential report. Run with the venv's interpreter (target/bench-peers/venv), which
has iamkit (pip install ./python) and pandas (PyPI).

    python bench/py_peers.py dictreader REPORT.csv
        reads the report with csv.DictReader into a list of rows (the whole process is timed by
        the caller: row 7, "vs Python csv.DictReader reading it")
    python bench/py_peers.py pandas-read REPORT.csv
        the same with pandas.read_csv
    python bench/py_peers.py typed REPORT.csv REPS
        in process, the report's text already read (row 8): iamkit.parse_credential_report, against
        csv.DictReader + datetime.fromisoformat of each date cell, and pandas.read_csv +
        to_datetime of the date columns; prints one JSON line of medians (seconds), a member
        null with a reason when its library cannot be imported. The report's rows are lazy views,
        so iamkitDates (every date cell read too) and iamkitAllCells (every value read) are
        timed beside it
"""
from __future__ import annotations

import csv
import io
import json
import statistics
import sys
import time
from collections.abc import Mapping
from datetime import datetime

# the report's date columns: a cell holds an ISO 8601 instant, or N/A, no_information,
# not_supported (kept as text)
DATE_COLUMNS = [
    "user_creation_time", "password_last_used", "password_last_changed", "password_next_rotation",
    "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_2_last_rotated",
    "access_key_2_last_used_date", "cert_1_last_rotated", "cert_2_last_rotated",
]


def dictreader_typed(text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for col in DATE_COLUMNS:
            v = row.get(col)
            if v and v[0].isdigit():
                row[col] = datetime.fromisoformat(v)
    return rows


def pandas_typed(text: str):
    import pandas as pd

    df = pd.read_csv(io.StringIO(text))
    for col in DATE_COLUMNS:
        df[col] = pd.to_datetime(df[col], errors="coerce", utc=True, format="ISO8601")
    return df


def iamkit_typed(text: str):
    import iamkit

    return iamkit.parse_credential_report(text)


# the answer's date cells of a row (rows are lazy views: reading a value makes it)
ROW_DATES = ["userCreationTime", "passwordLastUsed", "passwordLastChanged", "passwordNextRotation"]


def iamkit_dates(text: str):
    """parse_credential_report, then every row's every date cell read (the honest figure when
    the rows are lazy)."""
    import iamkit

    report = iamkit.parse_credential_report(text)
    for row in report["rows"]:
        for col in ROW_DATES:
            row[col]
        for key in row["accessKeys"]:
            key["lastRotated"], key["lastUsedDate"]
        for cert in row["certs"]:
            cert["lastRotated"]
    return report


def iamkit_all_cells(text: str):
    """parse_credential_report, then every value of every row read."""
    import iamkit

    report = iamkit.parse_credential_report(text)
    for row in report["rows"]:
        for value in row.values():
            pass
    return report


def median_time(fn, text: str, reps: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(reps):
        t = time.perf_counter()
        out = fn(text)
        times.append(time.perf_counter() - t)
        n = len(out["rows"]) if isinstance(out, Mapping) and "rows" in out else len(out)
        del out
    return statistics.median(times), n


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "dictreader":
        with open(path, newline="") as f:
            print(len(list(csv.DictReader(f))))
    elif mode == "pandas-read":
        import pandas as pd

        print(len(pd.read_csv(path)))
    elif mode == "typed":
        reps = int(sys.argv[3])
        with open(path, newline="") as f:
            text = f.read()
        out: dict = {"python": sys.version.split()[0]}
        peers = [("iamkit", iamkit_typed), ("iamkitDates", iamkit_dates), ("iamkitAllCells", iamkit_all_cells),
                 ("dictreaderDatetime", dictreader_typed), ("pandas", pandas_typed)]
        for name, fn in peers:
            try:
                seconds, rows = median_time(fn, text, reps)
                out[name] = {"seconds": seconds, "rows": rows}
            except Exception as e:  # a library that is not installed: n/a with the reason
                out[name] = None
                out[name + "Error"] = f"{type(e).__name__}: {e}"[:300]
        try:
            import pandas

            out["pandasVersion"] = pandas.__version__
        except ImportError:
            pass
        print(json.dumps(out))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
