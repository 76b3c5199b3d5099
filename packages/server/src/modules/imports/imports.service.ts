import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { stringify } from 'csv-stringify';
import type {
  CreateImportQuery,
  ImportDuplicateHandling,
  ImportJob,
  ImportMapping,
  ImportPreview,
  ImportRowOutcome,
  ImportTemplate,
  ImportType,
  CreateImportTemplateBody,
  UpdateImportBody,
} from '@tide/contract';
import { importNotePrefix, importNoteTypes, importRowOutcomes } from '@tide/contract';
import type { Actor, Caller } from '../../platform/context.ts';
import { inClientTransaction, rowsOf, type Database } from '../../platform/db.ts';
import { AppError, invalid, notFound } from '../../platform/errors.ts';
import type { Jobs } from '../../platform/jobs.ts';
import { autoAssign } from '../pool/intake.ts';
import { defaultPoolId } from '../pool/ownership.ts';
import { notesOfImported, type ChunkContext, type ChunkRow, type RowOutcome } from './chunk.ts';
import { importContactChunk, prepareContactRow } from './contacts.import.ts';
import { importCustomerChunk, prepareCustomerRow } from './customers.import.ts';
import { importerScope, importsVisibleTo, requireImport } from './imports.access.ts';
import { importLeadChunk, prepareLeadRow } from './leads.import.ts';
import {
  checkMapping,
  encodingOf,
  formatOf,
  headerOf,
  readFile,
  suggestMapping,
  valuesOf,
  type FileEncoding,
  type FileFormat,
} from './reader.ts';

export const IMPORT_QUEUE = 'import';

/** The table each import type writes to. */
const analyzed: Record<ImportType, string> = {
  leads: 'leads',
  customers: 'customers',
  contacts: 'contacts',
};

const entities = { leads: 'lead', customers: 'customer' } as const;

/** Headers that are remarks by name: a suggested mapping sends them into the note. */
const noteHeaders = /^(备注|备注信息|说明|附注|其他|其它|remarks?|notes?|comments?|memo)$/iu;

/** The suggested mapping plus the remark columns no field took, as note columns. */
function withNotes(
  type: ImportType,
  mapping: ImportMapping,
  headers: readonly string[],
): ImportMapping {
  if (!importNoteTypes.includes(type)) return mapping;
  const taken = new Set(Object.values(mapping));
  const notes = headers.filter(
    (h) => !taken.has(h) && noteHeaders.test(h.normalize('NFKC').trim()),
  );
  return { ...mapping, ...Object.fromEntries(notes.map((h) => [importNotePrefix + h, h])) };
}

/**
 * The reader's check of the fields, and of the note columns apart: each names a header
 * of the file, under its own name, in an import whose records have a timeline.
 */
function checkFullMapping(
  type: ImportType,
  mapping: ImportMapping,
  headers: readonly string[],
): void {
  const fields: ImportMapping = {};
  for (const [key, header] of Object.entries(mapping)) {
    if (!key.startsWith(importNotePrefix)) {
      fields[key] = header;
      continue;
    }
    const path = `mapping.${key}`;
    if (!importNoteTypes.includes(type))
      throw invalid(`A ${type} import has no follow-up note`, { path });
    if (
      header !== null &&
      (header !== key.slice(importNotePrefix.length) || !headers.includes(header))
    )
      throw invalid(`The file has no column "${header}" for the note`, { path });
  }
  checkMapping(type, fields, headers);
}

/** How each record type cleans a row (for the preview) and writes a chunk. */
const processors: Record<
  ImportType,
  {
    prepare(row: ChunkRow): object;
    importChunk(
      client: pg.ClientBase,
      ctx: ChunkContext,
      rows: readonly ChunkRow[],
    ): Promise<RowOutcome[]>;
  }
> = {
  leads: { prepare: prepareLeadRow, importChunk: importLeadChunk },
  customers: { prepare: prepareCustomerRow, importChunk: importCustomerChunk },
  contacts: { prepare: prepareContactRow, importChunk: importContactChunk },
};
/** Rows committed per transaction, with their outcomes and the checkpoint. */
export const IMPORT_CHUNK_ROWS = 2000;
/** The fewest rows of a chunk sized by time (`chunkMs`): below it, overheads dominate. */
const MIN_CHUNK_ROWS = 100;
/**
 * A running import moves its heartbeat at every checkpoint (a chunk takes seconds); after
 * this long without one its process is taken for dead and the import may be resumed.
 * Set from `TIDE_IMPORT_STALE_SECONDS` when the routes or the CLI start.
 */
let staleSeconds = 120;
export function setImportStaleSeconds(seconds: number): void {
  staleSeconds = seconds;
}
/** SQL: the import is not being run by a live process. */
const notLive = () => `(status <> 'running' OR heartbeat_at IS NULL
                  OR heartbeat_at < now() - make_interval(secs => ${String(staleSeconds)}))`;
const FILE_CHUNK_BYTES = 1024 * 1024;

interface JobRow {
  id: string;
  tenant_id: string;
  type: ImportType;
  status: ImportJob['status'];
  file_name: string;
  format: FileFormat;
  encoding: FileEncoding;
  bytes: string;
  headers: string[];
  mapping: ImportMapping;
  on_duplicate: ImportDuplicateHandling;
  rows_done: number;
  bytes_done: string;
  rows_total: number | null;
  counts: Partial<Record<ImportRowOutcome, number>>;
  error: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  resumed_at: Date | null;
  rows_at_resume: number;
  finished_at: Date | null;
  heartbeat_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toJob(r: JobRow): ImportJob {
  const bytes = Number(r.bytes);
  const bytesDone = Number(r.bytes_done);
  const progress = r.status === 'done' ? 1 : bytes > 0 ? Math.min(1, bytesDone / bytes) : 0;
  // Speed of the current run (since the start or the last resume).
  const since = r.resumed_at ?? r.started_at;
  const end = r.finished_at ?? (r.status === 'running' ? new Date() : null);
  const seconds = since && end ? (new Date(end).getTime() - new Date(since).getTime()) / 1000 : 0;
  const rowsRun = r.rows_done - r.rows_at_resume;
  const rowsPerSecond = seconds > 0 && rowsRun > 0 ? Math.round(rowsRun / seconds) : null;
  const secondsLeft =
    r.status === 'running' && progress > 0 && seconds > 0
      ? Math.round((seconds * (1 - progress)) / Math.max(progress - fractionAtResume(r), 1e-6))
      : null;
  const counts = Object.fromEntries(importRowOutcomes.map((o) => [o, r.counts[o] ?? 0]));
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    fileName: r.file_name,
    format: r.format,
    encoding: r.encoding,
    bytes,
    headers: r.headers,
    mapping: r.mapping,
    onDuplicate: r.on_duplicate,
    rowsDone: r.rows_done,
    rowsTotal: r.rows_total,
    progress,
    rowsPerSecond,
    secondsLeft,
    counts: counts as ImportJob['counts'],
    error: r.error,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    heartbeatAt: iso(r.heartbeat_at),
    stalled:
      r.status === 'running' &&
      (!r.heartbeat_at || Date.now() - new Date(r.heartbeat_at).getTime() > staleSeconds * 1000),
  };
}

/** The share of the file done when the current run began (0 unless resumed). */
function fractionAtResume(r: JobRow): number {
  return r.rows_done > 0 && r.rows_at_resume > 0
    ? (Number(r.bytes_done) / Number(r.bytes)) * (r.rows_at_resume / r.rows_done)
    : 0;
}

async function jobRow(database: Database, tenantId: string, id: string): Promise<JobRow> {
  const { rows } = await database.pool.query<JobRow>(
    'SELECT * FROM import_jobs WHERE id = $1 AND tenant_id = $2',
    [id, tenantId],
  );
  const row = rows[0];
  if (!row) throw notFound('Import');
  return row;
}

export async function getImport(
  database: Database,
  tenantId: string,
  id: string,
): Promise<ImportJob> {
  return toJob(await jobRow(database, tenantId, id));
}

/** An import as the caller may see it. */
export async function readImport(
  database: Database,
  caller: Caller,
  id: string,
): Promise<ImportJob> {
  await requireImport(database, caller, id, 'read');
  return getImport(database, caller.tenantId, id);
}

export async function listImports(database: Database, caller: Caller): Promise<ImportJob[]> {
  const rows = rowsOf<JobRow>(
    await database.db.execute(
      sql`SELECT * FROM import_jobs WHERE ${importsVisibleTo(caller)} ORDER BY created_at DESC LIMIT 50`,
    ),
  );
  return rows.map(toJob);
}

/** The stored file, read back chunk by chunk. */
function storedFile(database: Database, id: string): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const { rows } = await database.pool.query<{ data: Buffer }>(
        'SELECT data FROM import_file_chunks WHERE import_id = $1 AND seq = $2',
        [id, seq],
      );
      const chunk = rows[0];
      if (!chunk) return;
      yield chunk.data;
    }
  }
  return Readable.from(chunks());
}

/**
 * Stores an uploaded file (streamed, in 1 MB chunks) with the import that will
 * read it, in one transaction; answers the import with its header and the
 * suggested mapping.
 */
export async function uploadImport(
  database: Database,
  actor: Actor,
  query: CreateImportQuery,
  body: AsyncIterable<Buffer | string>,
): Promise<ImportJob> {
  const client = await database.pool.connect();
  let id = '';
  try {
    await client.query('BEGIN');
    let seq = 0;
    let bytes = 0;
    let head: Buffer | null = null;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const placeholder = await client.query<{ id: string }>(
      `INSERT INTO import_jobs (tenant_id, type, file_name, format, encoding, bytes, headers, mapping, created_by)
       VALUES ($1, $2, $3, 'csv', 'utf-8', 0, '{}', '{}', $4) RETURNING id`,
      [actor.tenantId, query.type, query.fileName, actor.userId],
    );
    id = placeholder.rows[0]?.id ?? '';
    const flush = async () => {
      if (!pendingBytes) return;
      await client.query(
        'INSERT INTO import_file_chunks (import_id, seq, data) VALUES ($1, $2, $3)',
        [id, seq++, Buffer.concat(pending)],
      );
      pending = [];
      pendingBytes = 0;
    };
    for await (const part of body) {
      const buf = typeof part === 'string' ? Buffer.from(part) : part;
      head ??= buf.subarray(0, 65536);
      bytes += buf.length;
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= FILE_CHUNK_BYTES) await flush();
    }
    await flush();
    if (!head || bytes === 0) throw invalid('The file is empty');
    const format = formatOf(head, query.fileName);
    const encoding = format === 'csv' ? encodingOf(head) : 'utf-8';
    await client.query(
      'UPDATE import_jobs SET format = $2, encoding = $3, bytes = $4 WHERE id = $1',
      [id, format, encoding, bytes],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  try {
    const job = await jobRow(database, actor.tenantId, id);
    const headers = await headerOf(storedFile(database, id), job.format, job.encoding);
    if (headers.length === 0 || headers.every((h) => h === ''))
      throw invalid('The first row of the file must name its columns');
    await database.pool.query('UPDATE import_jobs SET headers = $2, mapping = $3 WHERE id = $1', [
      id,
      headers,
      JSON.stringify(withNotes(job.type, suggestMapping(job.type, headers), headers)),
    ]);
  } catch (err) {
    // A file that cannot be read is not kept.
    await database.pool.query('DELETE FROM import_jobs WHERE id = $1', [id]);
    if (err instanceof AppError) throw err;
    throw invalid(`The file cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  return getImport(database, actor.tenantId, id);
}

export async function updateImport(
  database: Database,
  caller: Caller,
  id: string,
  body: UpdateImportBody,
): Promise<ImportJob> {
  await requireImport(database, caller, id, 'write');
  const job = await jobRow(database, caller.tenantId, id);
  if (job.status !== 'uploaded')
    throw new AppError('ILLEGAL_TRANSITION', 'The import has started; its settings are fixed', {
      status: job.status,
    });
  let mapping = body.mapping;
  if (body.templateId) {
    const template = (await listTemplates(database, caller)).find(
      (t) => t.id === body.templateId && t.type === job.type,
    );
    if (!template) throw invalid(`No such template for ${job.type}`, { path: 'templateId' });
    mapping = Object.fromEntries(
      Object.entries(template.mapping).map(([f, h]) => [
        f,
        h && job.headers.includes(h) ? h : null,
      ]),
    );
  }
  if (mapping) checkFullMapping(job.type, mapping, job.headers);
  await database.pool.query(
    `UPDATE import_jobs SET mapping = coalesce($2::jsonb, mapping),
            on_duplicate = coalesce($3, on_duplicate) WHERE id = $1`,
    [id, mapping ? JSON.stringify(mapping) : null, body.onDuplicate ?? null],
  );
  return getImport(database, caller.tenantId, id);
}

/** The first rows as they will be stored, with what is wrong with each. */
export async function previewImport(
  database: Database,
  caller: Caller,
  id: string,
  limit = 20,
): Promise<ImportPreview> {
  await requireImport(database, caller, id, 'read');
  const job = await jobRow(database, caller.tenantId, id);
  const file = storedFile(database, id);
  const rows: ImportPreview['rows'] = [];
  // Only the first rows are read: a workbook's reader stops after them.
  for await (const row of readFile(file, job.format, job.encoding, { rows: limit + 1 })) {
    if (row.no === 0) continue;
    const values = valuesOf(row.cells, job.headers, job.mapping);
    const prepared = processors[job.type].prepare({ no: row.no, values }) as Partial<RowOutcome>;
    rows.push({
      row: row.no,
      values,
      problems: prepared.outcome === 'rejected' && prepared.reason ? [prepared.reason] : [],
    });
    if (rows.length >= limit) {
      file.destroy();
      break;
    }
  }
  return { headers: job.headers, mapping: job.mapping, rows };
}

/** Queues the import (or its resume) as a background job. */
export async function startImport(
  database: Database,
  jobs: Jobs,
  caller: Caller,
  id: string,
  resume: boolean,
): Promise<ImportJob> {
  await requireImport(database, caller, id, 'write');
  const job = await jobRow(database, caller.tenantId, id);
  const allowed = resume ? ['failed', 'running'] : ['uploaded'];
  if (!allowed.includes(job.status))
    throw new AppError(
      'ILLEGAL_TRANSITION',
      resume
        ? 'Only an import that failed or was cut short can be resumed'
        : 'This import has already been started',
      { status: job.status, allowedFrom: allowed },
    );
  checkFullMapping(job.type, job.mapping, job.headers);
  const current = toJob(job);
  if (current.status === 'running' && !current.stalled) throw stillRunning(current);
  await inClientTransaction(database, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE import_jobs SET status = 'queued', error = NULL
        WHERE id = $1 AND status = $2 AND ${notLive()}`,
      [id, job.status],
    );
    if (!rowCount) throw new AppError('CONFLICT', 'The import changed meanwhile; try again');
    await jobs.send(IMPORT_QUEUE, { importId: id, tenantId: caller.tenantId }, { client });
  });
  return getImport(database, caller.tenantId, id);
}

function stillRunning(job: ImportJob): AppError {
  const seconds = job.heartbeatAt
    ? Math.max(0, Math.round((Date.now() - Date.parse(job.heartbeatAt)) / 1000))
    : 0;
  return new AppError(
    'CONFLICT',
    `The import is still running (last progress ${String(seconds)} s ago); ` +
      `it can be resumed once it has made no progress for ${String(staleSeconds)} s`,
    { status: job.status, heartbeatAt: job.heartbeatAt, staleAfterSeconds: staleSeconds },
  );
}

/**
 * Imports of one tenant running at once; the others wait in the queue. An import holds the
 * database's one session (embedded) or a connection and a core for minutes, so one tenant's
 * batch of files must not starve the others.
 */
export const IMPORTS_PER_TENANT = 2;

const noProgress = (): void => undefined;

export interface RunImportOptions {
  /**
   * Take the import over even though another process seems to be running it (the CLI's
   * `--force`, for an import whose process is known to be gone). The checkpoint guard
   * still keeps two runs from writing the same rows.
   */
  takeOver?: boolean;
  /**
   * Start only if fewer than this many other imports of the tenant are running; else the
   * import is answered still `queued`, untouched, for the caller to try again later.
   */
  maxRunning?: number;
  /**
   * Size chunks so each transaction takes about this long, up to IMPORT_CHUNK_ROWS rows. On the
   * embedded database every request waits for the chunk being written (one session), so the
   * server keeps them short there; alone (the CLI) a run writes full chunks.
   */
  chunkMs?: number;
}

/**
 * Runs an import from its checkpoint: rows already committed are read past,
 * the rest are cleaned and written chunk by chunk, each chunk with its row
 * outcomes and the new checkpoint in one transaction. `onProgress` is told
 * after every chunk. An import another live process is running is refused.
 */
export async function runImport(
  database: Database,
  id: string,
  onProgress: (job: ImportJob) => void = noProgress,
  options: RunImportOptions = {},
): Promise<ImportJob> {
  const job = await inClientTransaction(database, async (client) => {
    // Runs of one tenant take its slots one at a time, whatever the number of instances: the
    // lock is held to the commit, and the count below is read after it is taken.
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtext('tide.import-slots'), hashtext(tenant_id::text))
         FROM import_jobs WHERE id = $1`,
      [id],
    );
    const { rows } = await client.query<JobRow>(
      `UPDATE import_jobs j SET status = 'running', error = NULL, heartbeat_at = now(),
              started_at = coalesce(started_at, now()),
              resumed_at = CASE WHEN started_at IS NULL THEN NULL ELSE now() END,
              rows_at_resume = rows_done
        WHERE id = $1 AND status IN ('queued', 'running', 'failed')
          AND ($2 OR ${notLive()})
          AND ($3::int IS NULL OR $3 > (
                SELECT count(*) FROM import_jobs o
                 WHERE o.tenant_id = j.tenant_id AND o.id <> j.id AND o.status = 'running'
                   AND o.heartbeat_at >= now() - make_interval(secs => ${String(staleSeconds)})))
        RETURNING *`,
      [id, options.takeOver === true, options.maxRunning ?? null],
    );
    return rows[0];
  });
  if (!job) {
    const { rows: found } = await database.pool.query<JobRow>(
      `SELECT * FROM import_jobs WHERE id = $1`,
      [id],
    );
    if (!found[0]) throw notFound('Import');
    const current = toJob(found[0]);
    if (current.status === 'running') throw stillRunning(current);
    return current; // done already (a retried job after a resume finished it)
  }
  const poolId = await defaultPoolId(database.db, job.tenant_id);
  const ctx: ChunkContext = {
    scope: null, // the uploader's, read below where a failure fails the import
    tenantId: job.tenant_id,
    importId: id,
    actorId: job.created_by,
    poolId,
    onDuplicate: job.on_duplicate,
    fileName: job.file_name,
  };
  let chunkRows = IMPORT_CHUNK_ROWS;
  const commit = async (chunk: ChunkRow[], bytesDone: number) => {
    const began = performance.now();
    const created = await inClientTransaction(database, async (client) => {
      const outcomes = await processors[job.type].importChunk(client, ctx, chunk);
      if (job.type !== 'contacts')
        await notesOfImported(client, ctx, entities[job.type], chunk, outcomes);
      const counts: Partial<Record<ImportRowOutcome, number>> = {};
      for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
      await client.query(
        `INSERT INTO import_rows (import_id, row_no, outcome, reason, record_id)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::uuid[])`,
        [
          id,
          outcomes.map((o) => o.no),
          outcomes.map((o) => o.outcome),
          outcomes.map((o) => o.reason),
          outcomes.map((o) => o.recordId),
        ],
      );
      // The checkpoint: only if no other run moved it meanwhile.
      const moved = await client.query(
        `UPDATE import_jobs SET rows_done = rows_done + $2, bytes_done = $3, heartbeat_at = now(),
                counts = (SELECT jsonb_object_agg(k, coalesce((counts ->> k)::int, 0)
                                                      + coalesce((($4::jsonb) ->> k)::int, 0))
                            FROM unnest($5::text[]) AS k)
          WHERE id = $1 AND rows_done = $6 AND status = 'running'`,
        [
          id,
          chunk.length,
          bytesDone,
          JSON.stringify(counts),
          [...importRowOutcomes],
          chunk[0] ? chunk[0].no - 1 : 0,
        ],
      );
      if (!moved.rowCount) throw new AppError('CONFLICT', 'Another run of this import moved on');
      return job.type === 'leads'
        ? outcomes.flatMap((o) => (o.outcome === 'created' && o.recordId ? [o.recordId] : []))
        : [];
    });
    const { chunkMs } = options;
    if (chunkMs) {
      const ms = Math.max(1, performance.now() - began);
      chunkRows = Math.max(
        MIN_CHUNK_ROWS,
        Math.min(IMPORT_CHUNK_ROWS, Math.round((chunk.length * chunkMs) / ms)),
      );
      // A request asks several queries one after another (its caller, its scope, its page):
      // the import steps aside until the requests waiting for the session have had it, then
      // a moment more for their next queries, so that one request waits for one chunk at most.
      do await new Promise((resolve) => setTimeout(resolve, chunkMs / 5));
      while (database.pool.waitingCount > 0);
    }
    // New leads in the pool are shared out by its assignment rules, if any apply.
    await autoAssign(database.db, job.tenant_id, created);
    // Statistics of the tables the import grows, refreshed after chunks 1, 2, 4, 8…: the
    // lookups of later chunks otherwise plan for tables as small as they were at the start.
    chunks++;
    if ((chunks & (chunks - 1)) === 0)
      await database.pool.query(`ANALYZE ${analyzed[job.type]}, import_rows`);
    if (onProgress !== noProgress) onProgress(await getImport(database, job.tenant_id, id));
  };
  let chunks = 0;
  try {
    ctx.scope = await importerScope(database, job.tenant_id, job.created_by);
    let chunk: ChunkRow[] = [];
    let lastNo = 0;
    for await (const row of readFile(storedFile(database, id), job.format, job.encoding)) {
      if (row.no === 0) continue;
      lastNo = row.no;
      if (row.no <= job.rows_done) continue; // committed before
      chunk.push({ no: row.no, values: valuesOf(row.cells, job.headers, job.mapping) });
      if (chunk.length >= chunkRows) {
        await commit(chunk, row.bytes);
        chunk = [];
      }
    }
    if (chunk.length) await commit(chunk, Number(job.bytes));
    await database.pool.query(
      `UPDATE import_jobs SET status = 'done', rows_total = $2, bytes_done = bytes, finished_at = now()
        WHERE id = $1`,
      [id, lastNo],
    );
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'CONFLICT'))
      // A conflict means another run moved the checkpoint on: that run owns the import now.
      await database.pool.query(
        `UPDATE import_jobs SET status = 'failed', error = $2 WHERE id = $1`,
        [id, err instanceof Error ? err.message : String(err)],
      );
    throw err;
  }
  const done = await getImport(database, job.tenant_id, id);
  onProgress(done);
  return done;
}

/** The per-row report as CSV (UTF-8 with BOM so Excel opens it), streamed in pages. */
export async function importReport(
  database: Database,
  caller: Caller,
  id: string,
): Promise<{ job: ImportJob; csv: Readable }> {
  const job = await readImport(database, caller, id);
  const csv = stringify({
    bom: true,
    header: true,
    columns: ['row', 'outcome', 'reason', 'recordId'],
  });
  void (async () => {
    try {
      let after = 0;
      for (;;) {
        const { rows } = await database.pool.query<{
          row_no: number;
          outcome: string;
          reason: string | null;
          record_id: string | null;
        }>(
          `SELECT row_no, outcome, reason, record_id FROM import_rows
            WHERE import_id = $1 AND row_no > $2 ORDER BY row_no LIMIT 5000`,
          [id, after],
        );
        if (!rows.length) break;
        for (const r of rows)
          if (!csv.write([r.row_no, r.outcome, r.reason ?? '', r.record_id ?? '']))
            await new Promise((resolve) => csv.once('drain', resolve));
        after = rows[rows.length - 1]?.row_no ?? after;
      }
      csv.end();
    } catch (err) {
      csv.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  return { job, csv };
}

interface TemplateRow {
  id: string;
  type: ImportType;
  name: string;
  mapping: ImportMapping;
  created_at: Date;
}

const toTemplate = (r: TemplateRow): ImportTemplate => ({
  id: r.id,
  type: r.type,
  name: r.name,
  mapping: r.mapping,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function listTemplates(database: Database, caller: Caller): Promise<ImportTemplate[]> {
  const { rows } = await database.pool.query<TemplateRow>(
    'SELECT * FROM import_templates WHERE tenant_id = $1 ORDER BY name',
    [caller.tenantId],
  );
  return rows.map(toTemplate);
}

export async function createTemplate(
  database: Database,
  caller: Caller,
  body: CreateImportTemplateBody,
): Promise<ImportTemplate> {
  // ON CONFLICT rather than catching the violation: the name taken is an answer, not an error.
  const { rows } = await database.pool.query<TemplateRow>(
    `INSERT INTO import_templates (tenant_id, type, name, mapping, created_by)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, type, name) DO NOTHING RETURNING *`,
    [caller.tenantId, body.type, body.name, JSON.stringify(body.mapping), caller.userId],
  );
  const row = rows[0];
  if (!row)
    throw new AppError('CONFLICT', `A template named "${body.name}" exists`, { path: 'name' });
  return toTemplate(row);
}

export async function deleteTemplate(
  database: Database,
  caller: Caller,
  id: string,
): Promise<void> {
  const { rowCount } = await database.pool.query(
    'DELETE FROM import_templates WHERE id = $1 AND tenant_id = $2',
    [id, caller.tenantId],
  );
  if (!rowCount) throw notFound('Template');
}
