-- Same as pair-delta.sql, restricted to dark, still hours: 00:00–04:59 UTC with
-- zero solar radiation at the outside station. With the vents closed and no sun,
-- both sensors of a bay sit in the same well-mixed air, so any difference left
-- is the sensors', not the greenhouse's.
SELECT substr(a.ts, 1, 10) AS day,
       ROUND(AVG(b.temperature_c - a.temperature_c), 3) AS mean_delta_c,
       ROUND(MIN(b.temperature_c - a.temperature_c), 2) AS min_delta_c,
       ROUND(MAX(b.temperature_c - a.temperature_c), 2) AS max_delta_c,
       ROUND(AVG(w.outside_temp_c), 1) AS outside_c,
       COUNT(*) AS pairs
FROM measurements AS a
JOIN measurements AS b ON b.ts = a.ts AND b.sensor_id = ?2
JOIN weather AS w ON w.ts = a.ts
WHERE a.sensor_id = ?1
  AND CAST(substr(a.ts, 12, 2) AS INTEGER) < 5
  AND w.solar_wm2 = 0
  AND a.temperature_c BETWEEN -10 AND 60
  AND b.temperature_c BETWEEN -10 AND 60
GROUP BY day
ORDER BY day;
