-- Test seed data, as kubernaut keeps in migrations/testdata/: loaded by tests that want rows, never by goose.
INSERT INTO audit_events (event_type, correlation_id) VALUES ('fixture.seeded', 'fixture-seed');
