-- SMTP submission credentials. Only a salted PBKDF2 hash of each password is stored
-- (format pbkdf2-sha256$<iterations>$<salt>$<hash>); the password is shown once, at creation.

CREATE TABLE smtp_credentials (
    username          VARCHAR(64)  PRIMARY KEY,
    account_id        VARCHAR(12)  NOT NULL REFERENCES accounts (id),
    password_hash     VARCHAR(255) NOT NULL,
    created_at_ms     BIGINT       NOT NULL
);
CREATE INDEX smtp_credentials_by_account ON smtp_credentials (account_id);
