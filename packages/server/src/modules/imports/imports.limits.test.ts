import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, ImportJob, ImportPreview } from '@tide/contract';
import { createTestApp, type Client, type TestApp } from '../../../test/harness.ts';
import { importFinished, uploadImportFile } from '../../../test/imports.ts';
import { buildOrg, type Org } from '../../../test/fixtures.ts';

let t: TestApp;
let org: Org;
let mgr: Client;
beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  mgr = org.users.mgrA.client;
});
afterAll(async () => {
  await t.close();
});

function upload(name: string, data: Buffer, headers: Record<string, string> = {}) {
  return uploadImportFile(t, mgr, name, data, {
    contentType: 'application/octet-stream',
    headers,
  });
}

const finished = (id: string): Promise<ImportJob> => importFinished(mgr, id);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip of the given parts, deflated, as a spreadsheet program writes it; a part may declare
 * another inflated size in the central directory than it has (as a forged file does).
 */
function zip(parts: { name: string; data: string | Buffer; declaredSize?: number }[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const data = Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data);
    const packed = deflateRawSync(data, { level: 9 });
    const name = Buffer.from(part.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(part.declaredSize ?? data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    out.push(local, name, packed);
    central.push(entry, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, directory, end]);
}

/** A workbook of one sheet whose rows are the given XML. */
function workbook(rowsXml: string | Buffer, declaredSize?: number): Buffer {
  const sheet = Buffer.concat([
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    ),
    Buffer.isBuffer(rowsXml) ? rowsXml : Buffer.from(rowsXml),
    Buffer.from('</sheetData></worksheet>'),
  ]);
  return zip([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    },
    {
      name: 'xl/workbook.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="线索" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: sheet,
      ...(declaredSize ? { declaredSize } : {}),
    },
  ]);
}

const inline = (ref: string, text: string) =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const header = `<row r="1">${inline('A1', '公司名称')}${inline('B1', '手机')}</row>`;

async function importCount(): Promise<number> {
  return (await mgr.get('/api/v1/imports')).json<{ items: ImportJob[] }>().items.length;
}

describe('workbooks cannot stall or sink the server', () => {
  it('refuses a zip bomb by its compression ratio before inflating it, and keeps nothing', async () => {
    const before = await importCount();
    const row = `<row>${inline('A2', '杭州云帆科技有限公司')}${inline('B2', '13800001111')}</row>`;
    // 64 MB of sheet in a file of about 300 KB.
    const bomb = workbook(header + row.repeat(Math.ceil((64 * 1024 * 1024) / row.length)));
    expect(bomb.length).toBeLessThan(400 * 1024);
    const res = await upload('bomb.xlsx', bomb);
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details).toMatchObject({ limit: 'ratio', max: 100 });
    expect(body.error.message).toContain('压缩比超过 100 倍');
    expect(await importCount()).toBe(before);
  });

  it('refuses a workbook whose parts declare more than the inflated size limit', async () => {
    const forged = workbook(header, 2 * 1024 * 1024 * 1024);
    const res = await upload('big.xlsx', forged, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.details).toMatchObject({ limit: 'inflated' });
    expect(body.error.message).toContain('inflates past the limit of 1,024 MB');
  });

  it('refuses a sheet with more columns than the limit, in the reader’s language', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('线索');
    ws.addRow(['公司名称', '手机']);
    ws.getCell(2, 1).value = '杭州云帆科技有限公司';
    ws.getCell(2, 1001).value = '多出来的一列';
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const zh = await upload('wide.xlsx', file);
    expect(zh.statusCode).toBe(400);
    expect(zh.json<ErrorBody>().error).toMatchObject({
      details: { limit: 'columns', max: 1000, found: 1001 },
    });
    expect(zh.json<ErrorBody>().error.message).toBe(
      '工作表超过 1,000 列的上限（出现第 1,001 列），请删除多余的列后再导入。',
    );
    const en = await upload('wide.xlsx', file, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json<ErrorBody>().error.message).toBe(
      'The sheet has more columns than the limit of 1,000 (column 1,001); remove the columns not imported',
    );
  });

  it('refuses a sheet with a row past 1,048,576, though the file is tiny and states no extent', async () => {
    const file = workbook(
      `${header}<row r="2">${inline('A2', '杭州云帆科技有限公司')}</row>` +
        `<row r="1048577">${inline('A1048577', '越界的一行')}</row>`,
    );
    const res = await upload('tall.xlsx', file);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error).toMatchObject({
      details: { limit: 'rows', max: 1_048_576, found: 1_048_577 },
      message: '工作表超过 1,048,576 行的上限（出现第 1,048,577 行），请拆分后再导入。',
    });
  });

  it('reads sparse cells, shared strings and dates of a sound workbook, previewing the first rows only', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('线索');
    ws.addRow(['公司名称', '联系人', '手机', '地址', '来源']);
    for (let i = 0; i < 30; i++)
      ws.addRow([`宁波第${String(i)}号贸易有限公司`, '王总', 13900000000 + i]);
    ws.getCell('E3').value = '展会';
    wb.addWorksheet('别的表').addRow(['不读这一张']);
    const res = await upload('sparse.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode).toBe(201);
    const job = res.json<ImportJob>();
    expect(job.headers).toEqual(['公司名称', '联系人', '手机', '地址', '来源']);
    const preview = (await mgr.get(`/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[1]).toMatchObject({
      row: 2,
      values: { company: '宁波第1号贸易有限公司', phone: '13900000001', source: '展会' },
    });
  });
});

describe('UTF-16 text files', () => {
  it('reads Excel’s “Unicode text” (UTF-16 with its byte-order mark, tab-separated)', async () => {
    const text = [
      '公司名称\t联系人\t手机\t地址',
      '温州大华贸易有限公司\t陈总\t13800003333\t浙江省温州市鹿城区, 五马街1号',
      '台州小华科技有限公司\t林工\t13800004444\t',
    ].join('\r\n');
    for (const [encoding, data] of [
      ['utf-16le', Buffer.from(`\uFEFF${text}`, 'utf16le')],
      ['utf-16be', Buffer.from(`\uFEFF${text}`, 'utf16le').swap16()],
    ] as const) {
      const res = await upload('unicode.txt', data, { 'content-type': 'text/csv' });
      expect(res.statusCode).toBe(201);
      const job = res.json<ImportJob>();
      expect(job).toMatchObject({
        format: 'csv',
        encoding,
        headers: ['公司名称', '联系人', '手机', '地址'],
      });
      const preview = (await mgr.get(`/api/v1/imports/${job.id}/preview`)).json<ImportPreview>();
      expect(preview.rows[0]?.values).toMatchObject({
        company: '温州大华贸易有限公司',
        address: '浙江省温州市鹿城区, 五马街1号',
      });
      if (encoding === 'utf-16le') {
        expect((await mgr.post(`/api/v1/imports/${job.id}/start`)).statusCode).toBe(202);
        const done = await finished(job.id);
        expect(done).toMatchObject({ status: 'done', rowsDone: 2 });
        expect(done.counts.created).toBe(2);
      }
    }
  });
});

describe('imports of one tenant', () => {
  it('run two at a time; the third waits in the queue until one is done', async () => {
    // Files long enough to take seconds, so that runs would overlap if nothing held them back.
    const ROWS = 6000;
    const files = [0, 1, 2].map((f) => {
      const lines = ['公司名称,手机'];
      for (let i = 0; i < ROWS; i++)
        lines.push(
          `并发${String(f)}号第${String(i)}家有限公司,137${String(f * 10_000_000 + i).padStart(8, '0')}`,
        );
      return Buffer.from(lines.join('\n'));
    });
    const jobs: ImportJob[] = [];
    for (const [i, file] of files.entries()) {
      const res = await upload(`batch-${String(i)}.csv`, file, { 'content-type': 'text/csv' });
      jobs.push(res.json<ImportJob>());
    }
    for (const job of jobs)
      expect((await mgr.post(`/api/v1/imports/${job.id}/start`)).statusCode).toBe(202);
    let most = 0;
    let waitedBesideTwo = false;
    for (let i = 0; i < 1200; i++) {
      const statuses = await Promise.all(
        jobs.map(async (j) => (await mgr.get(`/api/v1/imports/${j.id}`)).json<ImportJob>().status),
      );
      const running = statuses.filter((s) => s === 'running').length;
      most = Math.max(most, running);
      if (running === 2 && statuses.includes('queued')) waitedBesideTwo = true;
      if (statuses.every((s) => s === 'done' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(most).toBe(2);
    expect(waitedBesideTwo).toBe(true);
    for (const job of jobs) expect((await finished(job.id)).counts.created).toBe(ROWS);
  }, 180_000);
});
