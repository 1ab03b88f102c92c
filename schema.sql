-- jifang schema: the full current schema, applied whole to a new database in one exclusive
-- transaction (src/db/migrate.rs). Older databases are brought here by numbered upgrade steps
-- in the same file; a test checks that upgrading gives exactly this schema.
--
-- Conventions for every table operators edit:
--   created_at, created_by   when and by whom the row was made (local time 'YYYY-MM-DD HH:MM:SS')
--   updated_at, updated_by   when and by whom it last changed
--   row_version              starts at 1 and goes up by one on every update; a save names the
--                            version it read, so a change made meanwhile by someone else is caught
--   retired_at, retired_by, retired_reason
--                            nothing is hard-deleted: removal retires the row with a reason
-- Only this file and src/db/ contain SQL.

-- Departments of the organisation (信息中心, 办公室, 教务处 ...): owners of devices, borrowers of
-- tools, payers of repairs.
CREATE TABLE departments (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    is_centre      INTEGER NOT NULL DEFAULT 0 CHECK (is_centre IN (0, 1)),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);

-- People who appear in records: responsible persons, reporters, maintainers, borrowers and
-- approvers. `role` is what they may sign for (the regulations name who approves what).
CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    department_id  INTEGER NOT NULL REFERENCES departments (id),
    role           TEXT    NOT NULL DEFAULT 'staff'
                   CHECK (role IN ('director', 'deputy', 'supervisor', 'network_admin',
                                   'maintainer', 'duty', 'staff')),
    phone          TEXT,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    UNIQUE (department_id, name)
);
CREATE INDEX people_by_name ON people (name);
