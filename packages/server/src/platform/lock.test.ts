import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/harness.ts';

const lockModule = path.resolve(import.meta.dirname, 'lock.ts');

/** The pid of a process that has exited, as a crashed `tide serve` leaves in its lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  if (!child.pid) throw new Error('no pid');
  return child.pid;
}

/**
 * One opener in its own process: waits for the common start, takes the lock or is refused,
 * and holds a won lock long enough for every other opener to have tried.
 */
const opener = `
import { lockDirectory, DataDirLockedError } from ${JSON.stringify(lockModule)};
const startAt = Number(process.env.START_AT);
while (Date.now() < startAt) {}
try {
  const lock = lockDirectory(process.env.DIR);
  console.log('won ' + process.pid);
  setTimeout(() => { lock.release(); }, Number(process.env.HOLD_MS));
} catch (err) {
  if (!(err instanceof DataDirLockedError)) throw err;
  console.log('refused ' + err.holderPid + ' ' + err.message);
}
`;

/**
 * An opener that, for a few seconds, takes the lock, checks that nobody else is inside,
 * and leaves it as a crashed process would (naming a dead pid), so the openers keep racing
 * to take stale locks over. Two holders at once show up as a marker that already exists.
 */
const crasher = `
import fs from 'node:fs';
import path from 'node:path';
import { lockDirectory, DataDirLockedError } from ${JSON.stringify(lockModule)};
const dir = process.env.DIR;
const file = path.join(dir, 'tide.lock');
const marker = path.join(dir, 'inside');
const startAt = Number(process.env.START_AT);
while (Date.now() < startAt) {}
let wins = 0, overlaps = 0, refusals = 0;
while (Date.now() < startAt + Number(process.env.HOLD_MS)) {
  try {
    lockDirectory(dir);
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
    refusals++;
    continue;
  }
  wins++;
  let mine = true;
  try { fs.writeFileSync(marker, String(process.pid), { flag: 'wx' }); } catch { overlaps++; mine = false; }
  const until = performance.now() + 1;
  while (performance.now() < until) {}
  if (mine) fs.rmSync(marker);
  const dead = path.join(dir, 'dead-' + process.pid);
  fs.writeFileSync(dead, process.env.DEAD_PID);
  fs.renameSync(dead, file);
}
console.log(JSON.stringify({ wins, overlaps, refusals }));
`;

function run(
  dir: string,
  startAt: number,
  script = opener,
  env: Record<string, string> = { HOLD_MS: '3000' },
): Promise<{ pid: number; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, DIR: dir, START_AT: String(startAt), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve({ pid: child.pid ?? 0, out: out.trim() });
      else reject(new Error(out));
    });
  });
}

describe('the data directory lock', () => {
  it('lets exactly one of several processes racing for a stale lock take it over', async () => {
    const openers = 6;
    for (let round = 0; round < 2; round++) {
      const dir = tempDir('lock-race');
      const stale = await deadPid();
      fs.writeFileSync(path.join(dir, 'tide.lock'), String(stale));
      // Past every opener's start-up, so they try within the same few milliseconds.
      const startAt = Date.now() + 4000;
      const results = await Promise.all(Array.from({ length: openers }, () => run(dir, startAt)));
      const pids = results.map((r) => r.pid);
      const won = results.filter((r) => r.out.startsWith('won '));
      const refused = results.filter((r) => r.out.startsWith('refused '));
      expect(won).toHaveLength(1);
      expect(refused).toHaveLength(openers - 1);
      for (const r of refused) {
        const [, holder] = r.out.split(' ');
        // The refusal names a live opener, never the dead one, and says what to do.
        expect(pids).toContain(Number(holder));
        expect(Number(holder)).not.toBe(stale);
        expect(r.out).toMatch(/is in use by another Tide process \(pid \d+\)/);
      }
      // The winner released its lock; no takeover guard or private file is left behind.
      expect(fs.readdirSync(dir)).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('never has two holders while processes keep taking stale locks over from each other', async () => {
    const dir = tempDir('lock-churn');
    const stale = await deadPid();
    fs.writeFileSync(path.join(dir, 'tide.lock'), String(stale));
    const startAt = Date.now() + 4000;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(dir, startAt, crasher, { HOLD_MS: '3000', DEAD_PID: String(stale) }),
      ),
    );
    const totals = results
      .map((r) => JSON.parse(r.out) as { wins: number; overlaps: number; refusals: number })
      .reduce((a, b) => ({
        wins: a.wins + b.wins,
        overlaps: a.overlaps + b.overlaps,
        refusals: a.refusals + b.refusals,
      }));
    console.info(
      `lock churn: ${totals.wins} takeovers, ${totals.refusals} refusals, ${totals.overlaps} overlaps`,
    );
    // Many takeovers happened, and never two holders at once.
    expect(totals.wins).toBeGreaterThan(50);
    expect(totals.overlaps).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
