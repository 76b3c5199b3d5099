-- Customers (company or person) and their contacts.

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  kind text NOT NULL CHECK (kind IN ('company', 'person')),
  name text NOT NULL,
  credit_code text,
  phone text,
  industry text,
  size text,
  address text,
  tags text[] NOT NULL DEFAULT '{}',
  source text,
  owner_id uuid REFERENCES users (id),
  pool_id uuid REFERENCES pools (id),
  claimed_at timestamptz,
  last_follow_up_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by uuid REFERENCES users (id),
  -- Private (owned) or public (unowned, in a pool).
  CONSTRAINT customers_owner_or_pool CHECK (owner_id IS NOT NULL OR pool_id IS NOT NULL)
);
CREATE INDEX customers_owner ON customers (tenant_id, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX customers_pool ON customers (tenant_id, pool_id, created_at DESC) WHERE owner_id IS NULL AND deleted_at IS NULL;
CREATE INDEX customers_updated ON customers (tenant_id, updated_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX customers_tags ON customers USING gin (tags);
CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  customer_id uuid NOT NULL REFERENCES customers (id),
  name text NOT NULL,
  title text,
  phone text,
  email text,
  wechat text,
  birthday date,
  preferences text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX contacts_customer ON contacts (tenant_id, customer_id) WHERE deleted_at IS NULL;
