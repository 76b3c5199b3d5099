import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { ImportField, ImportMapping, ImportType } from '@tide/contract';
import { importFields } from '@tide/contract';
import { invalid } from '../../platform/errors.ts';

export type FileFormat = 'csv' | 'xlsx';
export type FileEncoding = 'utf-8' | 'gb18030';

/** xlsx files are zip archives: they start with PK\x03\x04. */
export function formatOf(head: Buffer, fileName: string): FileFormat {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (/\.xlsx$/i.test(fileName)) throw invalid('The file is named .xlsx but is not an Excel file');
  return 'csv';
}

/**
 * UTF-8 (with or without BOM) when the start of the file decodes as UTF-8,
 * else GB18030, the superset of GBK that Chinese Excel saves CSV in.
 */
export function encodingOf(head: Buffer): FileEncoding {
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

function decoder(encoding: FileEncoding): Transform {
  const d = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, d.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, d.decode());
    },
  });
}

/** One data row of a file: its number (the header is row 0) and its cells as text. */
export interface FileRow {
  no: number;
  cells: string[];
  /** Bytes of the file read when this row was parsed (CSV; an estimate for xlsx). */
  bytes: number;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return v.text;
    if ('result' in v) {
      const r: unknown = v.result;
      return typeof r === 'string' || typeof r === 'number' || typeof r === 'boolean'
        ? String(r)
        : '';
    }
    return '';
  }
  return String(v);
}

/** Workbooks up to this size are read whole rather than streamed. */
const XLSX_IN_MEMORY = 16 * 1024 * 1024;

/**
 * The header and data rows of a CSV or xlsx file, streamed with bounded
 * memory. Row 0 is the header.
 */
export async function* readFile(
  source: Readable,
  format: FileFormat,
  encoding: FileEncoding,
): AsyncGenerator<FileRow> {
  let counted = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counted += chunk.length;
      done(null, chunk);
    },
  });
  if (format === 'csv') {
    const input = source.pipe(counter);
    const parser = input
      .pipe(decoder(encoding))
      .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
    let no = 0;
    for await (const record of parser as AsyncIterable<string[]>)
      yield { no: no++, cells: record, bytes: counted };
    return;
  }
  // A workbook up to XLSX_IN_MEMORY bytes is read whole: exceljs's streaming reader now and
  // then lost the zip's last parts (the workbook part among them) and failed with "reading
  // 'sheets'". Larger files are streamed, so memory stays bounded.
  const head: Buffer[] = [];
  let headBytes = 0;
  const iterator = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done && headBytes <= XLSX_IN_MEMORY) {
    const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(buf);
    headBytes += buf.length;
    next = await iterator.next();
  }
  let no = 0;
  if (next.done) {
    counted = headBytes;
    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type; an ArrayBuffer copy satisfies it.
    await workbook.xlsx.load(new Uint8Array(Buffer.concat(head)).buffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) return;
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = values.map((v) => cellText(v).trim());
      if (cells.every((c) => c === '')) continue;
      yield { no: no++, cells, bytes: counted };
    }
    return;
  }
  const rest = next.value;
  async function* whole(): AsyncGenerator<Buffer | string> {
    yield* head;
    yield rest;
    for (let more = await iterator.next(); !more.done; more = await iterator.next())
      yield more.value;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(whole()).pipe(counter), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of workbook) {
    for await (const row of sheet) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = values.map((v) => cellText(v).trim());
      if (cells.every((c) => c === '')) continue;
      yield { no: no++, cells, bytes: counted };
    }
    return; // the first sheet only
  }
}

/** The header row of a stored file. */
export async function headerOf(
  source: Readable,
  format: FileFormat,
  encoding: FileEncoding,
): Promise<string[]> {
  for await (const row of readFile(source, format, encoding)) {
    source.destroy();
    return row.cells;
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
