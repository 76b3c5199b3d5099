-- A running import proves it is alive by moving its heartbeat at every checkpoint; one whose
-- heartbeat is old was cut short (its process died) and may be resumed by anyone.
ALTER TABLE import_jobs ADD COLUMN heartbeat_at timestamptz;
