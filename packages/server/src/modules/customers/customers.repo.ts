import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  ilike,
  inArray,
  isNotNull,
  isNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type {
  Contact,
  ContactListQuery,
  Customer,
  CustomerListQuery,
  contactSortFields,
  customerSortFields,
} from '@tide/contract';
import { visibleTo, type DataScope } from '../../platform/access.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { countRows, escapeLike, type Sort } from '../../platform/paging.ts';
import { users } from '../org/org.table.ts';
import { contacts, customers, type ContactRow, type CustomerRow } from './customers.table.ts';

/** "Customers this caller may see": the one predicate every read of customers goes through. */
export function customersVisibleTo(scope: DataScope): SQL {
  return visibleTo(scope, 'customer', {
    tenantId: customers.tenantId,
    ownerId: customers.ownerId,
    poolId: customers.poolId,
  });
}

/** A contact is visible exactly when its customer is. */
export function contactsVisibleTo(scope: DataScope): SQL {
  return sql`${contacts.customerId} IN (SELECT customers.id FROM customers
    WHERE customers.deleted_at IS NULL AND ${customersVisibleTo(scope)})`;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const customerColumns = { ...getTableColumns(customers), ownerName: users.displayName };

export function toCustomer(r: CustomerRow & { ownerName: string | null }): Customer {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    creditCode: r.creditCode,
    idNumber: r.idNumber,
    licenceNumber: r.licenceNumber,
    orgCode: r.orgCode,
    taxNumber: r.taxNumber,
    phone: r.phone,
    phoneE164: r.phoneE164,
    industry: r.industry,
    size: r.size,
    address: r.address,
    provinceCode: r.provinceCode,
    cityCode: r.cityCode,
    districtCode: r.districtCode,
    addressDetail: r.addressDetail,
    lat: r.lat,
    lng: r.lng,
    lifecycleStage: r.lifecycleStage,
    valueTier: r.valueTier,
    tags: r.tags,
    source: r.source,
    poolState: r.ownerId ? 'private' : 'public',
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    poolId: r.poolId,
    claimedAt: iso(r.claimedAt),
    lastFollowUpAt: iso(r.lastFollowUpAt),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function findVisibleCustomer(
  db: DbOrTx,
  scope: DataScope,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<CustomerRow | undefined> {
  const q = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), isNull(customers.deletedAt), customersVisibleTo(scope)));
  const [row] = opts.lock ? await q.for('update') : await q;
  return row;
}

export async function getCustomerView(
  db: DbOrTx,
  scope: DataScope,
  id: string,
): Promise<Customer | undefined> {
  const [row] = await db
    .select(customerColumns)
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(and(eq(customers.id, id), isNull(customers.deletedAt), customersVisibleTo(scope)));
  return row ? toCustomer(row) : undefined;
}

const customerSort = {
  createdAt: customers.createdAt,
  updatedAt: customers.updatedAt,
  name: customers.name,
  lastFollowUpAt: customers.lastFollowUpAt,
  claimedAt: customers.claimedAt,
} satisfies Record<(typeof customerSortFields)[number], unknown>;

export async function listCustomers(
  db: DbOrTx,
  scope: DataScope,
  q: CustomerListQuery,
  sort: Sort<(typeof customerSortFields)[number]>,
): Promise<{ items: Customer[]; total: number; totalIsEstimate?: true }> {
  const filters: (SQL | undefined)[] = [
    customersVisibleTo(scope),
    isNull(customers.deletedAt),
    q.poolState === 'public' ? isNull(customers.ownerId) : undefined,
    q.poolState === 'private' ? isNotNull(customers.ownerId) : undefined,
    q.ownerId?.length ? inArray(customers.ownerId, q.ownerId) : undefined,
    q.kind ? eq(customers.kind, q.kind) : undefined,
    q.source?.length ? inArray(customers.source, q.source) : undefined,
    q.tag ? sql`${customers.tags} @> ARRAY[${q.tag}]::text[]` : undefined,
  ];
  if (q.q) {
    const digits = q.q.replace(/\D/g, '');
    filters.push(
      or(
        ilike(customers.name, `%${escapeLike(q.q)}%`),
        eq(customers.creditCode, q.q.toUpperCase()),
        digits.length >= 4
          ? sql`regexp_replace(coalesce(${customers.phone}, ''), '\\D', '', 'g') LIKE ${`%${digits}%`}`
          : undefined,
      ),
    );
  }
  const where = and(...filters);
  const col = customerSort[sort.field];
  const [items, count] = await Promise.all([
    db
      .select(customerColumns)
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(where)
      .orderBy(
        sort.descending ? sql`${col} DESC NULLS LAST` : sql`${col} ASC NULLS LAST`,
        sort.descending ? desc(customers.id) : asc(customers.id),
      )
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countRows(
      db,
      db
        .select({ one: sql`1` })
        .from(customers)
        .where(where),
    ),
  ]);
  return { items: items.map(toCustomer), ...count };
}

const contactColumns = { ...getTableColumns(contacts), customerName: customers.name };

function toContact(r: ContactRow & { customerName: string }): Contact {
  return {
    id: r.id,
    customerId: r.customerId,
    customerName: r.customerName,
    name: r.name,
    title: r.title,
    phone: r.phone,
    phoneE164: r.phoneE164,
    email: r.email,
    wechat: r.wechat,
    birthday: r.birthday,
    preferences: r.preferences,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function getContactView(
  db: DbOrTx,
  scope: DataScope,
  id: string,
): Promise<Contact | undefined> {
  const [row] = await db
    .select(contactColumns)
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt), contactsVisibleTo(scope)));
  return row ? toContact(row) : undefined;
}

const contactSort = {
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  name: contacts.name,
} satisfies Record<(typeof contactSortFields)[number], unknown>;

export async function listContacts(
  db: DbOrTx,
  scope: DataScope,
  q: ContactListQuery,
  sort: Sort<(typeof contactSortFields)[number]>,
): Promise<{ items: Contact[]; total: number; totalIsEstimate?: true }> {
  const where = and(
    contactsVisibleTo(scope),
    isNull(contacts.deletedAt),
    q.customerId ? eq(contacts.customerId, q.customerId) : undefined,
    q.q
      ? or(
          ilike(contacts.name, `%${escapeLike(q.q)}%`),
          ilike(contacts.phone, `%${escapeLike(q.q)}%`),
        )
      : undefined,
  );
  const col = contactSort[sort.field];
  const [items, count] = await Promise.all([
    db
      .select(contactColumns)
      .from(contacts)
      .innerJoin(customers, eq(customers.id, contacts.customerId))
      .where(where)
      .orderBy(sort.descending ? desc(col) : asc(col), asc(contacts.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countRows(
      db,
      db
        .select({ one: sql`1` })
        .from(contacts)
        .where(where),
    ),
  ]);
  return { items: items.map(toContact), ...count };
}
