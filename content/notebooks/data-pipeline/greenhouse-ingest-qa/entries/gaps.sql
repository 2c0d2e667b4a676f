-- Gaps: consecutive readings of one sensor more than one interval (1 h) apart.
-- A gap of N hours means N - 1 readings never arrived.
WITH ordered AS (
  SELECT sensor_id,
         ts,
         LAG(ts) OVER (PARTITION BY sensor_id ORDER BY ts) AS prev_ts
  FROM measurements
)
SELECT sensor_id,
       prev_ts AS last_before_gap,
       ts AS first_after_gap,
       CAST(ROUND((julianday(ts) - julianday(prev_ts)) * 24) AS INTEGER) AS hours_apart,
       CAST(ROUND((julianday(ts) - julianday(prev_ts)) * 24) AS INTEGER) - 1 AS missing_readings
FROM ordered
WHERE prev_ts IS NOT NULL
  AND (julianday(ts) - julianday(prev_ts)) * 24 > 1.5
ORDER BY sensor_id, ts;
