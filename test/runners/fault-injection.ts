/**
 * Storage faults made for real: a read-only folder and a tiny (full) file
 * system. As root a tmpfs or a read-only bind mount is used (chmod does not
 * stop root); otherwise chmod, and a tmpfs through `sudo -n` (GitHub's runners
 * have it). When neither is possible the test fails under CI (never a silent
 * skip) and is skipped with a warning elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';

const isRoot = process.getuid?.() === 0;

/** Runs a privileged command: directly as root, else through passwordless sudo. */
function privileged(cmd: string, args: string[]): boolean {
  try {
    if (isRoot) execFileSync(cmd, args, { stdio: 'pipe' });
    else execFileSync('sudo', ['-n', cmd, ...args], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function mount(args: string[]): boolean {
  return privileged('mount', args);
}

function umount(dir: string): void {
  privileged('umount', ['-l', dir]); // false when already gone
}

/** A way to make faults on this machine, or why there is none. */
const faultSupport: { readOnly: boolean; tinyFs: boolean; why: string } = (() => {
  const probe = `/tmp/lab-fault-probe-${process.pid}`;
  execFileSync('mkdir', ['-p', probe]);
  const ok = mount(['-t', 'tmpfs', '-o', 'size=64k,mode=1777', 'tmpfs', probe]);
  if (ok) umount(probe);
  if (!isRoot) return { readOnly: true, tinyFs: ok, why: ok ? '' : 'not root and no passwordless sudo: a tiny file system needs mount' };
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
  if (!mount(['-t', 'tmpfs', '-o', `size=${bytes},mode=1777`, 'tmpfs', dir])) throw new Error(`cannot mount a tmpfs on ${dir}`);
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
