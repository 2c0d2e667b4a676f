/** Errors as the API reports them: a status and a JSON body `{ error, field?, reason? }`. */
import { LabError } from '../core/diagnostics.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  /** One line saying what is wrong, for people. */
  error: string;
  /** The request field at fault (400), e.g. `title` or `input_overrides.seed`. */
  field?: string;
  /** Why an entry may not run or a file may not be written now (409): the CLI's own words. */
  reason?: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  constructor(status: number, message: string, extra: Omit<ErrorBody, 'error'> = {}) {
    super(message);
    this.status = status;
    this.body = { error: message, ...extra };
  }
}

export const notFound = (what: string, id: string) => new HttpError(404, `no ${what} '${id}'`);

/** A field's problem (400). */
export const badField = (field: string, message: string) => new HttpError(400, `\`${field}\`: ${message}`, { field });

/**
 * A LabError from the SDK is the user's journal saying no (a file that does not compile, an entry
 * type that takes no attachments): 409 with the SDK's message. Anything else is a bug: 500.
 */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof LabError) return new HttpError(409, e.message, { reason: e.message });
  return new HttpError(500, `internal error: ${(e as Error)?.message ?? String(e)}`);
}
