-- Leads with their life cycle, the handover history of every change of hands,
-- and follow-up records.

CREATE TABLE leads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  company text,
  contact_name text,
  phone text,
  email text,
  address text,
  source text,
  status text NOT NULL CHECK (status IN ('unassigned', 'pending', 'following', 'invalid', 'converted', 'voided')),
  status_before_void text,
  owner_id uuid REFERENCES users (id),
  pool_id uuid REFERENCES pools (id),
  claimed_at timestamptz,
  last_follow_up_at timestamptz,
  invalid_reason text,
  void_reason text,
  converted_customer_id uuid,
  converted_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by uuid REFERENCES users (id),
  -- An owned lead has no pool; an unowned one (unassigned) sits in exactly one.
  CONSTRAINT leads_owner_or_pool CHECK (
    (status = 'unassigned' AND owner_id IS NULL AND pool_id IS NOT NULL)
    OR (status <> 'unassigned' AND (owner_id IS NOT NULL OR status IN ('voided', 'converted')))
  )
);
CREATE INDEX leads_owner ON leads (tenant_id, owner_id, status) WHERE deleted_at IS NULL;
CREATE INDEX leads_pool ON leads (tenant_id, pool_id, created_at DESC) WHERE owner_id IS NULL AND deleted_at IS NULL;
CREATE INDEX leads_updated ON leads (tenant_id, updated_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_deleted ON leads (tenant_id, deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX leads_company_trgm ON leads USING gin (company gin_trgm_ops);

CREATE TABLE handovers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  entity text NOT NULL CHECK (entity IN ('lead', 'customer')),
  entity_id uuid NOT NULL,
  action text NOT NULL,
  from_user_id uuid REFERENCES users (id),
  to_user_id uuid REFERENCES users (id),
  pool_id uuid REFERENCES pools (id),
  reason text,
  actor_id uuid REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handovers_entity ON handovers (tenant_id, entity, entity_id, at DESC);
CREATE INDEX handovers_from ON handovers (tenant_id, from_user_id, at DESC);
CREATE INDEX handovers_to ON handovers (tenant_id, to_user_id, at DESC);

CREATE TABLE follow_ups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  entity_type text NOT NULL CHECK (entity_type IN ('lead', 'customer', 'opportunity')),
  entity_id uuid NOT NULL,
  author_id uuid REFERENCES users (id),
  type text NOT NULL CHECK (type IN ('call', 'visit', 'wechat', 'email', 'meeting', 'other')),
  content text NOT NULL,
  result text,
  next_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_ups_entity ON follow_ups (tenant_id, entity_type, entity_id, created_at DESC);
CREATE INDEX follow_ups_next ON follow_ups (tenant_id, author_id, next_at) WHERE next_at IS NOT NULL;
