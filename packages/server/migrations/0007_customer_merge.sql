-- Merged customers: the merged-away record stays (deleted) and points at its survivor.
ALTER TABLE customers
  ADD COLUMN merged_into uuid REFERENCES customers (id),
  ADD COLUMN merged_at timestamptz;
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;
