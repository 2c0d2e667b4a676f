#!/usr/bin/env python3
"""Fits the drift of one sensor against its bay neighbour.

The response is the hourly difference B − A (°C); the regressor is time in days
since the start of the extract. Environment:

  SENSOR_A, SENSOR_B  the pair (default gh-b-03, gh-b-04)
  HOURS               all | night   (night: 00–04 UTC with zero solar radiation)
  MODEL               linear | hinge
                      hinge: flat until an onset day t0, linear after it; t0 is
                      found by grid search (0.25-day steps) minimising the SSE.

Prints the fit, writes out/fit_<HOURS>_<MODEL>.json (distinct per variant, so
parallel runs do not collide) and the metrics to $LAB_METRICS_FILE.
Standard library only.
"""
import json
import math
import os
import sqlite3
import sys
from datetime import datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DB = os.path.join(HERE, "..", "..", "greenhouse-ingest-qa", "entries", "data", "greenhouse.sqlite")
DB = os.environ.get("GREENHOUSE_DB") or DEFAULT_DB
A = os.environ.get("SENSOR_A", "gh-b-03")
B = os.environ.get("SENSOR_B", "gh-b-04")
HOURS = os.environ.get("HOURS", "all")
MODEL = os.environ.get("MODEL", "linear")


def ols(xs, ys):
    """Least squares y = a + b·x; returns (a, b, sse)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    a = my - b * mx
    return a, b, sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))


def main():
    if HOURS not in ("all", "night") or MODEL not in ("linear", "hinge"):
        print(f"HOURS must be all|night and MODEL linear|hinge, got HOURS={HOURS} MODEL={MODEL}", file=sys.stderr)
        return 2
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    night = "AND CAST(substr(a.ts, 12, 2) AS INTEGER) < 5 AND w.solar_wm2 = 0" if HOURS == "night" else ""
    rows = con.execute(
        f"""SELECT a.ts, b.temperature_c - a.temperature_c
            FROM measurements a
            JOIN measurements b ON b.ts = a.ts AND b.sensor_id = ?
            JOIN weather w ON w.ts = a.ts
            WHERE a.sensor_id = ? AND a.temperature_c BETWEEN -10 AND 60 AND b.temperature_c BETWEEN -10 AND 60 {night}
            ORDER BY a.ts""",
        (B, A),
    ).fetchall()
    start = datetime.fromisoformat(rows[0][0][:10] + "T00:00:00+00:00")
    xs = [(datetime.fromisoformat(ts.replace("Z", "+00:00")) - start).total_seconds() / 86400 for ts, _ in rows]
    ys = [d for _, d in rows]

    onset = None
    if MODEL == "linear":
        a, b, sse = ols(xs, ys)
        params = 2
    else:
        best = None
        t0 = 0.0
        while t0 <= max(xs) - 2:
            hinge = [max(0.0, x - t0) for x in xs]
            a_, b_, sse_ = ols(hinge, ys)
            if best is None or sse_ < best[3]:
                best = (t0, a_, b_, sse_)
            t0 += 0.25
        onset, a, b, sse = best
        params = 3

    n = len(ys)
    my = sum(ys) / n
    sst = sum((y - my) ** 2 for y in ys)
    metrics = {
        "n": n,
        "drift_c_per_day": round(b, 4),
        "offset_c": round(a, 3),
        "r_squared": round(1 - sse / sst, 4),
        "residual_rmse_c": round(math.sqrt(sse / (n - params)), 4),
    }
    if onset is not None:
        metrics["onset_day"] = onset
    onset_text = f", onset {(start + timedelta(days=onset)).strftime('%Y-%m-%d %H:%M')}Z" if onset is not None else ""
    print(f"{B} − {A}, {HOURS} hours, {MODEL} model, n={n}")
    print(f"  drift {b:+.4f} °C/day, offset {a:+.3f} °C{onset_text}")
    print(f"  R² {metrics['r_squared']:.4f}, residual RMSE {metrics['residual_rmse_c']:.4f} °C")
    os.makedirs("out", exist_ok=True)
    with open(os.path.join("out", f"fit_{HOURS}_{MODEL}.json"), "w") as f:
        json.dump({"pair": [A, B], "hours": HOURS, "model": MODEL, **metrics}, f, indent=2, sort_keys=True)
        f.write("\n")
    if os.environ.get("LAB_METRICS_FILE"):
        with open(os.environ["LAB_METRICS_FILE"], "w") as f:
            json.dump(metrics, f, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
