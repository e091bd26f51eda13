-- +goose Up
INSERT INTO audit_events (event_type, payload) VALUES ('seed', '{"note": "a; semicolon in a string"}');
INSERT INTO audit_events (event_type) VALUES ('it''s quoted; still one statement');

-- +goose Down
DELETE FROM audit_events WHERE event_type IN ('seed', 'it''s quoted; still one statement');
