-- Merged leads and contacts, like customers: the merged-away record stays
-- (deleted) and points at its survivor.
ALTER TABLE leads
  ADD COLUMN merged_into uuid REFERENCES leads (id),
  ADD COLUMN merged_at timestamptz;
CREATE INDEX leads_merged_into ON leads (merged_into) WHERE merged_into IS NOT NULL;
ALTER TABLE contacts
  ADD COLUMN merged_into uuid REFERENCES contacts (id),
  ADD COLUMN merged_at timestamptz;
CREATE INDEX contacts_merged_into ON contacts (merged_into) WHERE merged_into IS NOT NULL;
