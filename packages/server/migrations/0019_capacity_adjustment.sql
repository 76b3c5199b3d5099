-- 自动调整库容: each month a rep's capacity moves by a step with their conversion rate of
-- the month before, within bounds (SPEC §5).
CREATE TABLE capacity_adjustment_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  entity text NOT NULL CHECK (entity IN ('lead', 'customer')),
  enabled boolean NOT NULL DEFAULT false,
  raise_at_percent integer NOT NULL CHECK (raise_at_percent BETWEEN 0 AND 100),
  lower_below_percent integer NOT NULL CHECK (lower_below_percent BETWEEN 0 AND 100),
  step_percent integer NOT NULL CHECK (step_percent BETWEEN 1 AND 100),
  min_records integer NOT NULL CHECK (min_records BETWEEN 0 AND 1000000),
  max_records integer NOT NULL CHECK (max_records BETWEEN 0 AND 1000000),
  min_sample integer NOT NULL CHECK (min_sample BETWEEN 1 AND 100000),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, entity),
  CHECK (lower_below_percent <= raise_at_percent),
  CHECK (min_records <= max_records)
);

-- One row per rep, record type and month measured: the history, and (its latest row) the
-- rep's adjusted capacity. The unique key makes a month's run happen once.
CREATE TABLE capacity_adjustments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  entity text NOT NULL CHECK (entity IN ('lead', 'customer')),
  month date NOT NULL,
  handled integer NOT NULL,
  converted integer NOT NULL,
  rate double precision NOT NULL,
  before_max integer NOT NULL,
  max_records integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, user_id, entity, month)
);
CREATE INDEX capacity_adjustments_month ON capacity_adjustments (tenant_id, month DESC, entity);
