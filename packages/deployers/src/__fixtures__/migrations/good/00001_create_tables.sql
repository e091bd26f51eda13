-- Audit schema, first version.
-- +goose Up
CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    event_type  TEXT NOT NULL,
    payload     JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_audit_events_type ON audit_events (event_type);

-- +goose Down
DROP TABLE audit_events;
