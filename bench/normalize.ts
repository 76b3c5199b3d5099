/**
 * Normalisation speed: 100,000 calls of each normaliser on realistic inputs.
 * Prints figures; asserts nothing.
 */
import { parseAddress } from '../packages/server/src/modules/normalize/address.ts';
import { normalizeCompanyName } from '../packages/server/src/modules/normalize/company.ts';
import {
  normalizeCreditCode,
  normalizeIdCard,
} from '../packages/server/src/modules/normalize/identity.ts';
import { normalizePhone } from '../packages/server/src/modules/normalize/phone.ts';

const N = 100_000;
const cases: [string, (i: number) => unknown][] = [
  ['parseAddress', (i) => parseAddress(`浙江省杭州市西湖区文三路${i % 500}号${i % 30}幢`)],
  ['normalizeCompanyName', (i) => normalizeCompanyName(`浙江杭州云帆${i}科技股份有限公司`)],
  [
    'normalizePhone (mobile)',
    (i) =>
      normalizePhone(
        `138 ${String(10_000_000 + i).slice(0, 4)} ${String(i % 10_000).padStart(4, '0')}`,
      ),
  ],
  ['normalizePhone (landline)', (i) => normalizePhone(`0571-8${String(i).padStart(7, '0')}`)],
  ['normalizeCreditCode', () => normalizeCreditCode('91350100M000100Y43')],
  ['normalizeIdCard', () => normalizeIdCard('11010519491231002X')],
];

for (const [name, fn] of cases) {
  fn(0);
  const start = performance.now();
  for (let i = 0; i < N; i++) fn(i);
  const ms = performance.now() - start;
  console.log(
    `${name.padEnd(28)} ${Math.round(ms)} ms per ${N.toLocaleString('en')} calls (${((ms * 1000) / N).toFixed(1)} µs each)`,
  );
}
