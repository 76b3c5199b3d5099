import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  contact,
  contactListQuery,
  createContactBody,
  createCustomerBody,
  createFollowUpBody,
  customer,
  customerListQuery,
  followUp,
  idParams,
  mergeContactBody,
  mergeCustomerBody,
  okResponse,
  pageOf,
  reasonBody,
  timeline,
  updateContactBody,
  updateCustomerBody,
  withDuplicates,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { buildScope } from '../../platform/access.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { eq } from 'drizzle-orm';
import { customers } from './customers.table.ts';
import { mergeCustomers, mergedPointer } from './customers.merge.ts';
import { mergeContacts, mergedContactPointer } from './contacts.merge.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { registerAuditEntity } from '../audit/audit.service.ts';
import { recordTimeline } from '../leads/leads.timeline.ts';
import { registerOwnershipTransfer } from '../users/users.service.ts';
import { contactsVisibleTo, customersVisibleTo, findVisibleCustomer } from './customers.repo.ts';
import {
  addCustomerFollowUp,
  claimCustomer,
  createContact,
  createCustomer,
  deleteCustomer,
  getContact,
  getCustomer,
  listContactPage,
  listCustomerPage,
  returnCustomer,
  transferCustomersOnDeparture,
  updateContact,
  updateCustomer,
} from './customers.service.ts';

registerOwnershipTransfer('customer', transferCustomersOnDeparture);
registerAuditEntity(
  'customer',
  (scope) => sql`SELECT customers.id::text FROM customers WHERE ${customersVisibleTo(scope)}`,
);
registerAuditEntity(
  'contact',
  (scope) => sql`SELECT contacts.id::text FROM contacts WHERE ${contactsVisibleTo(scope)}`,
);

export function customersRoutes(app: App, { db }: Deps): void {
  const d = db.db;
  const tags = ['customers'];
  app.get('/customers', {
    config: { auth: 'customer.view' },
    schema: {
      tags,
      summary: 'Customers the caller may see',
      querystring: customerListQuery,
      response: { 200: pageOf(customer) },
    },
    handler: (req) => listCustomerPage(d, callerOf(req), req.query),
  });
  app.post('/customers', {
    config: { auth: 'customer.create' },
    schema: {
      tags,
      summary: 'Create a customer: yours without ownerId, public with ownerId null',
      body: createCustomerBody,
      response: { 201: withDuplicates(customer) },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createCustomer(d, callerOf(req), req.body)),
  });
  app.get('/customers/:id', {
    config: { auth: 'customer.view' },
    schema: { tags, summary: 'Get a customer', params: idParams, response: { 200: customer } },
    handler: async (req) => {
      const caller = callerOf(req);
      try {
        return await getCustomer(d, caller, req.params.id);
      } catch (err) {
        // A merged-away id answers with a pointer to its survivor.
        const survivor =
          err instanceof AppError && err.code === 'NOT_FOUND'
            ? await mergedPointer(d, caller, req.params.id)
            : null;
        if (survivor)
          throw new AppError('NOT_FOUND', 'This customer was merged into another one', {
            mergedInto: survivor,
          });
        throw err;
      }
    },
  });
  app.patch('/customers/:id', {
    config: { auth: 'customer.update' },
    schema: {
      tags,
      summary: 'Edit a customer',
      params: idParams,
      body: updateCustomerBody,
      response: { 200: withDuplicates(customer) },
    },
    handler: (req) => updateCustomer(d, callerOf(req), req.params.id, req.body),
  });
  app.delete('/customers/:id', {
    config: { auth: 'customer.delete' },
    schema: {
      tags,
      summary: 'Move a customer to the recycle bin',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteCustomer(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
  app.post('/customers/:id/merge', {
    config: { auth: 'customer.merge' },
    schema: {
      tags,
      summary:
        'Merge another customer into this one, keeping every follow-up, contact, opportunity and history entry',
      params: idParams,
      body: mergeCustomerBody,
      response: { 200: customer },
    },
    handler: (req) => mergeCustomers(d, callerOf(req), req.params.id, req.body),
  });
  app.post('/customers/:id/claim', {
    config: { auth: 'customer.claim' },
    schema: {
      tags,
      summary: 'Claim a customer from the public pool',
      params: idParams,
      body: z.object({}).optional(),
      response: { 200: customer },
    },
    handler: (req) => claimCustomer(d, callerOf(req), req.params.id),
  });
  app.post('/customers/:id/return', {
    config: { auth: 'customer.update' },
    schema: {
      tags,
      summary: 'Return a customer to the public pool with a reason',
      params: idParams,
      body: reasonBody,
      response: { 200: customer },
    },
    handler: (req) => returnCustomer(d, callerOf(req), req.params.id, req.body.reason),
  });
  app.post('/customers/:id/follow-ups', {
    config: { auth: 'followup.create' },
    schema: {
      tags,
      summary: 'Log a follow-up on a customer',
      params: idParams,
      body: createFollowUpBody,
      response: { 201: followUp },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await addCustomerFollowUp(d, callerOf(req), req.params.id, req.body)),
  });
  app.get('/customers/:id/timeline', {
    config: { auth: 'customer.view' },
    schema: {
      tags,
      summary: 'Follow-ups and audited changes of a customer, newest first',
      params: idParams,
      response: { 200: timeline },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      if (!(await findVisibleCustomer(d, await buildScope(d, caller), req.params.id)))
        throw notFound('Customer');
      // The survivor of a merge shows the history of the records merged into it.
      const merged = await d
        .select({ id: customers.id })
        .from(customers)
        .where(eq(customers.mergedInto, req.params.id));
      return {
        items: await recordTimeline(d, caller.tenantId, 'customer', [
          req.params.id,
          ...merged.map((m) => m.id),
        ]),
      };
    },
  });

  app.get('/contacts', {
    config: { auth: 'contact.view' },
    schema: {
      tags: ['contacts'],
      summary: 'Contacts of customers the caller may see',
      querystring: contactListQuery,
      response: { 200: pageOf(contact) },
    },
    handler: (req) => listContactPage(d, callerOf(req), req.query),
  });
  app.post('/contacts', {
    config: { auth: 'contact.manage' },
    schema: {
      tags: ['contacts'],
      summary: 'Add a contact to a customer',
      body: createContactBody,
      response: { 201: withDuplicates(contact) },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createContact(d, callerOf(req), req.body)),
  });
  app.get('/contacts/:id', {
    config: { auth: 'contact.view' },
    schema: {
      tags: ['contacts'],
      summary: 'Get a contact',
      params: idParams,
      response: { 200: contact },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      try {
        return await getContact(d, caller, req.params.id);
      } catch (err) {
        const survivor =
          err instanceof AppError && err.code === 'NOT_FOUND'
            ? await mergedContactPointer(d, caller, req.params.id)
            : null;
        if (survivor)
          throw new AppError('NOT_FOUND', 'This contact was merged into another one', {
            mergedInto: survivor,
          });
        throw err;
      }
    },
  });
  app.post('/contacts/:id/merge', {
    config: { auth: 'contact.manage' },
    schema: {
      tags: ['contacts'],
      summary: 'Merge another contact into this one, choosing which values survive',
      params: idParams,
      body: mergeContactBody,
      response: { 200: contact },
    },
    handler: (req) => mergeContacts(d, callerOf(req), req.params.id, req.body),
  });
  app.patch('/contacts/:id', {
    config: { auth: 'contact.manage' },
    schema: {
      tags: ['contacts'],
      summary: 'Edit a contact',
      params: idParams,
      body: updateContactBody,
      response: { 200: withDuplicates(contact) },
    },
    handler: (req) => updateContact(d, callerOf(req), req.params.id, req.body),
  });
}
