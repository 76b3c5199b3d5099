import { eq, sql } from 'drizzle-orm';
import {
  tenantSettings,
  updateTenantSettingsBody,
  type TenantSettings,
  type UpdateTenantSettingsBody,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { tenants } from '../../platform/tables.ts';

/** Settings a tenant starts with; stored values override them key by key. */
export const defaultSettings: TenantSettings = { duplicateCheckOnCreate: true };

export async function getSettings(db: DbOrTx, tenantId: string): Promise<TenantSettings> {
  const [row] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  const stored = tenantSettings.partial().safeParse(row?.settings ?? {});
  return { ...defaultSettings, ...(stored.success ? stored.data : {}) };
}

export async function updateSettings(
  db: Db,
  caller: Caller,
  body: UpdateTenantSettingsBody,
): Promise<TenantSettings> {
  await db.transaction(async (tx) => {
    const before = await getSettings(tx, caller.tenantId);
    await tx
      .update(tenants)
      .set({ settings: sql`${tenants.settings} || ${JSON.stringify(body)}::jsonb` })
      .where(eq(tenants.id, caller.tenantId));
    await audit(tx, caller, {
      entity: 'tenant_settings',
      entityId: caller.tenantId,
      action: 'update',
      before,
      after: { ...before, ...body },
    });
  });
  return getSettings(db, caller.tenantId);
}

export function settingsRoutes(app: App, { db }: Deps): void {
  app.get('/settings', {
    config: { auth: 'authenticated' },
    schema: {
      tags: ['settings'],
      summary: "The tenant's settings",
      response: { 200: tenantSettings },
    },
    handler: (req) => getSettings(db.db, callerOf(req).tenantId),
  });
  app.patch('/settings', {
    config: { auth: 'tenant.settings' },
    schema: {
      tags: ['settings'],
      summary: "Change the tenant's settings",
      body: updateTenantSettingsBody,
      response: { 200: tenantSettings },
    },
    handler: (req) => updateSettings(db.db, callerOf(req), req.body),
  });
}
