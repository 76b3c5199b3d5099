import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse';
import type { ImportField, ImportMapping, ImportType } from '@tide/contract';
import { importFields } from '@tide/contract';
import { invalid, type AppError } from '../../platform/errors.ts';

export type FileFormat = 'csv' | 'xlsx';
export type FileEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** xlsx files are zip archives: they start with PK\x03\x04. */
export function formatOf(head: Buffer, fileName: string): FileFormat {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (/\.xlsx$/i.test(fileName)) throw invalid('The file is named .xlsx but is not an Excel file');
  return 'csv';
}

/**
 * UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"
 * saves so) or, without one, when its ASCII characters come with a zero byte;
 * else UTF-8 (with or without BOM) when the start of the file decodes as
 * UTF-8, else GB18030, the superset of GBK that Chinese Excel saves CSV in.
 */
export function encodingOf(head: Buffer): FileEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const sample = head.subarray(0, 512 - (Math.min(head.length, 512) % 2));
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2) zeroOdd++;
    else zeroEven++;
  }
  if (sample.length >= 4 && zeroOdd > sample.length / 8 && zeroEven === 0) return 'utf-16le';
  if (sample.length >= 4 && zeroEven > sample.length / 8 && zeroOdd === 0) return 'utf-16be';
  // A multi-byte character may be cut at the end of the sample: drop up to 3 bytes.
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return 'utf-8';
    } catch {
      // try a shorter sample
    }
  }
  return 'gb18030';
}

/**
 * The delimiter of a CSV file, from its first line: tabs (Excel's "Unicode
 * text" and many exports), semicolons (European Excel) or commas.
 */
export function delimiterOf(firstText: string): string {
  const line = firstText.split(/\r?\n/, 1)[0] ?? '';
  const outside = line.replace(/"[^"]*"/g, '');
  const count = (c: string) => outside.split(c).length - 1;
  const candidates = ['\t', ';', ','].map((d) => ({ d, n: count(d) }));
  const best = candidates.reduce((a, b) => (b.n > a.n ? b : a), { d: ',', n: 0 });
  return best.d;
}

/** One data row of a file: its number (the header is row 0) and its cells as text. */
export interface FileRow {
  no: number;
  cells: string[];
  /** Bytes of the file read when this row was parsed (CSV; an estimate for xlsx). */
  bytes: number;
}

/**
 * What a workbook may hold. An .xlsx is a zip: a few hundred kilobytes can
 * inflate to gigabytes, so every limit is checked before or while inflating,
 * never after.
 */
export const workbookLimits = {
  /** Inflated bytes of the parts read (sheet, shared strings, styles, workbook). */
  maxInflatedBytes: 1024 * 1024 * 1024,
  /** Inflated to compressed, for parts above `ratioFloorBytes` (spreadsheets compress 5–30 to 1). */
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  /** Excel's own sheet height. */
  maxRows: 1_048_576,
  /** Columns with a value; a record type has fewer than twenty fields. */
  maxColumns: 1000,
  /** Heap of the thread reading the workbook, and apart from it the shared strings' text. */
  maxMemoryMb: 256,
};
export type WorkbookLimit = 'inflated' | 'ratio' | 'rows' | 'columns' | 'memory';

const number = (n: number) => n.toLocaleString('en-US');
const mb = (n: number) => number(Math.ceil(n / (1024 * 1024)));

/** The 400 naming the limit a file is over, in both languages. */
export function limitError(limit: WorkbookLimit, max: number, found: number): AppError {
  const details = { limit, max, found };
  switch (limit) {
    case 'inflated':
      return invalid(
        {
          'zh-CN': `文件解压后超过 ${mb(max)} MB 的上限（实际 ${mb(found)} MB），请拆分为多个文件后再导入。`,
          en: `The workbook inflates past the limit of ${mb(max)} MB (${mb(found)} MB); split it into smaller files`,
        },
        details,
      );
    case 'ratio':
      return invalid(
        {
          'zh-CN': `文件的压缩比超过 ${number(max)} 倍的上限（实际 ${number(found)} 倍），疑似压缩炸弹，已拒绝导入。`,
          en: `The workbook is compressed past the limit of ${number(max)} to 1 (${number(found)} to 1), as a zip bomb is; it was refused`,
        },
        details,
      );
    case 'rows':
      return invalid(
        {
          'zh-CN': `工作表超过 ${number(max)} 行的上限（出现第 ${number(found)} 行），请拆分后再导入。`,
          en: `The sheet has more rows than the limit of ${number(max)} (row ${number(found)}); split it into smaller files`,
        },
        details,
      );
    case 'columns':
      return invalid(
        {
          'zh-CN': `工作表超过 ${number(max)} 列的上限（出现第 ${number(found)} 列），请删除多余的列后再导入。`,
          en: `The sheet has more columns than the limit of ${number(max)} (column ${number(found)}); remove the columns not imported`,
        },
        details,
      );
    case 'memory':
      return invalid(
        {
          'zh-CN': `读取文件所需内存超过 ${number(max)} MB 的上限，请拆分为多个文件后再导入。`,
          en: `Reading the workbook needs more than the limit of ${number(max)} MB of memory; split it into smaller files`,
        },
        details,
      );
  }
}

function decoder(encoding: FileEncoding): Transform {
  const d = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      done(null, d.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, d.decode());
    },
  });
}

/** How much of a file to read. */
export interface ReadOptions {
  /** Stop after this many rows, the header included (a preview). */
  rows?: number;
}

/**
 * The header and data rows of a CSV or xlsx file, streamed with bounded
 * memory. Row 0 is the header.
 */
export async function* readFile(
  source: Readable,
  format: FileFormat,
  encoding: FileEncoding,
  options: ReadOptions = {},
): AsyncGenerator<FileRow> {
  if (format === 'xlsx') {
    yield* readWorkbook(source, { emit: options.rows ?? Infinity, scanAll: false });
    return;
  }
  let counted = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counted += chunk.length;
      done(null, chunk);
    },
  });
  const text = source.pipe(counter).pipe(decoder(encoding));
  async function* withDelimiter(): AsyncGenerator<string[]> {
    const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;
    const first = await chunks.next();
    if (first.done) return;
    const parser = parse({
      bom: true,
      delimiter: delimiterOf(first.value.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
    const feed = async () => {
      parser.write(first.value);
      for (let next = await chunks.next(); !next.done; next = await chunks.next())
        if (!parser.write(next.value)) await new Promise((r) => parser.once('drain', r));
      parser.end();
    };
    const fed = feed().catch((err: unknown) => {
      parser.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    yield* parser as AsyncIterable<string[]>;
    await fed;
  }
  let no = 0;
  for await (const record of withDelimiter()) {
    const last = record.findLastIndex((c) => c !== '');
    if (last + 1 > workbookLimits.maxColumns)
      throw limitError('columns', workbookLimits.maxColumns, last + 1);
    yield { no: no++, cells: record, bytes: counted };
  }
}

const workerFile = path.join(import.meta.dirname, 'xlsx-worker.mjs');

type WorkerMessage =
  | { type: 'rows'; rows: string[][]; bytes: number }
  | { type: 'end'; rows: number }
  | { type: 'limit'; limit: WorkbookLimit; max: number; found: number }
  | { type: 'error'; message: string };

/**
 * The rows of the first sheet of a workbook, read on a worker thread
 * (xlsx-worker.mjs) from a temporary copy of the file: the zip is read by its
 * central directory, which needs the file's end before its start. `emit` rows
 * are passed back; with `scanAll` the sheet is read to its end even so, which
 * checks every limit. `onEnd` is told the number of non-empty rows.
 */
async function* readWorkbook(
  source: Readable,
  options: { emit: number; scanAll: boolean },
  onEnd?: (rows: number) => void,
): AsyncGenerator<FileRow> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tide-import-'));
  let worker: Worker | undefined;
  try {
    const file = path.join(dir, 'workbook.xlsx');
    let fileBytes = 0;
    await pipeline(
      source,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          fileBytes += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(file),
    );
    const limits = workbookLimits;
    worker = new Worker(workerFile, {
      workerData: { path: file, fileBytes, ...options, ...limits },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb },
    });
    const queue: WorkerMessage[] = [];
    let wake: (() => void) | null = null;
    // Set by the worker's events, read by the loop below.
    const state: { failure: AppError | null; exited: boolean } = { failure: null, exited: false };
    const notify = () => {
      wake?.();
      wake = null;
    };
    worker.on('message', (msg: WorkerMessage) => {
      queue.push(msg);
      notify();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      state.failure =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? limitError('memory', limits.maxMemoryMb, limits.maxMemoryMb)
          : invalid(`The file cannot be read: ${err.message}`);
      notify();
    });
    worker.on('exit', () => {
      state.exited = true;
      notify();
    });
    let no = 0;
    for (;;) {
      const msg = queue.shift();
      if (!msg) {
        if (state.failure) throw state.failure;
        if (state.exited) throw invalid('The file cannot be read: its reader stopped');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (msg.type === 'rows') {
        worker.postMessage('ack');
        for (const cells of msg.rows) yield { no: no++, cells, bytes: msg.bytes };
      } else if (msg.type === 'end') {
        onEnd?.(msg.rows);
        return;
      } else if (msg.type === 'limit') {
        throw limitError(msg.limit, msg.max, msg.found);
      } else {
        throw invalid(`The file cannot be read: ${msg.message}`);
      }
    }
  } finally {
    await worker?.terminate();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The header row of a stored file. A workbook is read to its end meanwhile, on
 * its worker thread, so that a sheet over a limit is refused at the upload.
 */
export async function headerOf(
  source: Readable,
  format: FileFormat,
  encoding: FileEncoding,
): Promise<string[]> {
  if (format === 'xlsx') {
    let header: string[] | undefined;
    for await (const row of readWorkbook(source, { emit: 1, scanAll: true })) header ??= row.cells;
    if (header) return header;
  } else {
    for await (const row of readFile(source, format, encoding)) {
      source.destroy();
      return row.cells;
    }
  }
  throw invalid('The file is empty');
}

/** Header names (Chinese and English) each field is recognised by. */
const headerNames: Record<ImportField, string[]> = {
  company: [
    '公司名称',
    '公司',
    '企业名称',
    '单位名称',
    '客户名称',
    '公司全称',
    'company',
    'companyname',
  ],
  contactName: ['联系人', '联系人姓名', '姓名', '客户姓名', 'contact', 'contactname', 'name'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', '电话号码', 'mobile', 'phone', 'tel'],
  email: ['邮箱', '电子邮箱', '邮件', 'email', 'e-mail', 'mail'],
  address: ['地址', '公司地址', '详细地址', '联系地址', 'address'],
  source: ['来源', '线索来源', '客户来源', '渠道', 'source', 'channel'],
  name: ['客户名称', '公司名称', '企业名称', '名称', '姓名', '联系人', 'name', 'customername'],
  kind: ['客户类型', '类型', 'kind', 'type'],
  creditCode: ['统一社会信用代码', '信用代码', '社会信用代码', 'creditcode', 'uscc'],
  industry: ['行业', '所属行业', 'industry'],
  customer: ['客户', '客户名称', '所属客户', '公司名称', '公司', 'customer', 'company'],
  title: ['职务', '职位', '头衔', 'title', 'position'],
  wechat: ['微信', '微信号', 'wechat'],
};

const fold = (h: string) =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_*:：()（）]/g, '');

/** Each field of the type mapped to the first header that names it, from Chinese or English. */
export function suggestMapping(type: ImportType, headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const taken = new Set<string>();
  for (const field of importFields[type]) {
    const names = headerNames[field].map(fold);
    const header = headers.find((h) => !taken.has(h) && names.includes(fold(h)));
    mapping[field] = header ?? null;
    if (header) taken.add(header);
  }
  return mapping;
}

/** A mapping names only fields of the type and headers of the file. */
export function checkMapping(
  type: ImportType,
  mapping: ImportMapping,
  headers: readonly string[],
): void {
  const fields: readonly string[] = importFields[type];
  for (const [field, header] of Object.entries(mapping)) {
    if (!fields.includes(field))
      throw invalid(`A ${type} import has no field "${field}"`, { path: `mapping.${field}` });
    if (header !== null && !headers.includes(header))
      throw invalid(`The file has no column "${header}" for ${field}`, {
        path: `mapping.${field}`,
      });
  }
  if (!Object.values(mapping).some((h) => h))
    throw invalid('Map at least one column', { path: 'mapping' });
}

/** The mapped values of one row, by field. */
export function valuesOf(
  cells: readonly string[],
  headers: readonly string[],
  mapping: ImportMapping,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [field, header] of Object.entries(mapping)) {
    if (!header) continue;
    const v = cells[headers.indexOf(header)]?.trim();
    out[field] = v === undefined || v === '' ? null : v;
  }
  return out;
}
