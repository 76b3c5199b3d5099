import { z } from 'zod';
import { id, timestamp } from './common.ts';

/** Record types that can be imported. */
export const importTypes = ['leads', 'customers', 'contacts'] as const;
export type ImportType = (typeof importTypes)[number];

export const importFormats = ['csv', 'xlsx'] as const;
export const importEncodings = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
export const importStatuses = ['uploaded', 'queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

/** What happens to a row that matches a record already in the database (SPEC §2 cleaning). */
export const importDuplicateHandling = ['skip', 'update', 'link'] as const;
export type ImportDuplicateHandling = (typeof importDuplicateHandling)[number];

/** The fields an import of each type fills, each from one column of the file. */
export const importFields = {
  leads: ['company', 'contactName', 'phone', 'email', 'address', 'source'],
  customers: ['name', 'kind', 'creditCode', 'phone', 'address', 'industry', 'source'],
  /** `customer`: the customer's name or credit code, matched to an existing customer. */
  contacts: ['customer', 'name', 'title', 'phone', 'email', 'wechat'],
} as const satisfies Record<ImportType, readonly string[]>;
export type ImportField = (typeof importFields)[ImportType][number];
export const leadImportFields = importFields.leads;
export type LeadImportField = (typeof leadImportFields)[number];

/**
 * A mapping key `note:<header>` sends that column into a follow-up note on the record the
 * row creates or updates (备注, 说明 and any column with no field of its own). Leads and
 * customers only: a contact has no timeline of its own.
 */
export const importNotePrefix = 'note:';
export const importNoteTypes: readonly ImportType[] = ['leads', 'customers'];

/**
 * Field → the header of the column it comes from (null: not imported); `note:<header>` →
 * that header for a column written into the follow-up note.
 */
export const importMapping = z.record(z.string(), z.string().nullable());
export type ImportMapping = z.infer<typeof importMapping>;

export const importRowOutcomes = [
  'created',
  'updated',
  'merged',
  'linked',
  'skipped',
  'rejected',
] as const;
export type ImportRowOutcome = (typeof importRowOutcomes)[number];

export const importJob = z
  .object({
    id,
    type: z.enum(importTypes),
    status: z.enum(importStatuses),
    fileName: z.string(),
    format: z.enum(importFormats),
    encoding: z.enum(importEncodings),
    bytes: z.number().int(),
    headers: z.array(z.string()),
    mapping: importMapping,
    onDuplicate: z.enum(importDuplicateHandling),
    /** Rows committed so far (the checkpoint a resume continues from). */
    rowsDone: z.number().int(),
    /** Known once the whole file has been read. */
    rowsTotal: z.number().int().nullable(),
    /** 0..1, by the bytes of the file read so far. */
    progress: z.number(),
    rowsPerSecond: z.number().nullable(),
    secondsLeft: z.number().nullable(),
    counts: z.record(z.enum(importRowOutcomes), z.number().int()),
    error: z.string().nullable(),
    createdBy: id.nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    /** Moved at every checkpoint while a process runs the import. */
    heartbeatAt: timestamp.nullable(),
    /** Running, but no progress for a while: its process is gone and it can be resumed. */
    stalled: z.boolean(),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof importJob>;

export const createImportQuery = z.object({
  type: z.enum(importTypes),
  fileName: z.string().trim().min(1).max(200),
});
export type CreateImportQuery = z.infer<typeof createImportQuery>;

export const updateImportBody = z.object({
  mapping: importMapping.optional(),
  /** Take the mapping of a saved template (columns the file lacks stay unmapped). */
  templateId: id.optional(),
  onDuplicate: z.enum(importDuplicateHandling).optional(),
});
export type UpdateImportBody = z.infer<typeof updateImportBody>;

/** The first rows as they will be stored, with what is wrong with each. */
export const importPreview = z.object({
  headers: z.array(z.string()),
  mapping: importMapping,
  rows: z.array(
    z.object({
      row: z.number().int(),
      values: z.record(z.string(), z.string().nullable()),
      problems: z.array(z.string()),
    }),
  ),
});
export type ImportPreview = z.infer<typeof importPreview>;

/** A saved mapping: a field → the header name it comes from. */
export const importTemplate = z
  .object({
    id,
    type: z.enum(importTypes),
    name: z.string(),
    mapping: importMapping,
    createdAt: timestamp,
  })
  .meta({ id: 'ImportTemplate' });
export type ImportTemplate = z.infer<typeof importTemplate>;

export const createImportTemplateBody = z.object({
  type: z.enum(importTypes),
  name: z.string().trim().min(1).max(80),
  mapping: importMapping,
});
export type CreateImportTemplateBody = z.infer<typeof createImportTemplateBody>;
