-- Saved column mappings, so a file from the same source maps in one click.
CREATE TABLE import_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  type text NOT NULL CHECK (type IN ('leads')),
  name text NOT NULL,
  mapping jsonb NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, type, name)
);
