-- The duplicate report (SPEC §4): a background job scans a tenant set-based,
-- links records inside blocks (identity keys, name cores, one-edit name keys),
-- and stores the clusters. Pairs and keys are working tables of a run, unlogged:
-- a crashed run starts again from the beginning.
CREATE TABLE duplicate_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  object_type text NOT NULL CHECK (object_type IN ('customer', 'lead')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  phase text,
  progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  records integer,
  pairs integer,
  clusters integer,
  error text,
  requested_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX duplicate_reports_tenant ON duplicate_reports (tenant_id, created_at DESC);

CREATE UNLOGGED TABLE duplicate_report_pairs (
  report_id uuid NOT NULL,
  a uuid NOT NULL,
  b uuid NOT NULL,
  level smallint NOT NULL,
  score real NOT NULL,
  reason text NOT NULL
);
CREATE INDEX duplicate_report_pairs_report ON duplicate_report_pairs (report_id);

CREATE UNLOGGED TABLE duplicate_report_keys (
  report_id uuid NOT NULL,
  bucket smallint NOT NULL,
  key text NOT NULL,
  core text NOT NULL,
  id uuid NOT NULL
);
CREATE INDEX duplicate_report_keys_block ON duplicate_report_keys (report_id, bucket, key);

CREATE TABLE duplicate_report_clusters (
  report_id uuid NOT NULL REFERENCES duplicate_reports (id) ON DELETE CASCADE,
  no integer NOT NULL,
  level text NOT NULL CHECK (level IN ('exact', 'likely', 'possible')),
  score real NOT NULL,
  size integer NOT NULL,
  member_ids uuid[] NOT NULL,
  reasons text[] NOT NULL,
  PRIMARY KEY (report_id, no)
);
CREATE INDEX duplicate_report_clusters_level ON duplicate_report_clusters (report_id, level, size DESC);
