-- Imports (SPEC §2 cleaning on intake, §13): the uploaded file is kept in the
-- database in chunks, so any instance can run or resume the job; each chunk of
-- rows is committed with its per-row outcomes and the checkpoint in one
-- transaction, so a crash leaves whole chunks and a resume continues exactly.
CREATE TABLE import_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  type text NOT NULL CHECK (type IN ('leads')),
  status text NOT NULL DEFAULT 'uploaded'
    CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
  file_name text NOT NULL,
  format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  encoding text NOT NULL CHECK (encoding IN ('utf-8', 'gb18030')),
  bytes bigint NOT NULL,
  headers text[] NOT NULL,
  mapping jsonb NOT NULL,
  on_duplicate text NOT NULL DEFAULT 'skip' CHECK (on_duplicate IN ('skip', 'update', 'link')),
  rows_done integer NOT NULL DEFAULT 0,
  bytes_done bigint NOT NULL DEFAULT 0,
  rows_total integer,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  resumed_at timestamptz,
  rows_at_resume integer NOT NULL DEFAULT 0,
  finished_at timestamptz
);
CREATE INDEX import_jobs_tenant ON import_jobs (tenant_id, created_at DESC);

CREATE TABLE import_file_chunks (
  import_id uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_rows (
  import_id uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  row_no integer NOT NULL,
  outcome text NOT NULL
    CHECK (outcome IN ('created', 'updated', 'merged', 'linked', 'skipped', 'rejected')),
  reason text,
  record_id uuid,
  PRIMARY KEY (import_id, row_no)
);
CREATE INDEX import_rows_record ON import_rows (import_id, record_id) WHERE outcome = 'created';
