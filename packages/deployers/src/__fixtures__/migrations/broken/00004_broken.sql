-- This migration fails on its second statement: the first must be rolled back with it.
-- +goose Up
CREATE TABLE notifications (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL);

INSERT INTO no_such_table (x) VALUES (1);

-- +goose Down
DROP TABLE notifications;
