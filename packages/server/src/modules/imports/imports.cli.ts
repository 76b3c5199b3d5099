import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { ImportJob, ImportType } from '@tide/contract';
import type { Actor } from '../../platform/context.ts';
import type { Database } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { getImport, runImport, uploadImport } from './imports.service.ts';

export interface ImportCommand {
  file: string | undefined;
  type: ImportType;
  onDuplicate: 'skip' | 'update' | 'link';
  resume?: string;
  /** With `resume`: take the import over from a process known to be gone. */
  force?: boolean;
}

const summary = (job: ImportJob) =>
  Object.entries(job.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${String(n)} ${k}`)
    .join(', ');

/**
 * `tide import FILE` runs the import in this process: the file is stored with
 * the import first, so `--resume ID` after a crash continues from the last
 * committed chunk. A progress bar on a terminal, plain lines otherwise.
 */
export async function runImportCommand(
  db: Database,
  actor: Actor,
  cmd: ImportCommand,
  out: (line: string) => void,
): Promise<void> {
  let id = cmd.resume;
  if (!id) {
    if (!cmd.file) throw new AppError('VALIDATION_FAILED', 'Name the file to import');
    if (!fs.existsSync(cmd.file)) throw new AppError('NOT_FOUND', `No file "${cmd.file}"`);
    const job = await uploadImport(
      db,
      actor,
      { type: cmd.type, fileName: path.basename(cmd.file) },
      fs.createReadStream(cmd.file),
    );
    const unmapped = Object.entries(job.mapping)
      .filter(([, h]) => !h)
      .map(([f]) => f);
    out(
      `Import ${job.id}: ${job.fileName}, ${job.format} (${job.encoding}), columns ${job.headers.join(', ')}`,
    );
    if (unmapped.length) out(`Not in the file: ${unmapped.join(', ')}`);
    await db.pool.query(
      `UPDATE import_jobs SET on_duplicate = $2, status = 'queued' WHERE id = $1`,
      [job.id, cmd.onDuplicate],
    );
    id = job.id;
  } else {
    const job = await getImport(db, actor.tenantId, id);
    if (job.status === 'done') {
      out(`Import ${id} is already done: ${summary(job)}`);
      return;
    }
    out(`Resuming import ${id} after row ${String(job.rowsDone)}`);
  }
  const tty = process.stdout.isTTY;
  const bar = new cliProgress.SingleBar(
    {
      format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
      noTTYOutput: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  if (tty) bar.start(100, 0, { rows: 0, rate: 0 });
  const done = await runImport(
    db,
    id,
    (job) => {
      if (tty)
        bar.update(Math.round(job.progress * 100), {
          rows: job.rowsDone,
          rate: job.rowsPerSecond ?? 0,
        });
      else
        out(
          `progress ${String(Math.round(job.progress * 100))}% rows ${String(job.rowsDone)} rate ${String(job.rowsPerSecond ?? 0)}/s`,
        );
    },
    { takeOver: cmd.force === true },
  );
  if (tty) bar.stop();
  out(`Import ${done.id} done: ${String(done.rowsTotal ?? done.rowsDone)} rows, ${summary(done)}`);
}
