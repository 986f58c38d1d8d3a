-- Event destinations of configuration sets; removed with their set.
CREATE TABLE event_destinations (
    account_id        VARCHAR(12)  NOT NULL,
    set_name          VARCHAR(64)  NOT NULL,
    destination_name  VARCHAR(64)  NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    matching_types    VARCHAR(512) NOT NULL,
    destination_kind  VARCHAR(16)  NOT NULL,
    target            VARCHAR(2048) NOT NULL,
    PRIMARY KEY (account_id, set_name, destination_name),
    FOREIGN KEY (account_id, set_name) REFERENCES configuration_sets (account_id, set_name) ON DELETE CASCADE
);
