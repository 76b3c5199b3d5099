-- Contacts are matched by email as typed in any case (duplicate rules).
CREATE INDEX contacts_email_lower ON contacts (tenant_id, lower(email)) WHERE email IS NOT NULL;
