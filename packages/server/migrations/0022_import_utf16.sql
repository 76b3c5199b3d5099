-- Excel's "Unicode text" saves UTF-16 (little-endian, with a byte-order mark): imports read it.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_encoding_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_encoding_check
  CHECK (encoding IN ('utf-8', 'gb18030', 'utf-16le', 'utf-16be'));
