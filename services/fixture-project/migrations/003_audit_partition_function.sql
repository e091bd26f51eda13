-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_touch() RETURNS trigger AS $$
BEGIN
    NEW.created_at := COALESCE(NEW.created_at, now());
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_events_touch BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_touch();

-- +goose Down
DROP TRIGGER audit_events_touch ON audit_events;
DROP FUNCTION audit_events_touch();
