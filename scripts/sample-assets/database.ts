/**
 * The sample journal's SQLite database: two weeks of hourly readings from six
 * greenhouse sensors plus an outside weather station, with the faults the
 * "Data pipeline" notebook investigates planted on purpose:
 *
 * - gh-b-04 drifts warm by 0.085 °C/day from 2026-10-08 (calibration drift),
 * - gh-a-02 is silent for 9 hours overnight 2026-10-12/13 (gateway reboot),
 * - gh-c-06 reads a stuck 100.0 %RH for 14 hours on 2026-10-14 (condensation),
 * - gh-a-01 has one 85.0 °C ADC glitch at 2026-10-11T13:00Z,
 * - gh-c-05's battery sags below 3.3 V in the second week.
 *
 * Deterministic: a seeded PRNG, fixed statement order, VACUUM at the end.
 */
import { renameSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { prng } from './scenes.ts';

const START = Date.UTC(2026, 9, 5, 0, 0, 0); // 2026-10-05T00:00Z
const HOURS = 14 * 24;
const HOUR_MS = 3600_000;

const SENSORS = [
  { id: 'gh-a-01', bay: 'A', side: 'north', offset: 0.0 },
  { id: 'gh-a-02', bay: 'A', side: 'south', offset: 0.35 },
  { id: 'gh-b-03', bay: 'B', side: 'north', offset: 0.1 },
  { id: 'gh-b-04', bay: 'B', side: 'south', offset: 0.4 },
  { id: 'gh-c-05', bay: 'C', side: 'north', offset: -0.2 },
  { id: 'gh-c-06', bay: 'C', side: 'south', offset: 0.2 },
];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Box–Muller normal sample from a uniform PRNG. */
function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Writes the database to `file` (via a temp file and rename). Returns its row counts. */
export function writeGreenhouseDatabase(file: string): Record<string, number> {
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  const db = new DatabaseSync(tmp);
  db.exec(`
    PRAGMA journal_mode = DELETE;
    PRAGMA page_size = 4096;
    CREATE TABLE sensors (
      sensor_id TEXT PRIMARY KEY,
      bay TEXT NOT NULL,
      side TEXT NOT NULL,
      model TEXT NOT NULL,
      installed TEXT NOT NULL,
      calibrated TEXT NOT NULL
    );
    CREATE TABLE measurements (
      sensor_id TEXT NOT NULL REFERENCES sensors(sensor_id),
      ts TEXT NOT NULL,             -- ISO-8601 UTC, top of the hour
      temperature_c REAL NOT NULL,
      humidity_pct REAL NOT NULL,
      battery_v REAL NOT NULL,
      PRIMARY KEY (sensor_id, ts)
    ) WITHOUT ROWID;
    CREATE TABLE weather (
      ts TEXT PRIMARY KEY,
      outside_temp_c REAL NOT NULL,
      solar_wm2 REAL NOT NULL,
      wind_ms REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE ingest_batches (
      batch_id TEXT PRIMARY KEY,
      gateway TEXT NOT NULL,
      day TEXT NOT NULL,
      rows_received INTEGER NOT NULL,
      rows_duplicate INTEGER NOT NULL,
      rows_rejected INTEGER NOT NULL,
      note TEXT
    );
  `);

  const rand = prng(20261005);
  const insertSensor = db.prepare('INSERT INTO sensors VALUES (?, ?, ?, ?, ?, ?)');
  for (const s of SENSORS) insertSensor.run(s.id, s.bay, s.side, 'SHT45', '2026-03-02', '2026-09-28');

  // Outside weather: diurnal cycle, a cold front on days 8–9, cloudiness per day.
  const cloud = Array.from({ length: 14 }, () => 0.3 + rand() * 0.7);
  const weather: { ts: string; out: number; solar: number }[] = [];
  const insertWeather = db.prepare('INSERT INTO weather VALUES (?, ?, ?, ?)');
  for (let h = 0; h < HOURS; h++) {
    const day = Math.floor(h / 24);
    const hod = h % 24;
    const front = day === 8 || day === 9 ? -4.5 : 0;
    const out = 10.5 + 4 * Math.sin((2 * Math.PI * (hod - 9)) / 24) + front - day * 0.12 + gaussian(rand) * 0.4;
    const solar = hod >= 7 && hod <= 18 ? Math.max(0, 520 * Math.sin((Math.PI * (hod - 7)) / 11) * cloud[day]!) : 0;
    const wind = Math.abs(3 + gaussian(rand) * 1.5 + (front ? 4 : 0));
    const ts = iso(START + h * HOUR_MS);
    weather.push({ ts, out, solar });
    insertWeather.run(ts, r2(out), Math.round(solar), r2(wind));
  }

  const insertMeasurement = db.prepare('INSERT INTO measurements VALUES (?, ?, ?, ?, ?)');
  const perGatewayDay = new Map<string, number>();
  let measurements = 0;
  db.exec('BEGIN');
  for (const s of SENSORS) {
    for (let h = 0; h < HOURS; h++) {
      const ms = START + h * HOUR_MS;
      const ts = iso(ms);
      const day = Math.floor(h / 24);
      const hod = h % 24;
      const w = weather[h]!;
      if (s.id === 'gh-a-02' && ts >= '2026-10-12T21:00:00Z' && ts <= '2026-10-13T05:00:00Z') continue;
      // Heating holds 18 °C at night and 21 °C by day; the sun adds on top; the vents cap it.
      const setpoint = hod >= 6 && hod < 20 ? 21 : 18;
      let trueTemp = setpoint + 0.0065 * w.solar + 0.05 * (w.out - 10) + s.offset + gaussian(rand) * 0.15;
      trueTemp = Math.min(trueTemp, 27.5 + gaussian(rand) * 0.2);
      const drift = s.id === 'gh-b-04' ? Math.max(0, (ms - Date.UTC(2026, 9, 8)) / 86400_000) * 0.085 : 0;
      let temperature = trueTemp + drift;
      if (s.id === 'gh-a-01' && ts === '2026-10-11T13:00:00Z') temperature = 85.0;
      let humidity = Math.min(97, Math.max(45, 78 - 2.2 * (trueTemp - 18) + gaussian(rand) * 1.2 - (w.solar > 200 ? 4 : 0)));
      if (s.id === 'gh-c-06' && ts >= '2026-10-14T02:00:00Z' && ts <= '2026-10-14T15:00:00Z') humidity = 100.0;
      const batteryStart = s.id === 'gh-c-05' ? 3.46 : 3.61;
      const batterySlope = s.id === 'gh-c-05' ? 0.0009 : 0.00015;
      const battery = batteryStart - batterySlope * h - (hod < 6 ? 0.01 : 0) + gaussian(rand) * 0.004;
      insertMeasurement.run(s.id, ts, r2(temperature), r2(humidity), Math.round(battery * 1000) / 1000);
      measurements++;
      const key = `${s.bay === 'C' ? 'gw-2' : 'gw-1'} ${ts.slice(0, 10)}`;
      perGatewayDay.set(key, (perGatewayDay.get(key) ?? 0) + 1);
    }
  }
  db.exec('COMMIT');

  // One ingest batch per gateway per day; retransmitted duplicates are rejected at the door.
  const insertBatch = db.prepare('INSERT INTO ingest_batches VALUES (?, ?, ?, ?, ?, ?, ?)');
  let batches = 0;
  for (const key of [...perGatewayDay.keys()].sort()) {
    const [gateway = '', day = ''] = key.split(' ');
    const stored = perGatewayDay.get(key) ?? 0;
    const duplicates = Math.floor(rand() * rand() * 9);
    const malformed = day === '2026-10-13' && gateway === 'gw-1' ? 3 : 0;
    const note =
      day === '2026-10-12' && gateway === 'gw-1'
        ? 'gateway rebooted 21:04Z after firmware push; back 05:52Z'
        : malformed
          ? '3 frames with bad CRC after reboot'
          : null;
    insertBatch.run(`${gateway}-${day}`, gateway, day, stored + duplicates + malformed, duplicates, duplicates + malformed, note);
    batches++;
  }

  db.exec('VACUUM');
  db.close();
  renameSync(tmp, file);
  return { sensors: SENSORS.length, measurements, weather: HOURS, ingest_batches: batches };
}
