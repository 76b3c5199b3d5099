// @ts-check
/**
 * Reads the first worksheet of an .xlsx file on a worker thread, so that
 * inflating and parsing a workbook never holds the HTTP server's event loop.
 *
 * The zip is read by its central directory (yauzl), which states every part's
 * compressed and inflated sizes before anything is inflated: a part too big or
 * compressed too well (a zip bomb) is refused before its first byte is
 * inflated, and yauzl fails a part whose data inflates past what the directory
 * declared. The sheet and its shared strings are parsed as they inflate by a
 * SAX parser (saxes), so memory stays bounded whatever the number of rows.
 * exceljs's streaming reader is not used: it read the zip front to back and now
 * and then lost its last parts.
 *
 * The cells come out as exceljs's whole-workbook reader gave them (the rest of
 * the import depends on it): shared, inline and formula strings as text,
 * numbers as JavaScript prints them, numbers in a date format as ISO instants,
 * booleans as true/false, errors as empty cells; rows with no value skipped.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript
 * loader of the test runner.
 *
 * Messages to the parent: { type: 'rows', rows: string[][], bytes } (bytes: the
 * share of the file read so far, as an estimate in file bytes), then
 * { type: 'end', rows } with the count of non-empty rows, or
 * { type: 'limit', limit, max, found } or { type: 'error', message }.
 * The parent answers each 'rows' message with 'ack'; the worker pauses while
 * two batches are unanswered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';

/**
 * @typedef {{
 *   path: string,
 *   fileBytes: number,
 *   emit: number,
 *   scanAll: boolean,
 *   maxInflatedBytes: number,
 *   maxRatio: number,
 *   ratioFloorBytes: number,
 *   maxRows: number,
 *   maxColumns: number,
 *   maxMemoryMb: number,
 * }} Options
 */
const options = /** @type {Options} */ (workerData);
if (!parentPort) throw new Error('xlsx-worker must run as a worker thread');
const port = parentPort;

class LimitError extends Error {
  /**
   * @param {'inflated' | 'ratio' | 'rows' | 'columns' | 'memory'} limit
   * @param {number} max
   * @param {number} found
   */
  constructor(limit, max, found) {
    super(`${limit} limit`);
    this.limit = limit;
    this.max = max;
    this.found = found;
  }
}

/** @param {string} name */
const local = (name) => name.slice(name.indexOf(':') + 1);

/** Column number (A = 1) of a cell reference like AB12; 0 when there is none. */
/** @param {string | undefined} ref */
function columnOf(ref) {
  if (!ref) return 0;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col;
}

/** @param {string} ref row number of a reference like AB12 */
function rowOf(ref) {
  const m = /\d+$/.exec(ref);
  return m ? Number(m[0]) : 0;
}

/** @param {yauzl.ZipFile} zip @returns {Promise<Map<string, yauzl.Entry>>} */
function entriesOf(zip) {
  return new Promise((resolve, reject) => {
    /** @type {Map<string, yauzl.Entry>} */
    const entries = new Map();
    zip.on('entry', (/** @type {yauzl.Entry} */ entry) => {
      entries.set(entry.fileName.replace(/^\/+/, ''), entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

let inflatedTotal = 0;

/** Refuses a part before inflating it when its declared size or ratio is over the limits. */
/** @param {yauzl.Entry} entry */
function checkEntry(entry) {
  inflatedTotal += entry.uncompressedSize;
  if (inflatedTotal > options.maxInflatedBytes)
    throw new LimitError('inflated', options.maxInflatedBytes, inflatedTotal);
  if (
    entry.uncompressedSize > options.ratioFloorBytes &&
    entry.uncompressedSize > options.maxRatio * Math.max(1, entry.compressedSize)
  )
    throw new LimitError(
      'ratio',
      options.maxRatio,
      Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize)),
    );
}

/**
 * Feeds one part of the zip through a SAX parser. `onProgress` is told the
 * inflated bytes read so far; `shouldPause` lets the caller hold the inflating
 * stream until `resume` is called.
 * @param {yauzl.ZipFile} zip
 * @param {yauzl.Entry} entry
 * @param {(parser: SaxesParser) => void} handlers
 * @param {{ onChunk?: (inflated: number, stream: import('node:stream').Readable) => boolean }} [hooks]
 *   onChunk answers true to stop reading: the part is left half read and the promise resolves.
 * @returns {Promise<void>}
 */
function parsePart(zip, entry, handlers, hooks = {}) {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        reject(err);
        return;
      }
      const parser = new SaxesParser();
      handlers(parser);
      const decoder = new TextDecoder('utf-8');
      let inflated = 0;
      let failed = false;
      /** @param {unknown} e */
      const fail = (e) => {
        if (failed) return;
        failed = true;
        stream.destroy();
        reject(e);
      };
      parser.on('error', fail);
      stream.on('data', (/** @type {Buffer} */ chunk) => {
        if (failed) return;
        inflated += chunk.length;
        try {
          parser.write(decoder.decode(chunk, { stream: true }));
          if (hooks.onChunk?.(inflated, stream)) {
            failed = true;
            stream.destroy();
            resolve();
          }
        } catch (e) {
          fail(e);
        }
      });
      stream.on('error', fail);
      stream.on('end', () => {
        if (failed) return;
        try {
          parser.write(decoder.decode());
          parser.close();
          resolve();
        } catch (e) {
          fail(e);
        }
      });
    });
  });
}

/**
 * The attributes of the elements of a small part (workbook, relationships) that bear the given names.
 * @param {yauzl.ZipFile} zip
 * @param {yauzl.Entry | undefined} entry
 * @param {string[]} tags
 * @returns {Promise<Record<string, string>[]>}
 */
async function elementsOf(zip, entry, tags) {
  /** @type {Record<string, string>[]} */
  const found = [];
  if (!entry) return found;
  checkEntry(entry);
  await parsePart(zip, entry, (parser) => {
    parser.on('opentag', (node) => {
      const name = local(node.name);
      if (tags.includes(name))
        found.push({ .../** @type {Record<string, string>} */ (node.attributes), '#': name });
    });
  });
  return found;
}

/**
 * The shared strings, kept as UTF-8 in one growing buffer with their offsets: a million-row
 * sheet has millions of distinct strings, and as JavaScript strings each would cost several
 * times its text in heap.
 */
class StringTable {
  constructor() {
    this.bytes = Buffer.alloc(1 << 20);
    this.used = 0;
    this.ends = new Uint32Array(1 << 16);
    this.count = 0;
  }

  /** @param {string} text */
  add(text) {
    const need = Buffer.byteLength(text);
    // Held outside the heap, so the thread's heap limit does not bound it: this does.
    const max = options.maxMemoryMb * 1024 * 1024;
    if (this.used + need > max)
      throw new LimitError('memory', options.maxMemoryMb, options.maxMemoryMb);
    if (this.used + need > this.bytes.length) {
      const grown = Buffer.alloc(Math.min(max, Math.max(this.bytes.length * 2, this.used + need)));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(text, this.used);
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.used;
  }

  /** @param {number} i */
  get(i) {
    if (!(i >= 0 && i < this.count)) return '';
    return this.bytes.toString('utf8', i ? this.ends[i - 1] : 0, this.ends[i]);
  }
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the CJK ones). */
const builtinDateFormats = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

/** Whether a format code shows a date, as exceljs decides it. */
/** @param {string} code */
function isDateFormat(code) {
  return /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Resolves a relationship target against the part that names it. */
/** @param {string} base @param {string} target */
function resolvePart(base, target) {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  return parts.join('/');
}

async function main() {
  const zip = await yauzl.openPromise(options.path, {
    lazyEntries: true,
    autoClose: false,
    validateEntrySizes: true,
  });
  try {
    const entries = await entriesOf(zip);
    const sheetEntries = [...entries.keys()].filter((n) => /^xl\/worksheets\/[^/]+\.xml$/i.test(n));
    // The workbook and its relationships name the first sheet and the shared strings.
    const workbook = await elementsOf(zip, entries.get('xl/workbook.xml'), ['workbookPr', 'sheet']);
    const workbookPr = workbook.find((e) => e['#'] === 'workbookPr');
    const date1904 = workbookPr?.date1904 === '1' || workbookPr?.date1904 === 'true';
    const sheets = workbook.filter((e) => e['#'] === 'sheet');
    const rels = await elementsOf(zip, entries.get('xl/_rels/workbook.xml.rels'), ['Relationship']);
    const target = (/** @type {string | undefined} */ id) => {
      const rel = rels.find((r) => r.Id === id);
      return rel?.Target ? resolvePart('xl/workbook.xml', rel.Target) : undefined;
    };
    const firstSheet = sheets[0];
    const sheetName =
      target(
        firstSheet?.['r:id'] ??
          Object.entries(firstSheet ?? {}).find(([k]) => local(k) === 'id')?.[1],
      ) ?? (entries.has('xl/worksheets/sheet1.xml') ? 'xl/worksheets/sheet1.xml' : sheetEntries[0]);
    const sheet = sheetName ? entries.get(sheetName) : undefined;
    if (!sheet) throw new Error('the workbook has no worksheet');
    const byType = (/** @type {string} */ type) =>
      rels.find((r) => r.Type?.endsWith(`/${type}`))?.Target;
    const stringsName = byType('sharedStrings');
    const stylesName = byType('styles');
    const stringsEntry = entries.get(
      stringsName ? resolvePart('xl/workbook.xml', stringsName) : 'xl/sharedStrings.xml',
    );
    const stylesEntry = entries.get(
      stylesName ? resolvePart('xl/workbook.xml', stylesName) : 'xl/styles.xml',
    );
    // Every part read is checked before any is inflated.
    for (const e of [stylesEntry, stringsEntry, sheet]) if (e) checkEntry(e);

    // Styles: which cell formats show dates.
    /** @type {Map<number, string>} */
    const formats = new Map();
    /** @type {boolean[]} */
    const dateStyles = [];
    if (stylesEntry) {
      let inCellXfs = false;
      await parsePart(zip, stylesEntry, (parser) => {
        parser.on('opentag', (node) => {
          const name = local(node.name);
          const a = /** @type {Record<string, string>} */ (node.attributes);
          if (name === 'numFmt') formats.set(Number(a.numFmtId), a.formatCode ?? '');
          else if (name === 'cellXfs') inCellXfs = true;
          else if (name === 'xf' && inCellXfs) {
            const id = Number(a.numFmtId ?? 0);
            const code = formats.get(id);
            dateStyles.push(code !== undefined ? isDateFormat(code) : builtinDateFormats.has(id));
          }
        });
        parser.on('closetag', (node) => {
          if (local(node.name) === 'cellXfs') inCellXfs = false;
        });
      });
    }

    // Shared strings: the text of each <si>, its runs joined, phonetic runs left out.
    const strings = new StringTable();
    if (stringsEntry) {
      let text = '';
      let inT = false;
      let inPhonetic = 0;
      await parsePart(zip, stringsEntry, (parser) => {
        parser.on('opentag', (node) => {
          const name = local(node.name);
          if (name === 'si') text = '';
          else if (name === 'rPh') inPhonetic++;
          else if (name === 't' && !inPhonetic) inT = true;
        });
        parser.on('text', (t) => {
          if (inT) text += t;
        });
        parser.on('closetag', (node) => {
          const name = local(node.name);
          if (name === 't') inT = false;
          else if (name === 'rPh') inPhonetic--;
          else if (name === 'si') strings.add(text);
        });
      });
    }

    await readSheet(zip, sheet, strings, dateStyles, date1904);
  } finally {
    zip.close();
  }
}

/** Batches posted and not yet answered; the inflating stream waits while two are. */
let unanswered = 0;
/** @type {(() => void) | null} */
let onAnswer = null;
port.on('message', (msg) => {
  if (msg === 'ack') {
    unanswered--;
    onAnswer?.();
  }
});

/**
 * @param {yauzl.ZipFile} zip
 * @param {yauzl.Entry} sheet
 * @param {StringTable} strings
 * @param {boolean[]} dateStyles
 * @param {boolean} date1904
 */
async function readSheet(zip, sheet, strings, dateStyles, date1904) {
  const { maxRows, maxColumns, emit, scanAll } = options;
  /** @type {string[][]} */
  let batch = [];
  let batchCells = 0;
  let emitted = 0;
  let rowsFound = 0;
  let lastRow = 0;
  let inflatedSoFar = 0;
  const estimate = () =>
    Math.min(
      options.fileBytes,
      Math.round((options.fileBytes * inflatedSoFar) / Math.max(1, sheet.uncompressedSize)),
    );
  const flush = () => {
    if (!batch.length) return;
    unanswered++;
    port.postMessage({ type: 'rows', rows: batch, bytes: estimate() });
    batch = [];
    batchCells = 0;
  };

  /** @type {string[]} */
  let cells = [];
  let cellCol = 0;
  /** @type {string | undefined} */
  let cellType;
  let cellStyle = 0;
  let value = '';
  let inValue = false;
  let inInline = false;
  let inPhonetic = 0;
  let hasValue = false;
  let done = false;

  const endCell = () => {
    if (!hasValue) return;
    let text = value;
    switch (cellType) {
      case 's':
        text = strings.get(Number(value));
        break;
      case 'inlineStr':
      case 'str':
        break;
      case 'b':
        text = value === '1' || value === 'true' ? 'true' : 'false';
        break;
      case 'e':
        text = '';
        break;
      case 'd':
        text = new Date(value).toISOString();
        break;
      default: {
        const n = Number(value);
        if (value.trim() === '' || Number.isNaN(n)) break;
        text = dateStyles[cellStyle]
          ? new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)).toISOString()
          : String(n);
      }
    }
    text = text.trim();
    if (text === '') return;
    if (cellCol > maxColumns) throw new LimitError('columns', maxColumns, cellCol);
    while (cells.length < cellCol - 1) cells.push('');
    cells[cellCol - 1] = text;
  };

  await parsePart(
    zip,
    sheet,
    (parser) => {
      parser.on('opentag', (node) => {
        const name = local(node.name);
        const a = /** @type {Record<string, string>} */ (node.attributes);
        switch (name) {
          case 'dimension': {
            // The sheet's own statement of its extent refuses a too-big sheet before its rows.
            const last = (a.ref ?? '').split(':').pop() ?? '';
            if (rowOf(last) > maxRows) throw new LimitError('rows', maxRows, rowOf(last));
            if (columnOf(last) > maxColumns)
              throw new LimitError('columns', maxColumns, columnOf(last));
            break;
          }
          case 'row': {
            const r = a.r ? Number(a.r) : lastRow + 1;
            lastRow = r;
            if (r > maxRows) throw new LimitError('rows', maxRows, r);
            cells = [];
            cellCol = 0;
            break;
          }
          case 'c':
            cellCol = a.r ? columnOf(a.r) : cellCol + 1;
            cellType = a.t;
            cellStyle = Number(a.s ?? 0);
            value = '';
            hasValue = false;
            inPhonetic = 0;
            break;
          case 'v':
            inValue = true;
            hasValue = true;
            break;
          case 'is':
            inInline = true;
            hasValue = true;
            break;
          case 'rPh':
            inPhonetic++;
            break;
          case 't':
            if (inInline && !inPhonetic) inValue = true;
            break;
          default:
            break;
        }
      });
      parser.on('text', (t) => {
        if (inValue) value += t;
      });
      parser.on('closetag', (node) => {
        switch (local(node.name)) {
          case 'v':
          case 't':
            inValue = false;
            break;
          case 'rPh':
            inPhonetic--;
            break;
          case 'is':
            inInline = false;
            break;
          case 'c':
            endCell();
            break;
          case 'row':
            if (cells.length === 0) break;
            rowsFound++;
            if (emitted < emit) {
              batch.push(cells);
              batchCells += cells.length;
              emitted++;
              if (batch.length >= 1000 || batchCells >= 20_000 || emitted === emit) flush();
            }
            if (emitted >= emit && !scanAll) done = true;
            break;
          default:
            break;
        }
      });
    },
    {
      onChunk(inflated, stream) {
        inflatedSoFar = inflated;
        if (done) return true;
        if (unanswered >= 2) {
          stream.pause();
          onAnswer = () => {
            if (unanswered < 2) {
              onAnswer = null;
              stream.resume();
            }
          };
        }
        return false;
      },
    },
  );
  inflatedSoFar = sheet.uncompressedSize;
  flush();
  port.postMessage({ type: 'end', rows: rowsFound });
}

main().catch((err) => {
  if (err instanceof LimitError)
    port.postMessage({ type: 'limit', limit: err.limit, max: err.max, found: err.found });
  else
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
});
