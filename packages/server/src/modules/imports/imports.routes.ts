import { z } from 'zod';
import {
  createImportQuery,
  createImportTemplateBody,
  importTemplate,
  okResponse,
  idParams,
  importJob,
  importPreview,
  updateImportBody,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { AppError } from '../../platform/errors.ts';
import { callerOf, type App } from '../../platform/http.ts';
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  IMPORT_QUEUE,
  IMPORTS_PER_TENANT,
  importReport,
  listImports,
  previewImport,
  readImport,
  runImport,
  setImportStaleSeconds,
  startImport,
  updateImport,
  uploadImport,
} from './imports.service.ts';

/** Uploads are streamed into the database; this is the largest file accepted. */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
/**
 * On the embedded database a request waits for the import's chunk being written: chunks are
 * sized to take about this long, so a page of the list answers in well under half a second.
 */
const EMBEDDED_CHUNK_MS = 150;
/** How long an import waiting for one of its tenant's slots waits before asking again. */
const IMPORT_WAIT_SECONDS = 3;
const fileTypes = [
  'text/csv',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

export function importsRoutes(app: App, { config, db, jobs }: Deps): void {
  setImportStaleSeconds(config.importStaleSeconds);
  jobs.define<{ importId: string; tenantId: string }>(
    IMPORT_QUEUE,
    async (data) => {
      try {
        const job = await runImport(db, data.importId, undefined, {
          maxRunning: IMPORTS_PER_TENANT,
          ...(db.engine === 'pglite' ? { chunkMs: EMBEDDED_CHUNK_MS } : {}),
        });
        // The tenant's slots are taken: the import waits in the queue and asks again soon.
        if (job.status === 'queued')
          await jobs.send(IMPORT_QUEUE, data, { startAfterSeconds: IMPORT_WAIT_SECONDS });
      } catch (err) {
        // Another live run has the import (a resume, or this job's retry after its worker
        // died): that run finishes it, so this job has nothing left to do.
        if (err instanceof AppError && err.code === 'CONFLICT') return;
        throw err;
      }
    },
    // Two at once per process: one tenant can use both of its slots, and two workbooks'
    // readers are as much memory as a process gives to imports.
    { retryLimit: 3, expireInMinutes: 120, concurrency: IMPORTS_PER_TENANT },
  );
  const tags = ['imports'];

  void app.register((scoped: App, _opts, done) => {
    // The file arrives as the raw body and is streamed, never buffered whole.
    scoped.addContentTypeParser(fileTypes, (_req, payload, parsed) => {
      parsed(null, payload);
    });
    scoped.post('/imports', {
      config: { auth: 'lead.assign' },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags,
        summary:
          'Upload a CSV (UTF-8 or GBK) or .xlsx file of leads as the raw body; answers its columns and a suggested mapping',
        querystring: createImportQuery,
        response: { 201: importJob },
      },
      handler: async (req, reply) => {
        const body = req.body as AsyncIterable<Buffer> | undefined;
        if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body))
          throw Object.assign(new Error('Send the file as the body (text/csv or .xlsx)'), {
            statusCode: 415,
          });
        return reply.code(201).send(await uploadImport(db, callerOf(req), req.query, body));
      },
    });
    done();
  });
  app.get('/imports', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Recent imports, newest first',
      response: { 200: z.object({ items: z.array(importJob) }) },
    },
    handler: async (req) => ({ items: await listImports(db, callerOf(req)) }),
  });
  app.get('/import-templates', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Saved column mappings',
      response: { 200: z.object({ items: z.array(importTemplate) }) },
    },
    handler: async (req) => ({ items: await listTemplates(db, callerOf(req)) }),
  });
  app.post('/import-templates', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Save a column mapping under a name',
      body: createImportTemplateBody,
      response: { 201: importTemplate },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createTemplate(db, callerOf(req), req.body)),
  });
  app.delete('/import-templates/:id', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Delete a saved mapping',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteTemplate(db, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
  app.get('/imports/:id', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'An import with its progress: rows done, rows per second, time left',
      params: idParams,
      response: { 200: importJob },
    },
    handler: (req) => readImport(db, callerOf(req), req.params.id),
  });
  app.patch('/imports/:id', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Set the column mapping and what happens to rows matching existing leads',
      params: idParams,
      body: updateImportBody,
      response: { 200: importJob },
    },
    handler: (req) => updateImport(db, callerOf(req), req.params.id, req.body),
  });
  app.get('/imports/:id/preview', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'The first rows as they will be stored, with their problems',
      params: idParams,
      response: { 200: importPreview },
    },
    handler: (req) => previewImport(db, callerOf(req), req.params.id),
  });
  app.post('/imports/:id/start', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Run the import as a background job',
      params: idParams,
      response: { 202: importJob },
    },
    handler: async (req, reply) =>
      reply.code(202).send(await startImport(db, jobs, callerOf(req), req.params.id, false)),
  });
  app.post('/imports/:id/resume', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Continue an import that failed or was cut short from its last committed chunk',
      params: idParams,
      response: { 202: importJob },
    },
    handler: async (req, reply) =>
      reply.code(202).send(await startImport(db, jobs, callerOf(req), req.params.id, true)),
  });
  app.get('/imports/:id/report', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary:
        'Every row’s outcome (created, updated, merged, linked, skipped, rejected) and reason, as CSV',
      params: idParams,
    },
    handler: async (req, reply) => {
      const { job, csv } = await importReport(db, callerOf(req), req.params.id);
      const name = `${job.fileName.replace(/\.[^.]+$/, '')}-report.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(csv);
    },
  });
}
