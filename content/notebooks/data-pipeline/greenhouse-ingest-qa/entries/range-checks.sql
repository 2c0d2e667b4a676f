-- Two plausibility checks in one result:
--   out_of_range   temperature outside [?1, ?2] °C (an SHT45 in a greenhouse cannot read 85 °C)
--   stuck_humidity the same humidity value ?3 or more hours in a row (a wet or frozen sensor)
-- The stuck check is "gaps and islands": the difference of two row numbers is
-- constant along a run of identical values.
SELECT 'out_of_range' AS check_name,
       sensor_id,
       ts AS first_ts,
       ts AS last_ts,
       1 AS readings,
       printf('temperature_c = %.2f', temperature_c) AS detail
FROM measurements
WHERE temperature_c < ?1 OR temperature_c > ?2
UNION ALL
SELECT 'stuck_humidity',
       sensor_id,
       MIN(ts),
       MAX(ts),
       COUNT(*),
       printf('humidity_pct = %.1f', humidity_pct)
FROM (
  SELECT sensor_id, ts, humidity_pct,
         ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY ts)
       - ROW_NUMBER() OVER (PARTITION BY sensor_id, humidity_pct ORDER BY ts) AS run_id
  FROM measurements
)
GROUP BY sensor_id, humidity_pct, run_id
HAVING COUNT(*) >= ?3
ORDER BY check_name, sensor_id, first_ts;
