-- Excel's "Unicode text" saves UTF-16 (little-endian, with a byte-order mark): imports read it.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_encoding_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_encoding_check
  CHECK (encoding IN ('utf-8', 'gb18030', 'utf-16le', 'utf-16be'));

-- The lead list's first page in its default order (newest first, nulls last, ties by id):
-- without it, every page sorted the whole tenant, seconds once an import had brought a
-- million leads.
CREATE INDEX leads_created ON leads (tenant_id, created_at DESC NULLS LAST, id DESC)
  WHERE deleted_at IS NULL;
