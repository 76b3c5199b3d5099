import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  contactExportQuery,
  customerExportQuery,
  EXPORT_TOTAL_ESTIMATE_HEADER,
  EXPORT_TOTAL_HEADER,
  exportContentTypes,
  leadExportQuery,
  opportunityExportQuery,
  type ExportFormat,
  type ExportLanguage,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { readerLanguage } from '../../platform/language.ts';
import {
  planContactExport,
  planCustomerExport,
  planLeadExport,
  planOpportunityExport,
  writeExport,
  type ExportPlan,
} from './exports.service.ts';

/** `lang` when given, else the first language of Accept-Language that Tide writes, else Chinese. */
export function exportLanguage(
  lang: ExportLanguage | undefined,
  acceptLanguage: string | undefined,
): ExportLanguage {
  return lang ?? readerLanguage(acceptLanguage);
}

const fileResponse = {
  200: {
    description: `The file, streamed. \`${EXPORT_TOTAL_HEADER}\` gives the number of rows (the list's total, an estimate above 10,000 when \`${EXPORT_TOTAL_ESTIMATE_HEADER}\` is true).`,
    content: {
      [exportContentTypes.csv]: { schema: z.string() },
      [exportContentTypes.xlsx]: { schema: z.string() },
    },
  },
};

const description =
  'Every row the list answers for the same query parameters (filters, sort, data scope), without paging. ' +
  '`format=csv` (default): UTF-8 with a byte-order mark; `format=xlsx`: an Excel workbook. Headers in Chinese, ' +
  'or English with `lang=en` or an English Accept-Language. Times in Asia/Shanghai: ISO 8601 with +08:00 in CSV, ' +
  'date cells in .xlsx.';

/** The lists that export, as named in the audit log. */
type ExportedList = 'leads' | 'recycle-bin/leads' | 'customers' | 'contacts' | 'opportunities';

async function send<T>(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  list: ExportedList,
  plan: ExportPlan<T>,
  query: { format: ExportFormat; lang?: ExportLanguage | undefined },
): Promise<FastifyReply> {
  // Who took which data out, with the filters and the row count, before the first byte.
  const { format, lang: _lang, ...filters } = query;
  await audit(db, callerOf(req), {
    entity: 'export',
    entityId: list,
    action: 'export',
    changes: {
      format: { before: null, after: format },
      rows: { before: null, after: plan.total },
      filters: { before: null, after: filters },
    },
  });
  const lang = exportLanguage(query.lang, req.headers['accept-language']);
  const file = writeExport(plan, query.format, lang, (err) => {
    // Mostly the client cancelling the download; a failing query is logged by Fastify too.
    if (err) req.log.info({ err }, 'export ended early');
  });
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', file.disposition)
    .header('cache-control', 'no-store')
    .header(EXPORT_TOTAL_HEADER, String(file.total))
    .header(EXPORT_TOTAL_ESTIMATE_HEADER, String(file.totalIsEstimate))
    .send(file.body);
}

/** Exports of the lists (SPEC §13), each guarded by its list's view permission. */
export function exportsRoutes(app: App, { db }: Deps): void {
  const d = db.db;
  app.get('/leads/export', {
    config: { auth: 'lead.view' },
    schema: {
      tags: ['leads', 'exports'],
      summary: 'Export the leads list as CSV or Excel',
      description,
      querystring: leadExportQuery,
      response: fileResponse,
    },
    handler: async (req, reply) =>
      send(d, req, reply, 'leads', await planLeadExport(d, callerOf(req), req.query), req.query),
  });
  app.get('/recycle-bin/leads/export', {
    config: { auth: 'recycle.manage' },
    schema: {
      tags: ['recycle-bin', 'exports'],
      summary: 'Export the deleted leads as CSV or Excel',
      description,
      querystring: leadExportQuery,
      response: fileResponse,
    },
    handler: async (req, reply) =>
      send(
        d,
        req,
        reply,
        'recycle-bin/leads',
        await planLeadExport(d, callerOf(req), req.query, { deleted: true }),
        req.query,
      ),
  });
  app.get('/customers/export', {
    config: { auth: 'customer.view' },
    schema: {
      tags: ['customers', 'exports'],
      summary: 'Export the customers list as CSV or Excel',
      description,
      querystring: customerExportQuery,
      response: fileResponse,
    },
    handler: async (req, reply) =>
      send(
        d,
        req,
        reply,
        'customers',
        await planCustomerExport(d, callerOf(req), req.query),
        req.query,
      ),
  });
  app.get('/contacts/export', {
    config: { auth: 'contact.view' },
    schema: {
      tags: ['contacts', 'exports'],
      summary: 'Export the contacts list as CSV or Excel',
      description,
      querystring: contactExportQuery,
      response: fileResponse,
    },
    handler: async (req, reply) =>
      send(
        d,
        req,
        reply,
        'contacts',
        await planContactExport(d, callerOf(req), req.query),
        req.query,
      ),
  });
  app.get('/opportunities/export', {
    config: { auth: 'opportunity.view' },
    schema: {
      tags: ['opportunities', 'exports'],
      summary: 'Export the opportunities list as CSV or Excel',
      description,
      querystring: opportunityExportQuery,
      response: fileResponse,
    },
    handler: async (req, reply) =>
      send(
        d,
        req,
        reply,
        'opportunities',
        await planOpportunityExport(d, callerOf(req), req.query),
        req.query,
      ),
  });
}
