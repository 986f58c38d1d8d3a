-- Email identities (addresses and domains) of accounts, with their DKIM and MAIL FROM state. The
-- private DKIM keys are not here: they are files in the data directory (dkim/ACCOUNT/DOMAIN/), so
-- a dump of this database never carries them. dkim_public_key is the base64 SubjectPublicKeyInfo
-- published in DNS.
CREATE TABLE email_identities (
    account_id             VARCHAR(12)  NOT NULL REFERENCES accounts (id),
    identity_name          VARCHAR(320) NOT NULL,
    identity_type          VARCHAR(16)  NOT NULL,
    created_at_ms          BIGINT       NOT NULL,
    verification_status    VARCHAR(20)  NOT NULL,
    operator_vouched       BOOLEAN      NOT NULL,
    feedback_forwarding    BOOLEAN      NOT NULL,
    configuration_set_name VARCHAR(64),
    dkim_signing_enabled   BOOLEAN      NOT NULL,
    dkim_status            VARCHAR(20)  NOT NULL,
    dkim_status_since_ms   BIGINT       NOT NULL,
    dkim_origin            VARCHAR(16)  NOT NULL,
    dkim_selector          VARCHAR(63),
    dkim_public_key        VARCHAR(1024),
    dkim_next_key_length   VARCHAR(16)  NOT NULL,
    dkim_key_length        VARCHAR(16),
    dkim_key_made_ms       BIGINT,
    dkim_checked_ms        BIGINT,
    dkim_found_ms          BIGINT,
    dkim_error             VARCHAR(32),
    mail_from_domain       VARCHAR(253),
    mail_from_status       VARCHAR(20)  NOT NULL,
    mail_from_behavior     VARCHAR(20)  NOT NULL,
    PRIMARY KEY (account_id, identity_name)
);

-- Identities carry tags too, and their names are longer than pool and set names.
ALTER TABLE resource_tags ALTER COLUMN resource_name SET DATA TYPE VARCHAR(320);
