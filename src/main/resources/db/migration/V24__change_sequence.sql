-- The cluster's change sequence: every transaction that announces a change to the other nodes
-- moves it by one (its row lock orders those commits), and its announcement carries the new value.
-- A node that reads the value and has heard every announcement up to it is caught up with every
-- commit made before the read.
CREATE TABLE change_sequence (
    id  INTEGER NOT NULL PRIMARY KEY,
    seq BIGINT  NOT NULL
);
INSERT INTO change_sequence (id, seq) VALUES (1, 0);
