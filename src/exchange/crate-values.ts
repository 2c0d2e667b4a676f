/**
 * Reading values from other ELNs' nodes as this journal needs them: tags from
 * `keywords` (a comma string or, against the spec, an array), a 1–5 rating from
 * an `aggregateRating` on any scale, dates that may not be ISO 8601, and names
 * of people, and PropertyValues as outputs.
 */
import { type CrateNode, list, refIds, text } from './crate.ts';

/** `"a, b"` or `["a", "b"]` → `['a', 'b']`. */
export function keywordsOf(value: unknown): string[] {
  const out = list(value).flatMap((v) => (typeof v === 'string' ? v.split(',') : text(v) ? [text(v)!] : []));
  return [...new Set(out.map((s) => s.trim()).filter(Boolean))];
}

/** A rating 1..5 from an AggregateRating/Rating (inline or referenced), scaled from its best/worst. */
export function ratingOf(value: unknown, byId: Map<string, CrateNode>): number | null {
  const node = (refIds(value)[0] ? byId.get(refIds(value)[0]!) : undefined) ?? (value && typeof value === 'object' ? (value as CrateNode) : undefined);
  if (!node) return null;
  const v = Number(text(node.ratingValue));
  if (!Number.isFinite(v)) return null;
  const best = Number(text(node.bestRating) ?? 5) || 5;
  const worst = Number(text(node.worstRating) ?? 1);
  const scaled = best === 5 && (worst === 1 || worst === 0) ? v : 1 + ((v - worst) / Math.max(best - worst, 1)) * 4;
  return Math.min(5, Math.max(1, Math.round(scaled)));
}

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 timestamp this journal accepts, or `{ verbatim }` when the value is a date it cannot read as one. */
export function dateOf(value: unknown): { iso: string } | { verbatim: string } | null {
  const s = text(value)?.trim();
  if (!s) return null;
  if (ISO.test(s)) return { iso: s };
  return { verbatim: s };
}

/** A person's or organization's display name. */
export function nameOf(id: string | undefined, byId: Map<string, CrateNode>): string | null {
  const n = id ? byId.get(id) : undefined;
  if (!n) return null;
  const given = text(n.givenName);
  const family = text(n.familyName);
  return text(n.name) ?? ([given, family].filter(Boolean).join(' ') || null);
}

/**
 * PropertyValues (`variableMeasured`, `additionalProperty`) as name → value. Whole
 * JSON documents stored as one value (eLabFTW's `elabftw_metadata`) are not
 * results: they are kept under `imported.properties`.
 */
export function propertiesOf(n: CrateNode, byId: Map<string, CrateNode>): { values: Record<string, unknown>; documents: Record<string, string> } {
  const out: Record<string, unknown> = {};
  const documents: Record<string, string> = {};
  for (const id of [...refIds(n.variableMeasured), ...refIds(n.additionalProperty)]) {
    const pv = byId.get(id);
    if (!pv) continue;
    const unit = text(pv.unitText) ?? text(pv.unitCode);
    const base = text(pv.name) ?? text(pv.propertyID) ?? id;
    const key = unit ? `${base} [${unit}]` : base;
    const raw = pv.value;
    const value = typeof raw === 'number' || typeof raw === 'boolean' ? raw : (text(raw) ?? (raw === undefined ? null : JSON.stringify(raw)));
    if (typeof value === 'string' && value.length > 200 && /^\s*[[{]/.test(value)) documents[key] = value;
    else if (!(key in out)) out[key] = value;
  }
  return { values: out, documents };
}
