-- Public-sea rules (SPEC §5): drop rules per pool, protection after a drop or return,
-- capacity and daily claim limits, collusion settings, the message center, and what the
-- sweep needs to find due records by index.

ALTER TABLE pools
  ADD COLUMN protect_days integer NOT NULL DEFAULT 0 CHECK (protect_days BETWEEN 0 AND 365),
  -- Customers with a won opportunity closed in the last N days are never dropped.
  ADD COLUMN exempt_won_days integer CHECK (exempt_won_days BETWEEN 1 AND 3650),
  ADD COLUMN require_verification boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX pools_name ON pools (tenant_id, name);

CREATE TABLE pool_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  pool_id uuid NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
  entity text NOT NULL CHECK (entity IN ('lead', 'customer')),
  kind text NOT NULL CHECK (kind IN ('no_follow_up', 'no_visit', 'not_converted', 'no_won_opportunity')),
  days integer NOT NULL CHECK (days BETWEEN 1 AND 3650),
  warn_days integer NOT NULL DEFAULT 0 CHECK (warn_days BETWEEN 0 AND 365),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pool_rules_kind_entity CHECK (
    (kind <> 'not_converted' OR entity = 'lead')
    AND (kind <> 'no_won_opportunity' OR entity = 'customer')
  ),
  UNIQUE (pool_id, entity, kind)
);

-- Capacity (私海库容) and daily claim limits: tenant-wide, then per role, org node and
-- person; the most specific applies (person > nearest node > largest of the roles > tenant).
CREATE TABLE capacity_limits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  scope text NOT NULL CHECK (scope IN ('tenant', 'role', 'node', 'user')),
  role_name text,
  node_id uuid REFERENCES org_nodes (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  entity text NOT NULL CHECK (entity IN ('lead', 'customer')),
  max_records integer CHECK (max_records BETWEEN 0 AND 1000000),
  daily_claims integer CHECK (daily_claims BETWEEN 0 AND 100000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT capacity_limits_target CHECK (
    (scope = 'tenant' AND role_name IS NULL AND node_id IS NULL AND user_id IS NULL)
    OR (scope = 'role' AND role_name IS NOT NULL AND node_id IS NULL AND user_id IS NULL)
    OR (scope = 'node' AND node_id IS NOT NULL AND role_name IS NULL AND user_id IS NULL)
    OR (scope = 'user' AND user_id IS NOT NULL AND role_name IS NULL AND node_id IS NULL)
  )
);
CREATE UNIQUE INDEX capacity_limits_target ON capacity_limits
  (tenant_id, entity, scope, coalesce(role_name, ''),
   coalesce(node_id, '00000000-0000-0000-0000-000000000000'::uuid),
   coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Collusion (反作弊): K handovers between the same two reps within W days, each claimed
-- within D hours of the other's drop or return; optionally such claims are refused.
CREATE TABLE collusion_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  min_handovers integer NOT NULL DEFAULT 3 CHECK (min_handovers BETWEEN 2 AND 1000),
  window_days integer NOT NULL DEFAULT 30 CHECK (window_days BETWEEN 1 AND 365),
  claim_hours integer NOT NULL DEFAULT 24 CHECK (claim_hours BETWEEN 1 AND 720),
  block boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every drop names its rule.
ALTER TABLE handovers ADD COLUMN rule_id uuid REFERENCES pool_rules (id) ON DELETE SET NULL;
-- Protection and collusion read a record's latest handovers, and a rep's claims of the day.
CREATE INDEX handovers_to_action ON handovers (tenant_id, to_user_id, action, at DESC);

-- Visits count for the "no visit" rule (a follow-up of type visit until the visits module).
ALTER TABLE leads ADD COLUMN last_visit_at timestamptz;
ALTER TABLE customers ADD COLUMN last_visit_at timestamptz;
UPDATE leads l SET last_visit_at = f.at
  FROM (SELECT entity_id, max(created_at) AS at FROM follow_ups
         WHERE entity_type = 'lead' AND type = 'visit' GROUP BY entity_id) f
 WHERE f.entity_id = l.id;
UPDATE customers c SET last_visit_at = f.at
  FROM (SELECT entity_id, max(created_at) AS at FROM follow_ups
         WHERE entity_type = 'customer' AND type = 'visit' GROUP BY entity_id) f
 WHERE f.entity_id = c.id;

-- The sweep walks owned records by claim time: every owned record has one.
UPDATE leads SET claimed_at = coalesce(updated_at, created_at)
 WHERE owner_id IS NOT NULL AND claimed_at IS NULL;
UPDATE customers SET claimed_at = coalesce(updated_at, created_at)
 WHERE owner_id IS NOT NULL AND claimed_at IS NULL;
CREATE INDEX leads_owned_claimed ON leads (tenant_id, claimed_at, id)
  WHERE owner_id IS NOT NULL AND deleted_at IS NULL AND status IN ('pending', 'following', 'invalid');
CREATE INDEX customers_owned_claimed ON customers (tenant_id, claimed_at, id)
  WHERE owner_id IS NOT NULL AND deleted_at IS NULL;

-- The message center (站内信): in-app notifications per user. A dedupe key makes a
-- warning land once however often the sweep runs.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL,
  entity text,
  entity_id uuid,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  dedupe_key text,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user ON notifications (tenant_id, user_id, created_at DESC);
CREATE INDEX notifications_unread ON notifications (tenant_id, user_id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_dedupe ON notifications (tenant_id, user_id, dedupe_key)
  WHERE dedupe_key IS NOT NULL;
