-- Email templates of each account (SES CreateEmailTemplate). Each part is at most 500 KB in
-- UTF-8, so at most 512000 characters; version grows with every update.
CREATE TABLE email_templates (
    account_id     VARCHAR(12)   NOT NULL,
    template_name  VARCHAR(64)   NOT NULL,
    subject        VARCHAR(512000),
    text_part      VARCHAR(512000),
    html_part      VARCHAR(512000),
    created_at_ms  BIGINT        NOT NULL,
    version        BIGINT        NOT NULL,
    PRIMARY KEY (account_id, template_name)
);
