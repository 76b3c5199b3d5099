-- Foundation: tenants, org tree, users and roles, sessions and API tokens,
-- login attempts, audit log, public pools.

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tenants_one_default ON tenants (is_default) WHERE is_default;

-- The org tree as a materialised path of ids ('/<root>/<child>/'), so a subtree
-- is one indexed prefix query and a move is one UPDATE of the prefix.
CREATE TABLE org_nodes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  parent_id uuid REFERENCES org_nodes (id),
  name text NOT NULL,
  path text NOT NULL,
  depth integer NOT NULL,
  manager_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_nodes_path ON org_nodes (tenant_id, path text_pattern_ops);
CREATE INDEX org_nodes_parent ON org_nodes (tenant_id, parent_id);
CREATE UNIQUE INDEX org_nodes_one_root ON org_nodes (tenant_id) WHERE parent_id IS NULL;
CREATE UNIQUE INDEX org_nodes_sibling_name ON org_nodes (tenant_id, parent_id, name);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  username text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  node_id uuid NOT NULL REFERENCES org_nodes (id),
  email text,
  phone text,
  active boolean NOT NULL DEFAULT true,
  deactivated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (tenant_id, lower(username));
CREATE INDEX users_node ON users (tenant_id, node_id);

ALTER TABLE org_nodes ADD CONSTRAINT org_nodes_manager_fk FOREIGN KEY (manager_id) REFERENCES users (id);

CREATE TABLE roles (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  name text NOT NULL,
  label text,
  builtin boolean NOT NULL DEFAULT false,
  permissions text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE user_roles (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  role_name text NOT NULL,
  PRIMARY KEY (user_id, role_name),
  FOREIGN KEY (tenant_id, role_name) REFERENCES roles (tenant_id, name)
);
CREATE INDEX user_roles_role ON user_roles (tenant_id, role_name);

-- Web sessions and personal API tokens: only a SHA-256 of the secret is kept.
CREATE TABLE auth_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('session', 'api')),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  name text,
  csrf_token text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (tenant_id, user_id, kind);

CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid REFERENCES tenants (id),
  username text NOT NULL,
  ip text NOT NULL,
  success boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_user ON login_attempts (tenant_id, lower(username), at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid REFERENCES users (id),
  entity text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id text
);
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity, entity_id, at DESC);
CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor_id, at DESC);
CREATE INDEX audit_log_at ON audit_log (tenant_id, at DESC);

-- Territories: org nodes bound to division codes (province, city or district).
CREATE TABLE territory_bindings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  node_id uuid NOT NULL REFERENCES org_nodes (id),
  region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
  region_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (node_id, region_code)
);
CREATE INDEX territory_bindings_region ON territory_bindings (tenant_id, region_code);

-- Public seas. Each serves the subtree of its node; the tenant's default one sits at the root.
CREATE TABLE pools (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  name text NOT NULL,
  node_id uuid NOT NULL REFERENCES org_nodes (id),
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pools_one_default ON pools (tenant_id) WHERE is_default;
CREATE INDEX pools_node ON pools (tenant_id, node_id);
