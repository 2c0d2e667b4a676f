#!/usr/bin/env python3
"""Plots the hourly temperature difference between two sensors as an SVG chart.

SENSOR_A / SENSOR_B pick the pair (default gh-b-03 / gh-b-04); the plotted value
is B minus A. Night hours (zero solar radiation) are shaded, and a 24-hour
centred rolling mean is drawn over the raw points. Writes
out/delta_<B>_minus_<A>.svg; standard library only (no matplotlib on CI boxes).
"""
import json
import os
import sqlite3
import sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DB = os.path.join(HERE, "..", "..", "greenhouse-ingest-qa", "entries", "data", "greenhouse.sqlite")
DB = os.environ.get("GREENHOUSE_DB") or DEFAULT_DB
A = os.environ.get("SENSOR_A", "gh-b-03")
B = os.environ.get("SENSOR_B", "gh-b-04")

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 900, 360, 56, 16, 28, 44


def main():
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    rows = con.execute(
        """SELECT a.ts, b.temperature_c - a.temperature_c, w.solar_wm2
           FROM measurements a
           JOIN measurements b ON b.ts = a.ts AND b.sensor_id = ?
           JOIN weather w ON w.ts = a.ts
           WHERE a.sensor_id = ? AND a.temperature_c BETWEEN -10 AND 60 AND b.temperature_c BETWEEN -10 AND 60
           ORDER BY a.ts""",
        (B, A),
    ).fetchall()
    if not rows:
        print(f"no overlapping readings for {A} and {B} in {DB}", file=sys.stderr)
        return 1

    t0 = datetime.fromisoformat(rows[0][0].replace("Z", "+00:00"))
    xs = [(datetime.fromisoformat(ts.replace("Z", "+00:00")) - t0).total_seconds() / 86400 for ts, _, _ in rows]
    ys = [d for _, d, _ in rows]
    roll = []
    for i in range(len(ys)):
        window = ys[max(0, i - 12): i + 13]
        roll.append(sum(window) / len(window))

    x_max = max(xs)
    y_lo, y_hi = min(-0.25, min(ys)), max(ys) + 0.1
    sx = lambda x: PAD_L + (W - PAD_L - PAD_R) * x / x_max
    sy = lambda y: PAD_T + (H - PAD_T - PAD_B) * (y_hi - y) / (y_hi - y_lo)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="#ffffff"/>']
    for (ts, _, solar), x in zip(rows, xs):
        if solar == 0:
            out.append(f'<rect x="{sx(x):.1f}" y="{PAD_T}" width="{sx(1 / 24) - PAD_L + 0.5:.1f}" height="{H - PAD_T - PAD_B}" fill="#eef2f7"/>')
    step = 0.25 if y_hi - y_lo < 2.5 else 0.5
    v = round(y_lo / step) * step
    while v <= y_hi:
        out.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{sy(v):.1f}" y2="{sy(v):.1f}" stroke="{"#94a3b8" if abs(v) < 1e-9 else "#e2e8f0"}"/>')
        out.append(f'<text x="{PAD_L - 6}" y="{sy(v) + 4:.1f}" text-anchor="end" fill="#475569">{v:+.2f}</text>')
        v += step
    for day in range(int(x_max) + 1):
        label = datetime.fromtimestamp(t0.timestamp() + day * 86400, tz=timezone.utc).strftime("%m-%d")
        out.append(f'<text x="{sx(day):.1f}" y="{H - PAD_B + 16}" text-anchor="middle" fill="#475569">{label}</text>')
    out.append("".join(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="1.6" fill="#0f766e" fill-opacity="0.45"/>' for x, y in zip(xs, ys)))
    out.append('<polyline fill="none" stroke="#b91c1c" stroke-width="2" points="' + " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(xs, roll)) + '"/>')
    out.append(f'<text x="{PAD_L}" y="18" font-size="13" fill="#0f172a">{B} minus {A}, °C (hourly; red: 24 h rolling mean; shaded: night)</text>')
    out.append("</svg>")

    os.makedirs("out", exist_ok=True)
    path = os.path.join("out", f"delta_{B}_minus_{A}.svg")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    metrics = {"points": len(ys), "delta_first_day_c": round(sum(ys[:24]) / 24, 3), "delta_last_day_c": round(sum(ys[-24:]) / 24, 3)}
    print(f"wrote {path}: {len(ys)} points, first-day mean {metrics['delta_first_day_c']:+.3f} °C, last-day mean {metrics['delta_last_day_c']:+.3f} °C")
    if os.environ.get("LAB_METRICS_FILE"):
        with open(os.environ["LAB_METRICS_FILE"], "w") as f:
            json.dump(metrics, f, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
