import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Tide process (pid ${holderPid}). ` +
        'Only one process may open it at a time: stop that process first (for example the running ' +
        '`tide serve`), or use the running server through its HTTP API, or point DATABASE_URL at a ' +
        'PostgreSQL server to share one database between several processes.',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DirLock {
  readonly file: string;
  release(): void;
}

/** Who holds a lock file: the pid it names and the file's inode, which names this very lock. */
function holderOf(file: string): { pid: number; ino: number } | undefined {
  try {
    const ino = fs.statSync(file).ino;
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : 0, ino };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function releaseFile(file: string, ino: number): void {
  const held = holderOf(file);
  if (held?.ino === ino && held.pid === process.pid) fs.rmSync(file, { force: true });
}

/**
 * Takes `file` for this process, or throws DataDirLockedError naming the live holder.
 *
 * The lock file appears whole or not at all: our pid is written to a private file first,
 * then hard-linked into place, which fails if a lock exists. A lock left by a dead process
 * is replaced only by the process that holds the takeover guard for that very file (its
 * inode), itself a lock taken the same way; the guard holder checks again that the stale
 * file is still there and renames its own over it in one step. Removing a stale lock and
 * then creating one, as before, let two openers each remove the other's fresh lock.
 */
function acquire(file: string, dir: string, depth: number): number {
  if (depth > 8) throw new Error(`Could not lock ${dir}`);
  const mine = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(mine, String(process.pid), { flag: 'wx' });
  const ino = fs.statSync(mine).ino;
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        fs.linkSync(mine, file);
        return ino;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = holderOf(file);
      if (!held) continue;
      if (held.pid > 0 && isAlive(held.pid)) throw new DataDirLockedError(dir, held.pid);
      // Another process taking this stale lock over holds its guard: this throws, naming it.
      const guard = `${file}.takeover-${held.ino}`;
      const guardIno = acquire(guard, dir, depth + 1);
      try {
        const now = holderOf(file);
        if (now?.ino === held.ino && !(now.pid > 0 && isAlive(now.pid))) {
          fs.renameSync(mine, file);
          return ino;
        }
      } finally {
        releaseFile(guard, guardIno);
      }
    }
    throw new Error(`Could not lock ${dir}`);
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

/**
 * An exclusive lock on a data directory: a lock file holding our pid. Two processes
 * opening one PGlite directory corrupt it silently, so the second opener must be
 * refused. A lock left by a process that died is taken over, by one opener only.
 */
export function lockDirectory(dir: string): DirLock {
  const file = path.join(dir, 'tide.lock');
  const ino = acquire(file, dir, 0);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      releaseFile(file, ino);
    },
  };
}
