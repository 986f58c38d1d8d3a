-- The custom MAIL FROM domain's own check (its MX and SPF records), on the same rules as DKIM:
-- when its status last changed and the latest lookup.
ALTER TABLE email_identities ADD COLUMN mail_from_status_since_ms BIGINT;
ALTER TABLE email_identities ADD COLUMN mail_from_checked_ms BIGINT;
ALTER TABLE email_identities ADD COLUMN mail_from_found_ms BIGINT;
ALTER TABLE email_identities ADD COLUMN mail_from_error VARCHAR(32);

-- DKIM key rotation: the next key, published beside the current one until its record is found.
ALTER TABLE email_identities ADD COLUMN dkim_next_selector VARCHAR(63);
ALTER TABLE email_identities ADD COLUMN dkim_next_public_key VARCHAR(1024);
ALTER TABLE email_identities ADD COLUMN dkim_next_length VARCHAR(16);
ALTER TABLE email_identities ADD COLUMN dkim_next_made_ms BIGINT;

-- One-time links that verify an email-address identity. Only the SHA-256 of the token is kept, so
-- a copy of the database cannot verify anything. A token is used once and expires after 24 hours.
CREATE TABLE email_verification_tokens (
    token_hash    VARCHAR(64)  NOT NULL PRIMARY KEY,
    account_id    VARCHAR(12)  NOT NULL REFERENCES accounts (id),
    identity_name VARCHAR(320) NOT NULL,
    created_at_ms BIGINT       NOT NULL,
    expires_at_ms BIGINT       NOT NULL,
    used_at_ms    BIGINT
);
CREATE INDEX email_verification_tokens_identity ON email_verification_tokens (account_id, identity_name);
