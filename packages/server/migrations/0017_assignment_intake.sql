-- Assignment rules for new pool intake, the verification queue (外呼核实) and public web
-- intake forms (SPEC §2, §5).

CREATE TABLE assignment_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  pool_id uuid NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
  name text NOT NULL,
  priority integer NOT NULL DEFAULT 100,
  enabled boolean NOT NULL DEFAULT true,
  -- Conditions on the new lead; an empty list matches anything.
  sources text[] NOT NULL DEFAULT '{}',
  region_codes text[] NOT NULL DEFAULT '{}',
  industries text[] NOT NULL DEFAULT '{}',
  strategy text NOT NULL CHECK (strategy IN ('round_robin', 'random', 'load_balanced', 'even_split', 'profile')),
  -- Who receives: these people, or the reps of this node's subtree.
  user_ids uuid[] NOT NULL DEFAULT '{}',
  node_id uuid REFERENCES org_nodes (id) ON DELETE CASCADE,
  -- Round robin carries on where it stopped.
  cursor integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT assignment_rules_target CHECK (cardinality(user_ids) > 0 OR node_id IS NOT NULL)
);
CREATE INDEX assignment_rules_pool ON assignment_rules (tenant_id, pool_id, priority);

-- Leads entering a pool that requires verification wait for a telesales call.
ALTER TABLE leads
  ADD COLUMN verification text CHECK (verification IN ('pending', 'verified', 'wrong_number', 'no_intention')),
  ADD COLUMN verified_by uuid REFERENCES users (id),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN verification_note text;
CREATE INDEX leads_verification_queue ON leads (tenant_id, pool_id, created_at)
  WHERE verification = 'pending' AND deleted_at IS NULL;

-- Every path into a pool (created unowned, imported, web intake) passes here.
CREATE FUNCTION leads_verification_on_intake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.owner_id IS NULL AND NEW.status = 'unassigned' AND NEW.verification IS NULL
     AND EXISTS (SELECT 1 FROM pools p WHERE p.id = NEW.pool_id AND p.require_verification) THEN
    NEW.verification := 'pending';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER leads_verification_on_intake BEFORE INSERT ON leads
  FOR EACH ROW EXECUTE FUNCTION leads_verification_on_intake();

CREATE TABLE intake_forms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  name text NOT NULL,
  -- Public (it sits in the website's page): it names the form, it grants nothing else.
  form_key text NOT NULL UNIQUE,
  pool_id uuid NOT NULL REFERENCES pools (id),
  source text NOT NULL,
  per_minute integer NOT NULL DEFAULT 10 CHECK (per_minute BETWEEN 1 AND 10000),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);

-- Submissions counted per form and address, in PostgreSQL so the limit holds across instances.
CREATE TABLE intake_hits (
  form_id uuid NOT NULL REFERENCES intake_forms (id) ON DELETE CASCADE,
  address text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intake_hits_recent ON intake_hits (form_id, address, at);
