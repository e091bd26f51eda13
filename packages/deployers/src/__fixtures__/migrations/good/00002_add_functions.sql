-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_touch() RETURNS trigger AS $$
BEGIN
    NEW.created_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- A dollar-quoted body outside a StatementBegin block is kept whole too.
CREATE FUNCTION audit_event_count(kind TEXT) RETURNS BIGINT AS $body$
    SELECT count(*) FROM audit_events WHERE event_type = kind;
$body$ LANGUAGE sql STABLE;

CREATE TRIGGER audit_events_touch BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_touch();

-- +goose Down
DROP TRIGGER audit_events_touch ON audit_events;
DROP FUNCTION audit_event_count(TEXT);
DROP FUNCTION audit_events_touch();
