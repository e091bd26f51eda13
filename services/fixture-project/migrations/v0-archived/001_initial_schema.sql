-- An archived migration of an older schema line, kept for reference as kubernaut keeps migrations/v0-archived/.
-- goose reads only the top level of migrations/, so this file is never applied; if it were, it would fail.
-- +goose Up
SELECT this_archived_migration_must_never_run();

-- +goose Down
SELECT 1;
