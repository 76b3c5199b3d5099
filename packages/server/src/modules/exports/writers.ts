import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { ExportLanguage } from '@tide/contract';
import type { CellValue, ExportColumn } from './columns.ts';

/**
 * Times are written in the tenant's local time. Tide's tenants are in mainland
 * China, whose one zone (Asia/Shanghai) has kept UTC+8 without daylight saving
 * since 1991, so a fixed offset is exact.
 */
const TENANT_OFFSET_MS = 8 * 3_600_000;
const TENANT_OFFSET = '+08:00';

/** The tenant's wall-clock time as a Date whose UTC fields read as that time, to the second. */
function wallClock(iso: string): Date {
  const ms = Date.parse(iso) + TENANT_OFFSET_MS;
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** `2026-11-24T14:31:38.123Z` → `2026-11-24T22:31:38+08:00`. */
export function tenantIso(iso: string): string {
  return `${wallClock(iso).toISOString().slice(0, 19)}${TENANT_OFFSET}`;
}

/** `20261124-223138`: the tenant's local time, for a file name. */
export function tenantStamp(at: Date): string {
  const local = wallClock(at.toISOString()).toISOString();
  return `${local.slice(0, 10).replaceAll('-', '')}-${local.slice(11, 19).replaceAll(':', '')}`;
}

/**
 * A spreadsheet opening a CSV runs a cell that starts with = + - or @ as a formula
 * (CSV injection), so such a value is written after an apostrophe, which Excel shows
 * as text. Signed numbers and phone numbers ("+86 138 0013 8000") stay as they are.
 */
function defuse(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value) || /^[+-][\d\s().-]*$/.test(value)) return value;
  return `'${value}`;
}

function csvCell<T>(column: ExportColumn<T>, row: T, lang: ExportLanguage): CellValue {
  const value = column.value(row, lang);
  if (value === null || value === '') return null;
  if (typeof value === 'number') return value;
  if (column.kind === 'datetime') return tenantIso(value);
  return column.kind === 'text' ? defuse(value) : value;
}

/** Control characters other than tab and newlines are not allowed in XML: Excel would reject the file. */
// eslint-disable-next-line no-control-regex
const xmlInvalid = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xlsxCell<T>(
  column: ExportColumn<T>,
  row: T,
  lang: ExportLanguage,
): string | number | Date | null {
  const value = column.value(row, lang);
  if (value === null || value === '') return null;
  if (typeof value === 'number') return value;
  if (column.kind === 'datetime') return wallClock(value);
  if (column.kind === 'date') return new Date(`${value}T00:00:00Z`);
  return value.replace(xmlInvalid, '');
}

const numFmt: Partial<Record<ExportColumn<unknown>['kind'], string>> = {
  datetime: 'yyyy-mm-dd hh:mm:ss',
  date: 'yyyy-mm-dd',
};

/**
 * CSV of the rows, header first: UTF-8 with a byte-order mark (without it Excel reads
 * the file as the system's ANSI code page and garbles Chinese), CRLF line ends, quoted
 * where a value holds a comma, quote or line break. Rows are pulled batch by batch as
 * the client reads; when it goes away the batches stop.
 */
export function csvFile<T>(
  columns: readonly ExportColumn<T>[],
  lang: ExportLanguage,
  batches: AsyncIterable<T[]>,
  onEnd: (err: Error | null) => void,
): Readable {
  async function* records(): AsyncGenerator<CellValue[]> {
    yield columns.map((c) => c.header[lang]);
    for await (const batch of batches) {
      for (const row of batch) yield columns.map((c) => csvCell(c, row, lang));
    }
  }
  // csv-stringify quotes only values holding the record delimiter (CRLF): a bare line
  // break inside a value must be quoted too, or Excel starts a new row there.
  const out = stringify({ bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  return pipeline(Readable.from(records()), out, onEnd);
}

/** A writable stream, of node or of the older readable-stream package exceljs's zip uses. */
interface Drainable {
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
}

function isDrainable(value: unknown): value is Drainable {
  return (
    typeof value === 'object' &&
    value !== null &&
    'on' in value &&
    typeof value.on === 'function' &&
    'off' in value &&
    typeof value.off === 'function'
  );
}

function needsDrain(stream: Drainable): boolean {
  return stream.writableNeedDrain ?? stream._writableState?.needDrain ?? false;
}

/** Resolves once the stream has room again, or it or the response (`out`) is gone. */
function drained(stream: Drainable, out: Drainable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      out.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    out.on('close', done);
  });
}

/**
 * exceljs hands each sheet's XML to the zip's deflater without waiting for it
 * (`worksheet.stream` pipes into the deflater's input and ignores backpressure),
 * so a fast database could pile rows up in front of a slower deflater. That input
 * still knows it is full; waiting on it keeps memory to about one batch.
 */
function sheetInput(sheet: ExcelJS.Worksheet): Drainable | undefined {
  const internal = sheet as unknown as { stream?: { pipes?: unknown[] } };
  const input = internal.stream?.pipes?.[0];
  return isDrainable(input) ? input : undefined;
}

/**
 * An .xlsx workbook of the rows, written by exceljs's streaming writer: each row is
 * committed (and leaves memory) as it is added, strings are inline (a shared-string
 * table would hold every value until the end). Times are date cells in the tenant's
 * wall-clock time. The next batch is read only once the client has taken the output
 * so far, so a slow download does not pile the whole set up in memory.
 */
export function xlsxFile<T>(
  columns: readonly ExportColumn<T>[],
  lang: ExportLanguage,
  batches: AsyncIterable<T[]>,
  sheetName: string,
  onEnd: (err: Error | null) => void,
): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => {
    const fmt = numFmt[c.kind];
    return {
      header: c.header[lang],
      key: String(i),
      width: c.width,
      ...(fmt ? { style: { numFmt: fmt } } : {}),
    };
  });
  sheet.getRow(1).font = { bold: true };
  const write = async () => {
    for await (const batch of batches) {
      for (const row of batch) sheet.addRow(columns.map((c) => xlsxCell(c, row, lang))).commit();
      // Let the deflater run before the next batch, then wait while it is behind.
      await new Promise((resolve) => setImmediate(resolve));
      const input = sheetInput(sheet);
      if (!out.destroyed && input && needsDrain(input)) await drained(input, out);
      if (!out.destroyed && out.writableNeedDrain) await drained(out, out);
      // The client went away: leaving the loop closes the batches.
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  };
  write().then(
    () => {
      onEnd(null);
    },
    (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      out.destroy(error);
      onEnd(error);
    },
  );
  return out;
}
