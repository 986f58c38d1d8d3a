-- The sent-message ledger: what a bounce or complaint arriving later needs to become an event,
-- kept for the retention window (feedback.SentLedger); rows older than it are deleted.
CREATE TABLE sent_messages (
    message_id        VARCHAR(100)   NOT NULL PRIMARY KEY,
    account_id        VARCHAR(64)    NOT NULL,
    configuration_set VARCHAR(64),
    pool_name         VARCHAR(64)    NOT NULL,
    mail_from         VARCHAR(320)   NOT NULL,
    accepted_at_ms    BIGINT         NOT NULL,
    source_ip         VARCHAR(64)    NOT NULL,
    tags_json         CLOB           NOT NULL,
    headers_json      CLOB           NOT NULL,
    recorded_at_ms    BIGINT         NOT NULL
);
CREATE INDEX sent_messages_recorded ON sent_messages (recorded_at_ms);

CREATE TABLE sent_recipients (
    message_id        VARCHAR(100)   NOT NULL,
    recipient         VARCHAR(320)   NOT NULL,
    sending_ip        VARCHAR(64)    NOT NULL,
    position          INT            NOT NULL,
    recorded_at_ms    BIGINT         NOT NULL,
    PRIMARY KEY (message_id, recipient)
);
CREATE INDEX sent_recipients_recorded ON sent_recipients (recorded_at_ms);
