/**
 * The lead file the `import` bench uploads: a CSV with the headers a Chinese
 * sales team's export has (公司名称,联系人,手机,地址,来源), the same rows for a
 * given seed, written row by row to disk. Shares of rows are planted exactly:
 * wrong phones, phones of customers already in the database, rows repeating an
 * earlier row of the file (the same number, often written differently) and, for
 * the rest, new mobiles that are in neither the file nor the database. What
 * each row should come out as is written beside it, one byte a row, so the
 * bench can check every row's outcome and not only the totals.
 *
 * It runs in a child process (leads-file-process.ts), so the generator's
 * memory (the names it has handed out, the phones used) is not counted in the
 * importing process's RSS. Whether a candidate phone is in the database is
 * asked of the parent, which holds the connection.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { normalizePhone } from '../../packages/server/src/modules/normalize/phone.ts';
import { generateCustomers } from '../generate/companies.ts';
import { Random, Weighted } from '../generate/random.ts';
import { givenChars, mobilePrefixes, surnames } from '../generate/vocabulary.ts';

export const LEAD_HEADERS = ['公司名称', '联系人', '手机', '地址', '来源'] as const;

/** Expected outcome of a row, as stored in the kinds file (one byte a row). */
export const rowKinds = [
  'new',
  'invalid phone',
  'customer phone',
  'repeat in chunk',
  'repeat of earlier chunk',
] as const;
export type RowKind = (typeof rowKinds)[number];

export interface LeadsFilePlan {
  rows: number;
  invalid: number;
  customer: number;
  repeat: number;
  fresh: number;
}

/** 5% wrong phones, 3% customers' phones, 5% repeats, the rest new. */
export function leadsFilePlan(rows: number): LeadsFilePlan {
  const invalid = Math.round(rows * 0.05);
  const customer = Math.round(rows * 0.03);
  const repeat = Math.round(rows * 0.05);
  return { rows, invalid, customer, repeat, fresh: rows - invalid - customer - repeat };
}

export interface CustomerPhone {
  name: string;
  kind: 'company' | 'person';
  /** As stored on the customer, in whatever layout it was typed. */
  phone: string;
  e164: string;
}

export interface LeadsFileRequest {
  file: string;
  kindsFile: string;
  rows: number;
  seed: number;
  /** IMPORT_CHUNK_ROWS: whether a repeat falls in its original's chunk decides its reason. */
  chunkRows: number;
  source: string;
  customers: CustomerPhone[];
}

export interface LeadsFileSummary {
  plan: LeadsFilePlan;
  bytes: number;
  counts: Record<RowKind, number>;
  /** New candidates dropped because the database already had the number. */
  takenInDatabase: number;
  seconds: number;
}

/** Messages between the bench and the generating child process. */
export type ToChild =
  { type: 'start'; request: LeadsFileRequest } | { type: 'taken'; e164: string[] };
export type FromChild =
  | { type: 'check'; e164: string[] }
  | { type: 'done'; summary: LeadsFileSummary }
  | { type: 'failed'; message: string };

const CHECK_BATCH = 20_000;
const RECENT = 1_000;
const RESERVOIR = 20_000;

interface Original {
  no: number;
  company: string;
  contact: string;
  mobile: string;
  address: string;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The ways people write a mobile in a spreadsheet, as the customer generator does. */
function formatMobile(random: Random, n: string): string {
  const f = random.next();
  if (f < 0.82) return n;
  if (f < 0.89) return `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
  if (f < 0.95) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
  return `+86 ${n}`;
}

/** What a wrong number in a lead list looks like: a digit short or over, a typo, a placeholder. */
function wrongPhone(random: Random, n: string): string {
  for (;;) {
    const f = random.next();
    const at = random.between(3, 10);
    const candidate =
      f < 0.3
        ? n.slice(0, at) + n.slice(at + 1)
        : f < 0.5
          ? n.slice(0, at) + String(random.int(10)) + n.slice(at)
          : f < 0.65
            ? `${n.slice(0, at)}${random.pick(['O', 'l', 'o', 'I'])}${n.slice(at + 1)}`
            : f < 0.75
              ? `1${random.pick(['0', '1', '2'])}${n.slice(2)}`
              : f < 0.85
                ? random.pick(['无', '暂无', '不详', '-', '0', '000', '/'])
                : n.slice(0, random.between(5, 8));
    // The bench counts on it being refused: draw again if the cleaner would take it.
    if (candidate.trim() !== '' && !normalizePhone(candidate)) return candidate;
  }
}

/**
 * Writes the file and the kinds file; `taken` answers which of the given E.164
 * numbers the database already has (customers, contacts or leads).
 */
export async function writeLeadsFile(
  req: LeadsFileRequest,
  taken: (e164: string[]) => Promise<string[]>,
): Promise<LeadsFileSummary> {
  const started = performance.now();
  const plan = leadsFilePlan(req.rows);
  const random = new Random(req.seed);
  const companies = generateCustomers(req.seed + 1);
  const surnamePick = Weighted.zipf(surnames, 0.7);
  const givenPick = Weighted.zipf(Array.from(new Set(givenChars)), 0.6);
  const mobilePick = new Weighted(mobilePrefixes);
  const counts = Object.fromEntries(rowKinds.map((k) => [k, 0])) as Record<RowKind, number>;
  const kinds = Buffer.alloc(req.rows);
  const used = new Set<string>(req.customers.map((c) => c.e164));
  const supply: string[] = [];
  let takenInDatabase = 0;

  /** New mobiles, unique in the file and checked against the database a batch at a time. */
  const freshMobile = async (): Promise<string> => {
    while (supply.length === 0) {
      const batch: string[] = [];
      while (batch.length < CHECK_BATCH) {
        const n = mobilePick.pick(random) + random.digits(8);
        if (used.has(`+86${n}`)) continue;
        used.add(`+86${n}`);
        batch.push(n);
      }
      const inDatabase = new Set(await taken(batch.map((n) => `+86${n}`)));
      takenInDatabase += inDatabase.size;
      // Reversed, so pop() hands them out in the order drawn.
      supply.push(...batch.filter((n) => !inDatabase.has(`+86${n}`)).reverse());
    }
    const n = supply.pop();
    if (n === undefined) throw new Error('no fresh mobile');
    return n;
  };
  const personName = () => {
    let name = surnamePick.pick(random);
    const given = random.chance(0.3) ? 1 : 2;
    for (let i = 0; i < given; i++) name += givenPick.pick(random);
    return name;
  };

  const recent: Original[] = [];
  const reservoir: Original[] = [];
  let originals = 0;
  const remember = (o: Original) => {
    originals++;
    if (recent.length >= RECENT) recent.shift();
    recent.push(o);
    if (reservoir.length < RESERVOIR) reservoir.push(o);
    else {
      const i = random.int(originals);
      if (i < RESERVOIR) reservoir[i] = o;
    }
  };

  const out = fs.createWriteStream(req.file);
  let bytes = 0;
  let pending = '';
  const write = async (text: string) => {
    pending += text;
    if (pending.length < 1 << 16) return;
    const chunk = Buffer.from(pending);
    pending = '';
    bytes += chunk.length;
    if (!out.write(chunk))
      await new Promise<void>((resolve) => {
        out.once('drain', () => {
          resolve();
        });
      });
  };
  await write(`\uFEFF${LEAD_HEADERS.join(',')}\r\n`);

  // Each kind drawn in proportion to what is left of it, so the totals are exact.
  const left = {
    invalid: plan.invalid,
    customer: plan.customer,
    repeat: plan.repeat,
    fresh: plan.fresh,
  };
  const chunkOf = (no: number) => Math.floor((no - 1) / req.chunkRows);
  for (let no = 1; no <= req.rows; no++) {
    const remaining = req.rows - no + 1;
    let pick = random.int(remaining);
    let kind: keyof typeof left = 'fresh';
    for (const k of ['invalid', 'customer', 'repeat', 'fresh'] as const) {
      if (pick < left[k]) {
        kind = k;
        break;
      }
      pick -= left[k];
    }
    // The first rows have nothing to repeat yet; a new row now, a repeat later.
    if (kind === 'repeat' && originals === 0) kind = 'fresh';
    left[kind]--;

    let cells: string[];
    let rowKind: RowKind;
    if (kind === 'repeat') {
      const o =
        random.chance(0.5) || reservoir.length === 0
          ? (recent[random.int(recent.length)] ?? reservoir[0])
          : reservoir[random.int(reservoir.length)];
      if (!o) throw new Error('nothing to repeat');
      cells = [
        o.company,
        random.chance(0.8) ? o.contact : '',
        formatMobile(random, o.mobile),
        random.chance(0.5) ? o.address : '',
        req.source,
      ];
      rowKind = chunkOf(o.no) === chunkOf(no) ? 'repeat in chunk' : 'repeat of earlier chunk';
    } else if (kind === 'customer') {
      const c = req.customers[random.int(req.customers.length)];
      if (!c) throw new Error('no customer phones to plant');
      const other = companies.next().value;
      cells =
        c.kind === 'company'
          ? [c.name, personName(), c.phone, other.address ?? '', req.source]
          : ['', c.name, c.phone, other.address ?? '', req.source];
      rowKind = 'customer phone';
    } else {
      const c = companies.next().value;
      const contact = c.kind === 'person' ? c.name : random.chance(0.85) ? personName() : '';
      const company = c.kind === 'person' ? '' : c.name;
      const address = c.address ?? '';
      const mobile = await freshMobile();
      if (kind === 'invalid') {
        cells = [company, contact, wrongPhone(random, mobile), address, req.source];
        rowKind = 'invalid phone';
      } else {
        cells = [company, contact, formatMobile(random, mobile), address, req.source];
        rowKind = 'new';
        remember({ no, company, contact, mobile, address });
      }
    }
    counts[rowKind]++;
    kinds[no - 1] = rowKinds.indexOf(rowKind);
    await write(`${cells.map(csvCell).join(',')}\r\n`);
  }
  const last = Buffer.from(pending);
  bytes += last.length;
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(last, resolve);
  });
  fs.writeFileSync(req.kindsFile, kinds);
  return {
    plan,
    bytes,
    counts,
    takenInDatabase,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Writes the file in a child process; `taken` is asked, in batches, which
 * candidate numbers the database already has.
 */
export function generateLeadsFile(
  request: LeadsFileRequest,
  taken: (e164: string[]) => Promise<string[]>,
): Promise<LeadsFileSummary> {
  const child = fork(path.join(import.meta.dirname, 'leads-file-process.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<LeadsFileSummary>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, summary?: LeadsFileSummary) => {
      if (settled) return;
      settled = true;
      if (err || !summary) {
        child.kill();
        reject(err ?? new Error('no summary'));
      } else resolve(summary);
    };
    child.on('message', (m: FromChild) => {
      if (m.type === 'check')
        taken(m.e164).then(
          (e164) => child.send({ type: 'taken', e164 } satisfies ToChild),
          (err: unknown) => {
            finish(err instanceof Error ? err : new Error(String(err)));
          },
        );
      else if (m.type === 'done') finish(null, m.summary);
      else finish(new Error(`generating the lead file failed: ${m.message}`));
    });
    child.on('error', (err) => {
      finish(err);
    });
    child.on('exit', (code) => {
      finish(new Error(`the lead file generator exited with ${String(code)}`));
    });
    child.send({ type: 'start', request } satisfies ToChild);
  });
}
