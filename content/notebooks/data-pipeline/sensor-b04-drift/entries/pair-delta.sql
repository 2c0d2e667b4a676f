-- Daily mean temperature difference between two sensors in the same bay
-- (second minus first), on hours where both reported a plausible value.
SELECT substr(a.ts, 1, 10) AS day,
       ROUND(AVG(b.temperature_c - a.temperature_c), 3) AS mean_delta_c,
       ROUND(MIN(b.temperature_c - a.temperature_c), 2) AS min_delta_c,
       ROUND(MAX(b.temperature_c - a.temperature_c), 2) AS max_delta_c,
       COUNT(*) AS pairs
FROM measurements AS a
JOIN measurements AS b
  ON b.ts = a.ts AND b.sensor_id = ?2
WHERE a.sensor_id = ?1
  AND a.temperature_c BETWEEN -10 AND 60
  AND b.temperature_c BETWEEN -10 AND 60
GROUP BY day
ORDER BY day;
