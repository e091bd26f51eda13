-- +goose Up
CREATE TABLE remediation_history (
    id BIGSERIAL PRIMARY KEY,
    remediation_name TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
    finished_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE remediation_history;
