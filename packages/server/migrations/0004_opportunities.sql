-- Opportunities with configurable stages per tenant and their stage history.

CREATE TABLE opportunity_stages (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  key text NOT NULL,
  name text NOT NULL,
  probability integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
  position integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('open', 'won', 'lost')),
  PRIMARY KEY (tenant_id, key)
);

-- The default stages of SPEC §3, for every tenant that exists; new tenants get them at creation.
INSERT INTO opportunity_stages (tenant_id, key, name, probability, position, outcome)
SELECT t.id, s.key, s.name, s.probability, s.position, s.outcome
  FROM tenants t
 CROSS JOIN (VALUES
   ('initial', '初步沟通', 10, 1, 'open'),
   ('intent', '确定意向', 30, 2, 'open'),
   ('proposal', '方案报价', 60, 3, 'open'),
   ('negotiation', '商务洽谈', 80, 4, 'open'),
   ('won', '赢单', 100, 5, 'won'),
   ('lost', '输单', 0, 6, 'lost')
 ) AS s (key, name, probability, position, outcome);

CREATE TABLE opportunities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  customer_id uuid NOT NULL REFERENCES customers (id),
  name text NOT NULL,
  amount numeric(14, 2),
  expected_close_date date,
  stage_key text NOT NULL,
  probability integer NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
  lost_reason text,
  closed_at timestamptz,
  owner_id uuid REFERENCES users (id),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by uuid REFERENCES users (id),
  CONSTRAINT opportunities_lost_reason CHECK (status <> 'lost' OR lost_reason IS NOT NULL)
);
CREATE INDEX opportunities_owner ON opportunities (tenant_id, owner_id, status) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_customer ON opportunities (tenant_id, customer_id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_stage ON opportunities (tenant_id, stage_key) WHERE deleted_at IS NULL;

CREATE TABLE opportunity_stage_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  opportunity_id uuid NOT NULL REFERENCES opportunities (id),
  from_stage text,
  to_stage text NOT NULL,
  actor_id uuid REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX opportunity_stage_history_opp ON opportunity_stage_history (tenant_id, opportunity_id, at);
