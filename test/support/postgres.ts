/**
 * A throwaway PostgreSQL cluster for tests: Debian's `postgresql` binaries,
 * initdb into a temp dir, listening only on 127.0.0.1 (a free port) with
 * password authentication, stopped and deleted by `stop()`. Running as root,
 * the server runs as the `postgres` user (postgres refuses to run as root).
 *
 *   const pg = await startPostgres();   // { url, password, port, stop }
 *   ... new pg.Client({ connectionString: pg.url }) ...
 *   await pg.stop();
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  password: string;
  port: number;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0]!, 'bin') : null;
}

/** True when the tests can start a cluster here. */
export function postgresAvailable(): boolean {
  return postgresBinDir() !== null;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql): /usr/lib/postgresql/*/bin/initdb not found');
  const asRoot = process.getuid?.() === 0;
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'lab-pg-'));
  const data = path.join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  await fs.writeFile(path.join(dir, 'pw'), `${password}\n`);
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
  const exec = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '-E', 'UTF8', '--locale=C']);
    const port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await exec('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
    let stopped = false;
    return {
      url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      password,
      port,
      async stop() {
        if (stopped) return;
        stopped = true;
        await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    const log = await fs.readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');
    await fs.rm(dir, { recursive: true, force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`could not start PostgreSQL: ${err.stderr?.trim() || err.message}${log ? `\n${log.slice(-2000)}` : ''}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
