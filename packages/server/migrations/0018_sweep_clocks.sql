-- The sweep walks owned records by the clock of each rule kind, so it visits only records
-- that are due (or nearly): the time since the claim or the last follow-up, or visit.
CREATE INDEX leads_follow_up_clock ON leads
  (tenant_id, greatest(claimed_at, coalesce(last_follow_up_at, claimed_at)), id)
  WHERE owner_id IS NOT NULL AND deleted_at IS NULL AND status IN ('pending', 'following', 'invalid');
CREATE INDEX leads_visit_clock ON leads
  (tenant_id, greatest(claimed_at, coalesce(last_visit_at, claimed_at)), id)
  WHERE owner_id IS NOT NULL AND deleted_at IS NULL AND status IN ('pending', 'following', 'invalid');
CREATE INDEX customers_follow_up_clock ON customers
  (tenant_id, greatest(claimed_at, coalesce(last_follow_up_at, claimed_at)), id)
  WHERE owner_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX customers_visit_clock ON customers
  (tenant_id, greatest(claimed_at, coalesce(last_visit_at, claimed_at)), id)
  WHERE owner_id IS NOT NULL AND deleted_at IS NULL;
