import { z } from 'zod';
import { contactListQuery, customerListQuery } from './customers.ts';
import { leadListQuery } from './leads.ts';
import { opportunityListQuery } from './opportunities.ts';

/**
 * Exports of a list (SPEC §13): the same filters, sort and data scope as the list,
 * every matching row instead of one page, as CSV (UTF-8 with a BOM, so Excel opens
 * Chinese text correctly) or as an .xlsx workbook, streamed.
 *
 * Times are written in the tenant's local time, Asia/Shanghai: in CSV as ISO 8601
 * with the offset (`2026-11-24T22:31:38+08:00`), in .xlsx as date cells showing the
 * same wall-clock time (Excel cells have no time zone). Both are to the second.
 */
export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Column headers and labels of the file; without `lang`, the request's Accept-Language decides (Chinese by default). */
export const exportLanguages = ['zh-CN', 'en'] as const;
export type ExportLanguage = (typeof exportLanguages)[number];

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Sent before the first byte: the number of rows the export will hold (the list's
 * count, so above 10,000 rows possibly an estimate), for a progress indicator.
 */
export const EXPORT_TOTAL_HEADER = 'x-total-count';
/** `true` when the total is the planner's estimate rather than an exact count. */
export const EXPORT_TOTAL_ESTIMATE_HEADER = 'x-total-is-estimate';

const exportOptions = {
  format: z.enum(exportFormats).default('csv'),
  lang: z.enum(exportLanguages).optional(),
};

/** A list query without paging: an export takes every row the list would page through. */
const withoutPaging = { page: true, pageSize: true } as const;

export const leadExportQuery = leadListQuery.omit(withoutPaging).extend(exportOptions);
export type LeadExportQuery = z.infer<typeof leadExportQuery>;

export const customerExportQuery = customerListQuery.omit(withoutPaging).extend(exportOptions);
export type CustomerExportQuery = z.infer<typeof customerExportQuery>;

export const contactExportQuery = contactListQuery.omit(withoutPaging).extend(exportOptions);
export type ContactExportQuery = z.infer<typeof contactExportQuery>;

export const opportunityExportQuery = opportunityListQuery
  .omit(withoutPaging)
  .extend(exportOptions);
export type OpportunityExportQuery = z.infer<typeof opportunityExportQuery>;
