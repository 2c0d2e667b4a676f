#!/usr/bin/env python3
"""Daily per-sensor statistics for the greenhouse extract, after QA filtering.

Reads the SQLite database (GREENHOUSE_DB, default ./data/greenhouse.sqlite next
to this script), drops readings that fail the plausibility checks from
range-checks.sql, and writes out/daily_stats.csv. Numbers for `lab diff` go to
$LAB_METRICS_FILE as JSON when the runner provides it. Standard library only.
"""
import csv
import json
import os
import sqlite3
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DB = os.environ.get("GREENHOUSE_DB") or os.path.join(HERE, "data", "greenhouse.sqlite")
TEMP_RANGE = (float(os.environ.get("TEMP_MIN", "-10")), float(os.environ.get("TEMP_MAX", "60")))
STUCK_HOURS = int(os.environ.get("STUCK_HOURS", "4"))
EXPECTED_PER_SENSOR = 14 * 24


def stuck_runs(rows):
    """Indices of readings inside runs of >= STUCK_HOURS identical humidity values."""
    bad, start = set(), 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["humidity_pct"] != rows[start]["humidity_pct"]:
            if i - start >= STUCK_HOURS:
                bad.update(range(start, i))
            start = i
    return bad


def main():
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    by_sensor = defaultdict(list)
    for row in con.execute("SELECT * FROM measurements ORDER BY sensor_id, ts"):
        by_sensor[row["sensor_id"]].append(row)

    rejected = defaultdict(int)
    daily = defaultdict(list)
    for sensor, rows in by_sensor.items():
        stuck = stuck_runs(rows)
        for i, r in enumerate(rows):
            if not TEMP_RANGE[0] <= r["temperature_c"] <= TEMP_RANGE[1]:
                rejected["out_of_range"] += 1
                continue
            if i in stuck:
                rejected["stuck_humidity"] += 1
                continue
            daily[(sensor, r["ts"][:10])].append(r)

    os.makedirs("out", exist_ok=True)
    with open(os.path.join("out", "daily_stats.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sensor_id", "day", "readings", "t_mean_c", "t_min_c", "t_max_c", "rh_mean_pct", "battery_min_v"])
        for (sensor, day), rows in sorted(daily.items()):
            temps = [r["temperature_c"] for r in rows]
            w.writerow([
                sensor, day, len(rows),
                f"{sum(temps) / len(temps):.2f}", f"{min(temps):.2f}", f"{max(temps):.2f}",
                f"{sum(r['humidity_pct'] for r in rows) / len(rows):.1f}",
                f"{min(r['battery_v'] for r in rows):.3f}",
            ])

    rows_read = sum(len(v) for v in by_sensor.values())
    expected = EXPECTED_PER_SENSOR * len(by_sensor)
    metrics = {
        "rows_read": rows_read,
        "rows_rejected": sum(rejected.values()),
        "rows_rejected_out_of_range": rejected["out_of_range"],
        "rows_rejected_stuck_humidity": rejected["stuck_humidity"],
        "coverage_pct": round(100.0 * rows_read / expected, 2),
        "sensor_days": len(daily),
    }
    print(f"read {rows_read} rows from {len(by_sensor)} sensors ({metrics['coverage_pct']} % of {expected} expected)")
    print(f"rejected {metrics['rows_rejected']}: {dict(sorted(rejected.items()))}")
    print(f"wrote out/daily_stats.csv ({len(daily)} sensor-days)")
    if os.environ.get("LAB_METRICS_FILE"):
        with open(os.environ["LAB_METRICS_FILE"], "w") as f:
            json.dump(metrics, f, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
