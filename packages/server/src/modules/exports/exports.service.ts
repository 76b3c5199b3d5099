import type { Readable } from 'node:stream';
import {
  exportContentTypes,
  type Contact,
  type ContactExportQuery,
  type Customer,
  type CustomerExportQuery,
  type ExportFormat,
  type ExportLanguage,
  type Lead,
  type LeadExportQuery,
  type Opportunity,
  type OpportunityExportQuery,
} from '@tide/contract';
import { buildScope } from '../../platform/access.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import {
  contactBatch,
  contactListSort,
  contactListWhere,
  countContacts,
  countCustomers,
  customerBatch,
  customerListSort,
  customerListWhere,
} from '../customers/customers.repo.ts';
import { countLeads, leadBatch, leadListSort, leadListWhere } from '../leads/leads.repo.ts';
import {
  countOpportunities,
  opportunityBatch,
  opportunityListSort,
  opportunityListWhere,
} from '../opportunities/opportunities.repo.ts';
import {
  contactColumns,
  customerColumns,
  deletedLeadColumns,
  leadColumns,
  opportunityColumns,
  type ExportColumn,
} from './columns.ts';
import type { Batch, Keyset } from './keyset.ts';
import { csvFile, tenantStamp, xlsxFile } from './writers.ts';

/** Rows read per query: small enough to hold, large enough that a big export is few queries. */
export const EXPORT_BATCH_SIZE = 2000;

type ReadBatch<T> = (last: Keyset | null, limit: number) => Promise<Batch<T>>;

/**
 * An export ready to stream: the list's total (known before the first byte, for
 * progress) and a way to read its rows. Nothing is read until the file is written.
 */
export interface ExportPlan<T> {
  total: number;
  totalIsEstimate: boolean;
  columns: readonly ExportColumn<T>[];
  /** The file's base name and sheet name per language. */
  name: Record<ExportLanguage, string>;
  read: ReadBatch<T>;
}

/**
 * Every row of the list, batch after batch, each batch continuing after the last
 * row of the one before (keyset paging): no batch re-reads or skips rows however
 * large the set, and only one batch is in memory at a time.
 */
export async function* readAll<T>(read: ReadBatch<T>, batchSize: number): AsyncGenerator<T[]> {
  let last: Keyset | null = null;
  for (;;) {
    const batch = await read(last, batchSize);
    if (batch.items.length > 0) yield batch.items;
    if (batch.items.length < batchSize || !batch.last) return;
    last = batch.last;
  }
}

export async function planLeadExport(
  db: Db,
  caller: Caller,
  q: LeadExportQuery,
  opts: { deleted?: boolean } = {},
): Promise<ExportPlan<Lead>> {
  const scope = await buildScope(db, caller);
  const sort = leadListSort(q.sort, opts.deleted);
  const where = leadListWhere(scope, q, opts);
  const count = await countLeads(db, where);
  return {
    total: count.total,
    totalIsEstimate: count.totalIsEstimate ?? false,
    columns: opts.deleted ? deletedLeadColumns : leadColumns,
    name: opts.deleted
      ? { 'zh-CN': '回收站线索', en: 'deleted-leads' }
      : { 'zh-CN': '线索', en: 'leads' },
    read: (last, limit) => leadBatch(db, where, sort, last, limit),
  };
}

export async function planCustomerExport(
  db: Db,
  caller: Caller,
  q: CustomerExportQuery,
): Promise<ExportPlan<Customer>> {
  const scope = await buildScope(db, caller);
  const sort = customerListSort(q.sort);
  const where = customerListWhere(scope, q);
  const count = await countCustomers(db, where);
  return {
    total: count.total,
    totalIsEstimate: count.totalIsEstimate ?? false,
    columns: customerColumns,
    name: { 'zh-CN': '客户', en: 'customers' },
    read: (last, limit) => customerBatch(db, where, sort, last, limit),
  };
}

export async function planContactExport(
  db: Db,
  caller: Caller,
  q: ContactExportQuery,
): Promise<ExportPlan<Contact>> {
  const scope = await buildScope(db, caller);
  const sort = contactListSort(q.sort);
  const where = contactListWhere(scope, q);
  const count = await countContacts(db, where);
  return {
    total: count.total,
    totalIsEstimate: count.totalIsEstimate ?? false,
    columns: contactColumns,
    name: { 'zh-CN': '联系人', en: 'contacts' },
    read: (last, limit) => contactBatch(db, where, sort, last, limit),
  };
}

export async function planOpportunityExport(
  db: Db,
  caller: Caller,
  q: OpportunityExportQuery,
): Promise<ExportPlan<Opportunity>> {
  const scope = await buildScope(db, caller);
  const sort = opportunityListSort(q.sort);
  const where = opportunityListWhere(scope, q);
  const count = await countOpportunities(db, where);
  return {
    total: count.total,
    totalIsEstimate: count.totalIsEstimate ?? false,
    columns: opportunityColumns,
    name: { 'zh-CN': '商机', en: 'opportunities' },
    read: (last, limit) => opportunityBatch(db, where, sort, last, limit),
  };
}

export interface ExportFile {
  contentType: string;
  /** A Content-Disposition value: the name in the request's language, an ASCII fallback. */
  disposition: string;
  total: number;
  totalIsEstimate: boolean;
  body: Readable;
}

/** Starts writing the file; rows are read as the client takes them. */
export function writeExport<T>(
  plan: ExportPlan<T>,
  format: ExportFormat,
  lang: ExportLanguage,
  onEnd: (err: Error | null) => void,
  batchSize = EXPORT_BATCH_SIZE,
): ExportFile {
  const rows = readAll(plan.read, batchSize);
  const stamp = tenantStamp(new Date());
  const name = `${plan.name[lang]}-${stamp}.${format}`;
  const ascii = `${plan.name.en}-${stamp}.${format}`;
  return {
    contentType: exportContentTypes[format],
    disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    total: plan.total,
    totalIsEstimate: plan.totalIsEstimate,
    body:
      format === 'csv'
        ? csvFile(plan.columns, lang, rows, onEnd)
        : xlsxFile(plan.columns, lang, rows, plan.name[lang], onEnd),
  };
}
