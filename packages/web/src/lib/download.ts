import {
  EXPORT_TOTAL_ESTIMATE_HEADER,
  EXPORT_TOTAL_HEADER,
  type ExportFormat,
} from '@tide/contract';
import { api, type QueryParams } from './api-client.ts';

export interface ExportProgress {
  /** Data rows received so far; counted for CSV only (an .xlsx is compressed). */
  rows: number | null;
  bytes: number;
  /** The server's count of the rows to come, sent before the file. */
  total: number | null;
  totalIsEstimate: boolean;
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
  /** Rows in the file, when counted; else the server's total. */
  rows: number | null;
}

/** The download broke off after it started (the connection dropped or the server failed). */
export class DownloadInterrupted extends Error {
  override name = 'DownloadInterrupted';
}

const LF = 0x0a;
const QUOTE = 0x22;

/**
 * Counts CSV records as bytes arrive: a line feed ends a record unless it is inside a
 * quoted value (a quote toggles; an escaped "" toggles twice). UTF-8 never puts these
 * two bytes inside a multi-byte character, so the bytes need no decoding.
 */
function csvRecordCounter() {
  let quoted = false;
  let records = 0;
  return (chunk: Uint8Array): number => {
    for (const byte of chunk) {
      if (byte === QUOTE) quoted = !quoted;
      else if (byte === LF && !quoted) records++;
    }
    return records;
  };
}

/** The file name of `Content-Disposition`: the UTF-8 `filename*` first, else `filename`. */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed escape: use the plain name.
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? fallback;
}

function headerNumber(res: Response, name: string): number | null {
  const value = res.headers.get(name);
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Downloads an export, reporting progress as it streams in, and hands back the whole
 * file. The list's total arrives in a header before the file, so progress can show
 * rows received out of rows to come.
 */
export async function downloadExport(
  path: string,
  query: QueryParams,
  format: ExportFormat,
  opts: { signal: AbortSignal; onProgress: (progress: ExportProgress) => void },
): Promise<DownloadedFile> {
  const res = await api.file(path, { ...query, format }, opts.signal);
  const total = headerNumber(res, EXPORT_TOTAL_HEADER);
  const totalIsEstimate = res.headers.get(EXPORT_TOTAL_ESTIMATE_HEADER) === 'true';
  const filename = dispositionFilename(res.headers.get('content-disposition'), `export.${format}`);
  const count = format === 'csv' ? csvRecordCounter() : null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  let records = 0;
  const report = () => {
    opts.onProgress({
      // The header is a record too.
      rows: count ? Math.max(0, records - 1) : null,
      bytes,
      total,
      totalIsEstimate,
    });
  };
  report();
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
      try {
        result = await reader.read();
      } catch (err) {
        if (opts.signal.aborted) throw err;
        throw new DownloadInterrupted(err instanceof Error ? err.message : String(err));
      }
      if (result.done) break;
      chunks.push(result.value);
      bytes += result.value.byteLength;
      if (count) records = count(result.value);
      report();
    }
  }
  return {
    blob: new Blob(chunks, { type: res.headers.get('content-type') ?? 'application/octet-stream' }),
    filename,
    rows: count ? Math.max(0, records - 1) : total,
  };
}

/** Hands a downloaded file to the browser to save. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the save in some browsers.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}

/** Downloads a ready-made file (a report) whole and hands it to the browser to save. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await api.file(path);
  const filename = dispositionFilename(res.headers.get('content-disposition'), fallbackName);
  saveFile(await res.blob(), filename);
}
