/**
 * Disk faults said plainly: which file, and why (disk full, read-only,
 * permission), instead of an `internal error` with a bare errno.
 */
import path from 'node:path';
import { LabError } from '../diagnostics.ts';

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'is a folder',
  EMFILE: 'too many open files',
  EFBIG: 'file too large',
};

/** A file could not be written or read: the path (relative to `root` when inside it) and the cause. */
class StorageError extends LabError {
  code: string | undefined;
  constructor(message: string, code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'StorageError';
    this.code = code;
  }
}

/** Wraps a file-system error as a StorageError naming `file`; other errors pass through. */
export function storageError(e: unknown, file: string, root?: string, verb = 'cannot write'): Error {
  if (e instanceof StorageError) return e;
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return e as Error;
  const shown = root && !path.relative(root, file).startsWith('..') ? path.relative(root, file).split(path.sep).join('/') : file;
  return new StorageError(`${verb} ${shown}: ${CAUSES[err.code] ?? err.message} (${err.code})`, err.code, e);
}
