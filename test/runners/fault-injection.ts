/**
 * Storage faults made for real: a read-only folder and a tiny (full) file
 * system. As root a tmpfs or a read-only bind mount is used (chmod does not
 * stop root); otherwise chmod. When neither is possible the test fails under
 * CI (never a silent skip) and is skipped with a warning elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';

const isRoot = process.getuid?.() === 0;

function mount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function umount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    // already gone
  }
}

/** A way to make faults on this machine, or why there is none. */
export const faultSupport: { readOnly: boolean; tinyFs: boolean; why: string } = (() => {
  if (!isRoot) return { readOnly: true, tinyFs: false, why: 'not root: read-only folders by chmod; a tiny file system needs root (mount)' };
  const probe = `/tmp/lab-fault-probe-${process.pid}`;
  execFileSync('mkdir', ['-p', probe]);
  const ok = mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  if (ok) umount(probe);
  return { readOnly: ok, tinyFs: ok, why: ok ? '' : 'root without mount permission (CAP_SYS_ADMIN): chmod cannot stop root' };
})();

/** Fails under CI when a fault cannot be made here; returns false (skip) elsewhere, with a warning. */
export function requireFault(kind: 'readOnly' | 'tinyFs'): boolean {
  if (faultSupport[kind]) return true;
  const message = `cannot make a ${kind === 'tinyFs' ? 'tiny file system' : 'read-only folder'} here: ${faultSupport.why}`;
  if (process.env.CI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}

/** Makes `dir` read-only; returns the undo. */
export async function makeReadOnly(dir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dir, { recursive: true });
  if (isRoot) {
    if (!mount(['--bind', dir, dir]) || !mount(['-o', 'remount,bind,ro', dir])) throw new Error(`cannot bind-mount ${dir} read-only`);
    return async () => umount(dir);
  }
  const mode = (await fs.stat(dir)).mode & 0o7777;
  await fs.chmod(dir, 0o555);
  return async () => fs.chmod(dir, mode);
}

/** Mounts a tmpfs of `bytes` on `dir` (a full disk once it is filled); returns the undo. */
export async function makeTinyFilesystem(dir: string, bytes: number): Promise<() => Promise<void>> {
  await fs.mkdir(dir, { recursive: true });
  if (!mount(['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir])) throw new Error(`cannot mount a tmpfs on ${dir}`);
  return async () => umount(dir);
}

/** Every temp file (`*.tmp`) left under `dir`. */
export async function tempFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(`${d}/${e.name}`);
      else if (e.name.endsWith('.tmp')) out.push(`${d}/${e.name}`);
    }
  };
  await walk(dir);
  return out;
}
