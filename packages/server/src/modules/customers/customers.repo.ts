import {
  and,
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
import {
  contactSortFields,
  customerSortFields,
  type Contact,
  type ContactListQuery,
  type Customer,
  type CustomerListQuery,
} from '@tide/contract';
import { visibleTo, type DataScope } from '../../platform/access.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { countRows, escapeLike, parseSort, type Sort } from '../../platform/paging.ts';
import { untouchedByTerritory } from '../pool/territory.ts';
import {
  after,
  batchOf,
  keysetValue,
  orderBy,
  type Batch,
  type Keyset,
  type ListOrder,
} from '../exports/keyset.ts';
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

export type CustomerSort = Sort<(typeof customerSortFields)[number]>;

/** The list's `sort` with its default, newest first. */
export function customerListSort(sort: string | undefined): CustomerSort {
  return parseSort(sort, customerSortFields, '-createdAt');
}

function customerOrder(sort: CustomerSort): ListOrder {
  return {
    column: customerSort[sort.field],
    descending: sort.descending,
    id: customers.id,
    idDescending: sort.descending,
  };
}

/** The list's filters without paging; an export takes the same. */
export type CustomerFilters = Omit<CustomerListQuery, 'page' | 'pageSize' | 'sort'>;

/** The list's WHERE: the caller's scope, live customers and the filters. */
export function customerListWhere(scope: DataScope, q: CustomerFilters): SQL | undefined {
  const filters: (SQL | undefined)[] = [
    customersVisibleTo(scope),
    isNull(customers.deletedAt),
    q.poolState === 'public' ? isNull(customers.ownerId) : undefined,
    q.poolState === 'private' ? isNotNull(customers.ownerId) : undefined,
    q.ownerId?.length ? inArray(customers.ownerId, q.ownerId) : undefined,
    q.kind ? eq(customers.kind, q.kind) : undefined,
    q.source?.length ? inArray(customers.source, q.source) : undefined,
    q.tag ? sql`${customers.tags} @> ARRAY[${q.tag}]::text[]` : undefined,
    q.territory === 'none'
      ? untouchedByTerritory(
          customers.tenantId,
          customers.districtCode,
          customers.cityCode,
          customers.provinceCode,
        )
      : undefined,
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
  return and(...filters);
}

/** The list's total, an estimate above 10,000 rows. */
export function countCustomers(
  db: DbOrTx,
  where: SQL | undefined,
): Promise<{ total: number; totalIsEstimate?: true }> {
  return countRows(
    db,
    db
      .select({ one: sql`1` })
      .from(customers)
      .where(where),
  );
}

export async function listCustomers(
  db: DbOrTx,
  scope: DataScope,
  q: CustomerListQuery,
  sort: CustomerSort,
): Promise<{ items: Customer[]; total: number; totalIsEstimate?: true }> {
  const where = customerListWhere(scope, q);
  const [items, count] = await Promise.all([
    db
      .select(customerColumns)
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(where)
      .orderBy(...orderBy(customerOrder(sort)))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countCustomers(db, where),
  ]);
  return { items: items.map(toCustomer), ...count };
}

/** The next `limit` rows of the list after `last`, in the list's order: how exports read it. */
export async function customerBatch(
  db: DbOrTx,
  where: SQL | undefined,
  sort: CustomerSort,
  last: Keyset | null,
  limit: number,
): Promise<Batch<Customer>> {
  const order = customerOrder(sort);
  const rows = await db
    .select({ ...customerColumns, sortKey: keysetValue(order) })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(and(where, after(order, last)))
    .orderBy(...orderBy(order))
    .limit(limit);
  return batchOf(rows, toCustomer);
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

export type ContactSort = Sort<(typeof contactSortFields)[number]>;

/** The list's `sort` with its default, by name. */
export function contactListSort(sort: string | undefined): ContactSort {
  return parseSort(sort, contactSortFields, 'name');
}

/** Contacts break ties by id ascending whatever the direction (their columns are never null). */
function contactOrder(sort: ContactSort): ListOrder {
  return {
    column: contactSort[sort.field],
    descending: sort.descending,
    id: contacts.id,
    idDescending: false,
  };
}

/** The list's filters without paging; an export takes the same. */
export type ContactFilters = Omit<ContactListQuery, 'page' | 'pageSize' | 'sort'>;

/** The list's WHERE: contacts of customers the caller may see, live, and the filters. */
export function contactListWhere(scope: DataScope, q: ContactFilters): SQL | undefined {
  return and(
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
}

/** The list's total, an estimate above 10,000 rows. */
export function countContacts(
  db: DbOrTx,
  where: SQL | undefined,
): Promise<{ total: number; totalIsEstimate?: true }> {
  return countRows(
    db,
    db
      .select({ one: sql`1` })
      .from(contacts)
      .where(where),
  );
}

export async function listContacts(
  db: DbOrTx,
  scope: DataScope,
  q: ContactListQuery,
  sort: ContactSort,
): Promise<{ items: Contact[]; total: number; totalIsEstimate?: true }> {
  const where = contactListWhere(scope, q);
  const [items, count] = await Promise.all([
    db
      .select(contactColumns)
      .from(contacts)
      .innerJoin(customers, eq(customers.id, contacts.customerId))
      .where(where)
      .orderBy(...orderBy(contactOrder(sort)))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    countContacts(db, where),
  ]);
  return { items: items.map(toContact), ...count };
}

/** The next `limit` rows of the list after `last`, in the list's order: how exports read it. */
export async function contactBatch(
  db: DbOrTx,
  where: SQL | undefined,
  sort: ContactSort,
  last: Keyset | null,
  limit: number,
): Promise<Batch<Contact>> {
  const order = contactOrder(sort);
  const rows = await db
    .select({ ...contactColumns, sortKey: keysetValue(order) })
    .from(contacts)
    .innerJoin(customers, eq(customers.id, contacts.customerId))
    .where(and(where, after(order, last)))
    .orderBy(...orderBy(order))
    .limit(limit);
  return batchOf(rows, toContact);
}
