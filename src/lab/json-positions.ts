/**
 * A small strict JSON parser (RFC 8259) that also records where each key and
 * array item starts, so a schema problem in `lab/raw/<id>.json` can be reported
 * at `path:line:col` of the offending key. `JSON.parse` gives no positions.
 */
import type { KeyPositions } from '../core/source/positions.ts';

/** A JSON syntax error with its 1-based position. */
interface JsonProblem {
  line: number;
  column: number;
  message: string;
}

export type JsonParseResult = { ok: true; value: unknown; positions: KeyPositions } | { ok: false; problem: JsonProblem };

class JsonSyntaxError extends Error {
  offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Parses JSON text; positions map dotted key paths (`lab/user-messages.0.text`) to [line, column]. */
export function parseJsonWithPositions(text: string): JsonParseResult {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const toPos = (offset: number): [number, number] => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, offset - lineStarts[lo]! + 1];
  };
  const positions: KeyPositions = {};
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`);

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    while (true) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const e = text[i + 1]!;
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else fail('invalid escape in string');
        chunk = i;
        continue;
      }
      if (c < 0x20) fail('control character in string (escape newlines as \\n)');
      i++;
    }
  };

  // Containers are kept on an explicit stack, not the call stack: a deeply nested file is a
  // position or a result, never a RangeError.
  type Frame = { kind: 'object'; value: Record<string, unknown>; path: string; key: string } | { kind: 'array'; value: unknown[]; path: string };
  const stack: Frame[] = [];
  /** Sets an own property, also for `__proto__` (plain assignment would change the prototype and drop the key). */
  const setOwn = (target: Record<string, unknown>, key: string, value: unknown) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  const childPath = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  // Paths grow with depth, so recording every one would cost depth² memory; a problem deeper than
  // this is reported at its nearest recorded ancestor.
  const MAX_POSITION_DEPTH = 64;
  const record = (path: string, at: number) => {
    if (stack.length <= MAX_POSITION_DEPTH) setOwn(positions as Record<string, unknown>, path, toPos(at));
  };

  const parseScalar = (): unknown => {
    if (text[i] === '"') return parseString();
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '-' && m[0].length) {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(`unexpected ${describe(i)}: expected a JSON value`);
  };

  /** Reads `"key":` inside an object frame and makes it the frame's current key. */
  const readKey = (frame: Extract<Frame, { kind: 'object' }>): string => {
    ws();
    if (text[i] !== '"') fail(`expected a "key" but found ${describe(i)}`);
    const keyAt = i;
    const key = parseString();
    if (Object.prototype.hasOwnProperty.call(frame.value, key)) fail(`duplicate key "${key}"`, keyAt);
    const path = childPath(frame.path, key);
    record(path, keyAt);
    ws();
    if (text[i] !== ':') fail(`expected ':' after key "${key}" but found ${describe(i)}`);
    i++;
    frame.key = key;
    return path;
  };
  /** Records where the next item of an array frame starts; returns its path. */
  const nextItem = (frame: Extract<Frame, { kind: 'array' }>): string => {
    ws();
    const path = childPath(frame.path, frame.value.length);
    record(path, i);
    return path;
  };

  const parseValue = (): unknown => {
    let path = '';
    for (;;) {
      ws();
      let value: unknown;
      if (text[i] === '{') {
        i++;
        ws();
        if (text[i] === '}') {
          i++;
          value = {};
        } else {
          const frame = { kind: 'object' as const, value: {}, path, key: '' };
          stack.push(frame);
          path = readKey(frame);
          continue;
        }
      } else if (text[i] === '[') {
        i++;
        ws();
        if (text[i] === ']') {
          i++;
          value = [];
        } else {
          const frame = { kind: 'array' as const, value: [] as unknown[], path };
          stack.push(frame);
          path = nextItem(frame);
          continue;
        }
      } else value = parseScalar();
      // Hand the value to its container; close every container that ends here.
      for (;;) {
        const top = stack.at(-1);
        if (!top) return value;
        if (top.kind === 'object') setOwn(top.value, top.key, value);
        else top.value.push(value);
        ws();
        if (text[i] === ',') {
          i++;
          path = top.kind === 'object' ? readKey(top) : nextItem(top);
          break;
        }
        const close = top.kind === 'object' ? '}' : ']';
        if (text[i] !== close) fail(`expected ',' or '${close}' but found ${describe(i)}`);
        i++;
        stack.pop();
        value = top.value;
      }
    }
  };

  try {
    const value = parseValue();
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
    return { ok: true, value, positions };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const [line, column] = toPos(Math.min(e.offset, text.length));
    return { ok: false, problem: { line, column, message: e.message } };
  }
}
