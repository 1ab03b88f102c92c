-- jifang schema, in version sections. A new database runs every section in order; an older
-- one runs the sections after its `user_version` (src/db/migrate.rs), each in one exclusive
-- transaction. A shipped section is never edited: a schema change appends a section. A test
-- checks that upgrading from every older version gives exactly the schema of a new database.
--
-- Conventions for every table operators edit:
--   created_at, created_by   when and by whom the row was made (local time 'YYYY-MM-DD HH:MM:SS')
--   updated_at, updated_by   when and by whom it last changed
--   row_version              starts at 1 and goes up by one on every update; a save names the
--                            version it read, so a change made meanwhile by someone else is caught
--   retired_at, retired_by, retired_reason
--                            nothing is hard-deleted: removal retires the row with a reason
-- Only this file and src/db/ contain SQL.

-- == version 1 ==

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

-- == version 2 ==

-- The fixed-asset register (设备台账). Department and responsible person are kept as the ledger
-- writes them (text), so renaming someone never rewrites what the ledger said at the time; the
-- form offers the directory's names. Addresses are stored normalised (src/domain/net.rs).
CREATE TABLE devices (
    id             INTEGER PRIMARY KEY,
    asset_tag      TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(asset_tag)) > 0),
    name           TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    category       TEXT    NOT NULL DEFAULT 'other'
                   CHECK (category IN ('server', 'switch', 'router', 'firewall', 'storage', 'ups',
                                       'pc', 'printer', 'phone', 'other')),
    model          TEXT    NOT NULL DEFAULT '',
    manufacturer   TEXT    NOT NULL DEFAULT '',
    serial_no      TEXT    NOT NULL DEFAULT '',
    location       TEXT    NOT NULL DEFAULT '',
    department     TEXT    NOT NULL DEFAULT '',
    owner          TEXT    NOT NULL DEFAULT '',
    ip_address     TEXT,
    mac_address    TEXT,
    status         TEXT    NOT NULL DEFAULT 'in_stock'
                   CHECK (status IN ('in_stock', 'in_use', 'spare', 'under_repair', 'at_vendor',
                                     'lent', 'pending_scrap', 'scrapped', 'lost')),
    purchased_on   TEXT    CHECK (purchased_on IS NULL OR date(purchased_on) = purchased_on),
    warranty_until TEXT    CHECK (warranty_until IS NULL OR date(warranty_until) = warranty_until),
    supplier       TEXT    NOT NULL DEFAULT '',
    ups_protected  INTEGER NOT NULL DEFAULT 0 CHECK (ups_protected IN (0, 1)),
    notes          TEXT    NOT NULL DEFAULT '',
    -- What `/` searches: every text field, lower-cased, kept by SQLite itself.
    search_text    TEXT    GENERATED ALWAYS AS (lower(
                       asset_tag || char(31) || name || char(31) || model || char(31) ||
                       manufacturer || char(31) || serial_no || char(31) || location || char(31) ||
                       department || char(31) || owner || char(31) || ifnull(ip_address, '') ||
                       char(31) || ifnull(mac_address, '') || char(31) || supplier || char(31) ||
                       notes)) STORED,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
-- Two devices still in the register never share an address: scrapped and removed ones free it.
CREATE UNIQUE INDEX devices_ip_in_use ON devices (ip_address)
    WHERE ip_address IS NOT NULL AND status <> 'scrapped' AND retired_at IS NULL;
-- The list's sort orders over the devices in the register (what it shows unless asked for
-- scrapped and removed ones): each list query walks one of these instead of sorting 100k rows.
CREATE INDEX devices_listed_by_tag ON devices (asset_tag)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_name ON devices (name, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_category ON devices (category, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_location ON devices (location, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_department ON devices (department, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_owner ON devices (owner, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_status ON devices (status, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_listed_by_warranty ON devices (warranty_until, id)
    WHERE retired_at IS NULL AND status <> 'scrapped';
CREATE INDEX devices_by_ip ON devices (ip_address, id);

-- The history book (机历本): one row per thing that happened to a device, newest last. Field
-- changes of an event are in device_event_changes. Events are appended, never edited.
CREATE TABLE device_events (
    id             INTEGER PRIMARY KEY,
    device_id      INTEGER NOT NULL REFERENCES devices (id),
    kind           TEXT    NOT NULL
                   CHECK (kind IN ('created', 'edited', 'imported', 'transferred', 'status',
                                   'removed', 'repair', 'inspection')),
    effective_on   TEXT    NOT NULL CHECK (date(effective_on) = effective_on),
    approver       TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX device_events_by_device ON device_events (device_id, id);

-- One changed field of an event: the field's key (as in CSV) with the value before and after.
CREATE TABLE device_event_changes (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES device_events (id),
    field          TEXT    NOT NULL,
    old_value      TEXT    NOT NULL DEFAULT '',
    new_value      TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX device_event_changes_by_event ON device_event_changes (event_id, id);

-- == version 3 ==

-- Checklist templates (巡检模板): the daily patrol, weekly inspection and monthly UPS test
-- are installed from assets/checklists/ when this version is created. `active_from` is the first
-- day whose period counts: periods before it are never reported as missed.
CREATE TABLE checklists (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(code)) > 0),
    name_zh        TEXT    NOT NULL,
    name_en        TEXT    NOT NULL,
    period         TEXT    NOT NULL CHECK (period IN ('day', 'week', 'month')),
    run_log        INTEGER NOT NULL DEFAULT 0 CHECK (run_log IN (0, 1)),
    position       INTEGER NOT NULL DEFAULT 0,
    active_from    TEXT    NOT NULL CHECK (date(active_from) = active_from),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);

-- Items of a template. An item row never changes once a run has used it: editing retires it
-- and adds the new wording under the same code, so past runs keep what they were asked.
-- `choices` holds one choice per line: Chinese, tab, English, tab, 1 if picking it fails.
CREATE TABLE checklist_items (
    id             INTEGER PRIMARY KEY,
    checklist_id   INTEGER NOT NULL REFERENCES checklists (id),
    position       INTEGER NOT NULL,
    code           TEXT    NOT NULL CHECK (length(trim(code)) > 0),
    kind           TEXT    NOT NULL CHECK (kind IN ('pass_fail', 'number', 'text', 'choice')),
    text_zh        TEXT    NOT NULL DEFAULT '',
    text_en        TEXT    NOT NULL DEFAULT '',
    unit_zh        TEXT    NOT NULL DEFAULT '',
    unit_en        TEXT    NOT NULL DEFAULT '',
    min_value      REAL,
    max_value      REAL,
    choices        TEXT    NOT NULL DEFAULT '',
    device_tag     TEXT    NOT NULL DEFAULT '',
    category       TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE UNIQUE INDEX checklist_items_live_code ON checklist_items (checklist_id, code COLLATE NOCASE)
    WHERE retired_at IS NULL;
CREATE INDEX checklist_items_by_list ON checklist_items (checklist_id, position);

-- One run of a template for one period (named by the date the period starts). Signing locks
-- the run and its results; corrections are amendments.
CREATE TABLE check_runs (
    id             INTEGER PRIMARY KEY,
    checklist_id   INTEGER NOT NULL REFERENCES checklists (id),
    period_start   TEXT    NOT NULL CHECK (date(period_start) = period_start),
    run_log        TEXT    NOT NULL DEFAULT '',
    signed_at      TEXT,
    signed_by      TEXT,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    UNIQUE (checklist_id, period_start)
);
CREATE INDEX check_runs_signed ON check_runs (checklist_id, signed_at);

-- The answer to one item in one run. `outcome` is NULL until answered.
CREATE TABLE check_results (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES check_runs (id),
    item_id        INTEGER NOT NULL REFERENCES checklist_items (id),
    position       INTEGER NOT NULL,
    outcome        TEXT    CHECK (outcome IS NULL OR outcome IN ('pass', 'fail', 'na')),
    value          TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    answered_at    TEXT,
    answered_by    TEXT,
    -- The operator asked for a repair of this finding (the repair log links it).
    repair_wanted  INTEGER NOT NULL DEFAULT 0 CHECK (repair_wanted IN (0, 1)),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    UNIQUE (run_id, item_id)
);
CREATE INDEX check_results_by_run ON check_results (run_id, position);

-- Corrections to a signed run, appended and never edited. `result_id` NULL amends the run log.
CREATE TABLE check_amendments (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES check_runs (id),
    result_id      INTEGER REFERENCES check_results (id),
    outcome        TEXT    CHECK (outcome IS NULL OR outcome IN ('pass', 'fail', 'na')),
    value          TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX check_amendments_by_run ON check_amendments (run_id, id);

-- A signed run is locked by SQLite itself, whatever program writes to the file.
CREATE TRIGGER check_runs_locked BEFORE UPDATE ON check_runs
    WHEN OLD.signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'check run is signed'); END;
CREATE TRIGGER check_runs_no_delete BEFORE DELETE ON check_runs
    WHEN OLD.signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'check run is signed'); END;
CREATE TRIGGER check_results_locked BEFORE UPDATE ON check_results
    WHEN (SELECT signed_at FROM check_runs WHERE id = OLD.run_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'check run is signed'); END;
CREATE TRIGGER check_results_no_delete BEFORE DELETE ON check_results
    WHEN (SELECT signed_at FROM check_runs WHERE id = OLD.run_id) IS NOT NULL
      OR OLD.outcome IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'answered check results are kept'); END;
CREATE TRIGGER check_amendments_append_only BEFORE UPDATE ON check_amendments
    BEGIN SELECT RAISE(ABORT, 'amendments are never edited'); END;
CREATE TRIGGER check_amendments_no_delete BEFORE DELETE ON check_amendments
    BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;

-- == version 4 ==

-- The repair log (维修记录): one ticket per reported fault, from report to the user's
-- confirmation. The device is named by id when it is in the register (its tag and name are
-- copied into `device_text` as reported) or by `device_text` alone for unregistered equipment.
-- Money is in fen. A closed or unrepairable ticket is locked by SQLite itself; corrections go
-- to repair_amendments.
CREATE TABLE repairs (
    id                 INTEGER PRIMARY KEY,
    ticket             TEXT    NOT NULL UNIQUE,
    year               INTEGER NOT NULL,
    seq                INTEGER NOT NULL CHECK (seq >= 1),
    device_id          INTEGER REFERENCES devices (id),
    device_text        TEXT    NOT NULL CHECK (length(trim(device_text)) > 0),
    device_status_before TEXT  NOT NULL DEFAULT '',
    under_warranty     INTEGER CHECK (under_warranty IS NULL OR under_warranty IN (0, 1)),
    reporter           TEXT    NOT NULL CHECK (length(trim(reporter)) > 0),
    department         TEXT    NOT NULL DEFAULT '',
    reported_at        TEXT    NOT NULL,
    category           TEXT    NOT NULL DEFAULT 'hardware'
                       CHECK (category IN ('hardware', 'software', 'network', 'other')),
    description        TEXT    NOT NULL CHECK (length(trim(description)) > 0),
    priority           TEXT    NOT NULL DEFAULT 'normal'
                       CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
    state              TEXT    NOT NULL DEFAULT 'reported'
                       CHECK (state IN ('reported', 'assessed', 'in_repair', 'at_vendor',
                                        'awaiting_confirmation', 'closed', 'unrepairable')),
    maintainer         TEXT    NOT NULL DEFAULT '',
    estimate_at        TEXT,
    assessed_at        TEXT,
    started_at         TEXT,
    finished_at        TEXT,
    closed_at          TEXT,
    result             TEXT    NOT NULL DEFAULT '',
    parts              TEXT    NOT NULL DEFAULT '',
    cost               INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    charged_department TEXT    NOT NULL DEFAULT '',
    human_caused       INTEGER NOT NULL DEFAULT 0 CHECK (human_caused IN (0, 1)),
    liable_person      TEXT    NOT NULL DEFAULT '',
    vendor             TEXT    NOT NULL DEFAULT '',
    vendor_approver    TEXT    NOT NULL DEFAULT '',
    vendor_sent_on     TEXT    CHECK (vendor_sent_on IS NULL OR date(vendor_sent_on) = vendor_sent_on),
    vendor_returned_on TEXT    CHECK (vendor_returned_on IS NULL
                                      OR date(vendor_returned_on) = vendor_returned_on),
    vendor_reference   TEXT    NOT NULL DEFAULT '',
    damaged_part       TEXT    NOT NULL DEFAULT '',
    confirmer_1        TEXT    NOT NULL DEFAULT '',
    confirmer_2        TEXT    NOT NULL DEFAULT '',
    confirmed_by       TEXT    NOT NULL DEFAULT '',
    confirmed_at       TEXT,
    reopened           INTEGER NOT NULL DEFAULT 0 CHECK (reopened >= 0),
    -- The failed checklist item this repair was opened for (shown on both sides).
    check_result_id    INTEGER REFERENCES check_results (id),
    is_open            INTEGER GENERATED ALWAYS AS (state NOT IN ('closed', 'unrepairable')) VIRTUAL,
    -- What `/` searches, lower-cased, kept by SQLite itself.
    search_text        TEXT    GENERATED ALWAYS AS (lower(
                           ticket || char(31) || device_text || char(31) || reporter || char(31) ||
                           department || char(31) || description || char(31) || maintainer ||
                           char(31) || result || char(31) || parts || char(31) || vendor ||
                           char(31) || vendor_reference || char(31) || liable_person)) STORED,
    created_at         TEXT    NOT NULL,
    created_by         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    updated_by         TEXT    NOT NULL,
    row_version        INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at         TEXT,
    retired_by         TEXT,
    retired_reason     TEXT,
    UNIQUE (year, seq)
);
-- The list: open tickets first, newest first; and the same within one month or one device.
CREATE INDEX repairs_listed ON repairs (is_open DESC, reported_at DESC, id DESC);
CREATE INDEX repairs_by_device ON repairs (device_id, reported_at);
CREATE INDEX repairs_by_maintainer ON repairs (maintainer, reported_at);
CREATE INDEX repairs_open_by_estimate ON repairs (estimate_at) WHERE is_open;
CREATE UNIQUE INDEX repairs_by_check_result ON repairs (check_result_id)
    WHERE check_result_id IS NOT NULL;

-- The timeline of a ticket: every state change with who, when and the note it carried
-- (an estimate, a result, a rejection reason). Appended, never edited.
CREATE TABLE repair_events (
    id             INTEGER PRIMARY KEY,
    repair_id      INTEGER NOT NULL REFERENCES repairs (id),
    from_state     TEXT    NOT NULL DEFAULT '',
    to_state       TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX repair_events_by_repair ON repair_events (repair_id, id);

-- Corrections to a closed ticket: the field (as in the CSV), the value it had, the new one and
-- why. The newest amendment of a field is its value. Appended, never edited.
CREATE TABLE repair_amendments (
    id             INTEGER PRIMARY KEY,
    repair_id      INTEGER NOT NULL REFERENCES repairs (id),
    field          TEXT    NOT NULL,
    old_value      TEXT    NOT NULL DEFAULT '',
    new_value      TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX repair_amendments_by_repair ON repair_amendments (repair_id, id);

CREATE TRIGGER repairs_locked BEFORE UPDATE ON repairs
    WHEN OLD.state IN ('closed', 'unrepairable')
    BEGIN SELECT RAISE(ABORT, 'repair ticket is closed'); END;
CREATE TRIGGER repairs_no_delete BEFORE DELETE ON repairs
    BEGIN SELECT RAISE(ABORT, 'repair tickets are never deleted'); END;
CREATE TRIGGER repair_events_append_only BEFORE UPDATE ON repair_events
    BEGIN SELECT RAISE(ABORT, 'repair events are never edited'); END;
CREATE TRIGGER repair_events_no_delete BEFORE DELETE ON repair_events
    BEGIN SELECT RAISE(ABORT, 'repair events are never deleted'); END;
CREATE TRIGGER repair_amendments_append_only BEFORE UPDATE ON repair_amendments
    BEGIN SELECT RAISE(ABORT, 'amendments are never edited'); END;
CREATE TRIGGER repair_amendments_no_delete BEFORE DELETE ON repair_amendments
    BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;

-- == version 5 ==

-- Tool checkout (工具领用). Each kind of tool has a default loan period in days (0: the same
-- day). A tool's status is its own; whether it is out is also its open loan item, and a unique
-- index makes a second check-out of the same tool impossible whatever program writes.
CREATE TABLE tool_kinds (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    loan_days      INTEGER NOT NULL DEFAULT 3 CHECK (loan_days BETWEEN 0 AND 365),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);

-- A retired tool (停用) has status 'retired' and says when, by whom and why.
CREATE TABLE tools (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(code)) > 0),
    name           TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    kind_id        INTEGER NOT NULL REFERENCES tool_kinds (id),
    spec           TEXT    NOT NULL DEFAULT '',
    place          TEXT    NOT NULL DEFAULT '',
    condition      TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'available'
                   CHECK (status IN ('available', 'checked_out', 'damaged', 'lost', 'retired')),
    search_text    TEXT    GENERATED ALWAYS AS (lower(
                       code || char(31) || name || char(31) || spec || char(31) || place ||
                       char(31) || condition)) STORED,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    CHECK ((status = 'retired') = (retired_at IS NOT NULL))
);
CREATE INDEX tools_by_kind ON tools (kind_id);
CREATE INDEX tools_by_status ON tools (status, code);

-- A requisition (one row of the 工具领用表 per tool): who took what, for what, with whose
-- approval. SQLite itself refuses an external loan without an approver.
CREATE TABLE tool_loans (
    id             INTEGER PRIMARY KEY,
    number         TEXT    NOT NULL UNIQUE,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    borrower       TEXT    NOT NULL CHECK (length(trim(borrower)) > 0),
    department     TEXT    NOT NULL DEFAULT '',
    external       INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1)),
    approver       TEXT    NOT NULL DEFAULT '',
    purpose        TEXT    NOT NULL DEFAULT '',
    out_at         TEXT    NOT NULL,
    condition_out  TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    CHECK (NOT external OR length(trim(approver)) > 0),
    UNIQUE (year, seq)
);
CREATE INDEX tool_loans_by_borrower ON tool_loans (borrower, out_at);
CREATE INDEX tool_loans_by_department ON tool_loans (department, out_at);
CREATE INDEX tool_loans_by_out ON tool_loans (out_at);

-- Each tool of a requisition, with its own due date and how it came back.
CREATE TABLE tool_loan_items (
    id             INTEGER PRIMARY KEY,
    loan_id        INTEGER NOT NULL REFERENCES tool_loans (id),
    tool_id        INTEGER NOT NULL REFERENCES tools (id),
    due_on         TEXT    NOT NULL CHECK (date(due_on) = due_on),
    returned_at    TEXT,
    condition_back TEXT    CHECK (condition_back IS NULL
                                  OR condition_back IN ('good', 'damaged', 'lost')),
    return_note    TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    CHECK ((returned_at IS NULL) = (condition_back IS NULL))
);
CREATE UNIQUE INDEX tool_loan_items_one_open ON tool_loan_items (tool_id) WHERE returned_at IS NULL;
CREATE INDEX tool_loan_items_open_by_due ON tool_loan_items (due_on) WHERE returned_at IS NULL;
CREATE INDEX tool_loan_items_by_loan ON tool_loan_items (loan_id);
CREATE INDEX tool_loan_items_by_tool ON tool_loan_items (tool_id, id);

-- Who pays for a tool that came back damaged or not at all (赔偿), and whether they have.
CREATE TABLE tool_liabilities (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL UNIQUE REFERENCES tool_loan_items (id),
    liable_person  TEXT    NOT NULL CHECK (length(trim(liable_person)) > 0),
    amount         INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    settled_at     TEXT,
    repair_id      INTEGER REFERENCES repairs (id),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX tool_liabilities_unsettled ON tool_liabilities (item_id) WHERE settled_at IS NULL;

-- Requisitions are the archive the regulations ask for: never deleted; a returned item and a
-- settled liability are final.
CREATE TRIGGER tool_loans_no_delete BEFORE DELETE ON tool_loans
    BEGIN SELECT RAISE(ABORT, 'tool requisitions are never deleted'); END;
CREATE TRIGGER tool_loan_items_no_delete BEFORE DELETE ON tool_loan_items
    BEGIN SELECT RAISE(ABORT, 'tool requisitions are never deleted'); END;
CREATE TRIGGER tool_loan_items_returned BEFORE UPDATE ON tool_loan_items
    WHEN OLD.returned_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a returned tool stays returned'); END;
CREATE TRIGGER tool_liabilities_settled BEFORE UPDATE ON tool_liabilities
    WHEN OLD.settled_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a settled liability is final'); END;
CREATE TRIGGER tool_liabilities_no_delete BEFORE DELETE ON tool_liabilities
    BEGIN SELECT RAISE(ABORT, 'liabilities are never deleted'); END;
CREATE TRIGGER tools_no_delete BEFORE DELETE ON tools
    BEGIN SELECT RAISE(ABORT, 'tools are retired, never deleted'); END;

-- == version 6 ==

-- Daily data (每日数据对比): what is measured each day, how it should move, what it should be.
-- A metric is named in both languages and belongs to a group (网站, 机房) and a scope (the
-- campus site it is measured on); `position` orders the comparison table.
CREATE TABLE metrics (
    id             INTEGER PRIMARY KEY,
    name_zh        TEXT    NOT NULL CHECK (length(trim(name_zh)) > 0),
    name_en        TEXT    NOT NULL CHECK (length(trim(name_en)) > 0),
    group_name     TEXT    NOT NULL CHECK (length(trim(group_name)) > 0),
    scope          TEXT    NOT NULL DEFAULT '',
    unit           TEXT    NOT NULL DEFAULT '',
    decimals       INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 4),
    direction      TEXT    NOT NULL DEFAULT 'neutral' CHECK (direction IN ('up', 'down', 'neutral')),
    target_min     REAL,
    target_max     REAL,
    alert_pct      REAL    CHECK (alert_pct IS NULL OR alert_pct > 0),
    position       INTEGER NOT NULL,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    CHECK (target_min IS NULL OR target_max IS NULL OR target_min <= target_max)
);
-- A metric in use is known by either of its names within its scope.
CREATE UNIQUE INDEX metrics_zh_in_use ON metrics (name_zh COLLATE NOCASE, scope COLLATE NOCASE)
    WHERE retired_at IS NULL;
CREATE UNIQUE INDEX metrics_en_in_use ON metrics (name_en COLLATE NOCASE, scope COLLATE NOCASE)
    WHERE retired_at IS NULL;
CREATE INDEX metrics_by_position ON metrics (position) WHERE retired_at IS NULL;

-- One value per metric and day. A cleared value is retired, not deleted; every change to a
-- value already entered is kept in reading_corrections by the trigger below, whatever program
-- writes it.
CREATE TABLE readings (
    id             INTEGER PRIMARY KEY,
    metric_id      INTEGER NOT NULL REFERENCES metrics (id),
    day            TEXT    NOT NULL CHECK (date(day) = day),
    value          REAL    NOT NULL,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    UNIQUE (metric_id, day)
);
CREATE INDEX readings_by_day ON readings (day, metric_id);

-- The correction book: the value before and after (NULL: none, or cleared), when and by whom.
CREATE TABLE reading_corrections (
    id             INTEGER PRIMARY KEY,
    reading_id     INTEGER NOT NULL REFERENCES readings (id),
    old_value      REAL,
    new_value      REAL,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX reading_corrections_by_reading ON reading_corrections (reading_id, id);

CREATE TRIGGER readings_corrected AFTER UPDATE OF value, retired_at ON readings
    WHEN OLD.value IS NOT NEW.value OR OLD.retired_at IS NOT NEW.retired_at
    BEGIN
        INSERT INTO reading_corrections (reading_id, old_value, new_value, created_at, created_by,
                                         updated_at, updated_by)
        VALUES (NEW.id,
                CASE WHEN OLD.retired_at IS NULL THEN OLD.value END,
                CASE WHEN NEW.retired_at IS NULL THEN NEW.value END,
                NEW.updated_at, NEW.updated_by, NEW.updated_at, NEW.updated_by);
    END;
CREATE TRIGGER readings_no_delete BEFORE DELETE ON readings
    BEGIN SELECT RAISE(ABORT, 'readings are cleared, never deleted'); END;
CREATE TRIGGER reading_corrections_final BEFORE UPDATE ON reading_corrections
    BEGIN SELECT RAISE(ABORT, 'corrections are never changed'); END;
CREATE TRIGGER reading_corrections_no_delete BEFORE DELETE ON reading_corrections
    BEGIN SELECT RAISE(ABORT, 'corrections are never deleted'); END;
CREATE TRIGGER metrics_no_delete BEFORE DELETE ON metrics
    BEGIN SELECT RAISE(ABORT, 'metrics are retired, never deleted'); END;

-- == version 7 ==

-- The audit log: one row for every insert, update and removal in every other table, whatever
-- program writes it. The rows are written by triggers that jifang generates from the live
-- columns after every upgrade (src/db/audit.rs), so a column added later is audited too.
-- `old_values`/`new_values` are JSON objects: an insert has the new row, a removal the old one,
-- an update only the columns it changed (who and when are `operator` and `at`).
-- Audit rows are never changed, never deleted and never pruned (regulations: logs are kept).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT    NOT NULL,
    operator       TEXT    NOT NULL,
    table_name     TEXT    NOT NULL,
    record_id      INTEGER NOT NULL,
    action         TEXT    NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_values     TEXT CHECK (old_values IS NULL OR json_valid(old_values)),
    new_values     TEXT CHECK (new_values IS NULL OR json_valid(new_values))
);
CREATE INDEX audit_log_by_record ON audit_log (table_name, record_id, id);
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_operator ON audit_log (operator, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit rows are never changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit rows are never deleted'); END;

-- == version 8 ==
-- Ten years of tickets: the list counts and pages the live tickets through an index that holds
-- only them, instead of reading every row to test `retired_at`.
CREATE INDEX repairs_listed_live ON repairs (is_open DESC, reported_at DESC, id DESC)
    WHERE retired_at IS NULL;

-- == version 9 ==
-- Missed runs: counting a checklist's signed periods reads this index alone, not ten years of
-- run rows.
CREATE INDEX check_runs_signed_periods ON check_runs (checklist_id, period_start)
    WHERE signed_at IS NOT NULL;

-- == version 10 ==
-- Filters: `/` tests `search_text` in every live row. With the text in the list's own index
-- (default order), the test reads the index alone instead of looking up every row: a third of
-- the time on a million tickets. These replace the narrower indexes of the same order.
CREATE INDEX devices_searched_by_tag ON devices (asset_tag, id, search_text)
    WHERE retired_at IS NULL AND status <> 'scrapped';
DROP INDEX devices_listed_by_tag;
CREATE INDEX repairs_searched_live ON repairs (is_open DESC, reported_at DESC, id DESC, search_text)
    WHERE retired_at IS NULL;
DROP INDEX repairs_listed_live;

-- == version 11 ==
-- Filters on the two big registers: an FTS5 trigram index of `search_text` for `devices` and for
-- `repairs` names the few rows that can hold a rare word, so `/` reads those rows instead of all
-- of them. The indexes and the triggers that keep them in step are made by src/db/search.rs
-- (`install`), one shape for both tables.

-- == version 12 ==
-- The monthly register replays each device's history book in the order its events took effect:
-- with that order in an index, the replay streams the book instead of sorting every change line
-- ever written (2.4 s of a 5 s export on ten years). The book's own screen reads one device's
-- events through it just as well.
CREATE INDEX device_events_by_effect ON device_events (device_id, effective_on, id);
DROP INDEX device_events_by_device;
-- The month's register changes, and the devices removed by a day, without reading every event.
CREATE INDEX device_events_by_day ON device_events (effective_on, id);
CREATE INDEX device_events_removed ON device_events (effective_on) WHERE kind = 'removed';

-- == version 13 ==
-- A device import writes in short steps and indexes each step's new rows in one statement.
-- While it writes a step, a row here naming a trigram index tells that index's insert trigger
-- to leave the new rows to it; the step deletes the row before it commits, so no other program
-- ever sees one. (Dropping the trigger for each step instead changed the schema under every
-- other program forty times a second, and each read the whole schema again, about 10 ms, at its
-- next statement.) Never audited: it never holds a committed row. The triggers that read it are
-- made by src/db/search.rs.
CREATE TABLE search_deferred (
    search_index TEXT PRIMARY KEY
) WITHOUT ROWID;

-- == version 14 ==
-- Each restore of a backup: the file restored, where the safety copy of the replaced state
-- went, and how many audit rows of the replaced state were carried into the restored one, so
-- the audit log never gets shorter. Its audit trigger records who restored and when.
CREATE TABLE restores (
    id             INTEGER PRIMARY KEY,
    restored_from  TEXT    NOT NULL,
    safety_copy    TEXT    NOT NULL,
    audit_carried  INTEGER NOT NULL CHECK (audit_carried >= 0),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);

-- == version 15 ==
-- Tamper evidence: each audit row jifang writes carries `hash`, the SHA-256 of the previous
-- row's hash and of its own content, set once by a trigger only jifang's connections have
-- (src/db/audit/chain.rs). A row without one was written by another program. The chain's
-- first row sums up every row from before it, so those are covered too. An audit row may be
-- changed only to set its hash, once.
-- `clock_at` is the clock's time where the logged row's own stamp may not say it: an edit
-- that left `updated_at`/`updated_by` as they were (as another program's does), a removal.
ALTER TABLE audit_log ADD COLUMN clock_at TEXT;
ALTER TABLE audit_log ADD COLUMN hash BLOB;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.id IS NOT OLD.id
      OR NEW.at IS NOT OLD.at OR NEW.operator IS NOT OLD.operator
      OR NEW.table_name IS NOT OLD.table_name OR NEW.record_id IS NOT OLD.record_id
      OR NEW.action IS NOT OLD.action OR NEW.old_values IS NOT OLD.old_values
      OR NEW.new_values IS NOT OLD.new_values OR NEW.clock_at IS NOT OLD.clock_at
    BEGIN SELECT RAISE(ABORT, 'audit rows are never changed'); END;

-- == version 16 ==
-- A lean log. An insert's audit row holds only the values the new row says (not its empty
-- fields, its id or its own who and when), and a history entry's change lines are no longer
-- audited a second time: the device's own audit row holds the same values. They are protected
-- instead: never changed, and removed only with their entry (undo removes the entry first and
-- its lines after it, in one transaction). The audit triggers are made again after this
-- version, as after every upgrade.
DROP TRIGGER IF EXISTS audit_device_event_changes_insert;
DROP TRIGGER IF EXISTS audit_device_event_changes_update;
DROP TRIGGER IF EXISTS audit_device_event_changes_delete;
CREATE TRIGGER device_event_changes_no_update BEFORE UPDATE ON device_event_changes
    BEGIN SELECT RAISE(ABORT, 'history lines are never changed'); END;
CREATE TRIGGER device_event_changes_kept BEFORE DELETE ON device_event_changes
    WHEN EXISTS (SELECT 1 FROM device_events WHERE id = OLD.event_id)
    BEGIN SELECT RAISE(ABORT, 'history lines are removed only with their entry'); END;

-- == version 17 ==
-- A history entry's change lines hold only what changed: the entry, the field's place in it,
-- the field and its two values. Who wrote a line and when is its entry's; a line is never
-- changed or retired, so it keeps no stamp or version of its own. Kept in the entry's order
-- (`seq`) without a rowid, the lines are their own index: a created device's ten lines cost
-- about 350 bytes, where they cost about 1 KB with their stamps and a separate index.
CREATE TABLE device_event_lines (
    event_id       INTEGER NOT NULL REFERENCES device_events (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    field          TEXT    NOT NULL,
    old_value      TEXT    NOT NULL DEFAULT '',
    new_value      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;
INSERT INTO device_event_lines (event_id, seq, field, old_value, new_value)
    SELECT event_id, row_number() OVER (PARTITION BY event_id ORDER BY id), field, old_value,
           new_value
    FROM device_event_changes ORDER BY event_id, id;
DROP TABLE device_event_changes;
ALTER TABLE device_event_lines RENAME TO device_event_changes;
CREATE TRIGGER device_event_changes_no_update BEFORE UPDATE ON device_event_changes
    BEGIN SELECT RAISE(ABORT, 'history lines are never changed'); END;
CREATE TRIGGER device_event_changes_kept BEFORE DELETE ON device_event_changes
    WHEN EXISTS (SELECT 1 FROM device_events WHERE id = OLD.event_id)
    BEGIN SELECT RAISE(ABORT, 'history lines are removed only with their entry'); END;

-- == version 18 ==
-- The directory is kept by hand (issue 33): a person holds any of the regulations' roles
-- (`roles`, their keys separated by spaces, e.g. `network_admin duty`), may have an employee
-- number, and is marked as having left on a day instead of being deleted. The single `role`
-- that only ordered pick lists is gone; who held one now holds it among `roles` ('staff' held
-- none). The people table's audit triggers are made again after this version.
DROP TRIGGER IF EXISTS audit_people_insert;
DROP TRIGGER IF EXISTS audit_people_update;
DROP TRIGGER IF EXISTS audit_people_delete;
ALTER TABLE people ADD COLUMN roles TEXT NOT NULL DEFAULT '';
UPDATE people SET roles = role WHERE role <> 'staff';
ALTER TABLE people DROP COLUMN role;
ALTER TABLE people ADD COLUMN employee_no TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN left_on TEXT;
CREATE UNIQUE INDEX people_by_employee_no ON people (employee_no) WHERE employee_no <> '';

-- == version 19 ==
-- Accounts (issue 33): a person of the directory may sign in. Their roles are the person's,
-- kept in one place. The password hash (Argon2id, PHC string) lives in a table of its own
-- that the audit log leaves out, so no hash is ever copied into the log; a change of password
-- shows in the log as `password_changed_at` and as an account event. `disabled` is a lock an
-- admin set, `locked_until` the one five failed sign-ins set.
CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    login               TEXT    NOT NULL CHECK (length(trim(login)) > 0),
    person_id           INTEGER NOT NULL REFERENCES people (id),
    must_change         INTEGER NOT NULL DEFAULT 1 CHECK (must_change IN (0, 1)),
    password_changed_at TEXT    NOT NULL,
    failed_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until        TEXT,
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at          TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    updated_by          TEXT    NOT NULL,
    row_version         INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at          TEXT,
    retired_by          TEXT,
    retired_reason      TEXT
);
CREATE UNIQUE INDEX accounts_by_login ON accounts (lower(login));
CREATE UNIQUE INDEX accounts_by_person ON accounts (person_id);
CREATE TABLE account_secrets (
    account_id     INTEGER PRIMARY KEY REFERENCES accounts (id),
    hash           TEXT    NOT NULL
);
-- The regulations' user-use log: sign-in, sign-out, failures, locks, password and role
-- changes. Written once, never changed or removed; each row is in the audit log too.
CREATE TABLE account_events (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER REFERENCES accounts (id),
    login          TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('sign_in', 'sign_out', 'sign_in_failed',
                       'locked', 'unlocked', 'console_locked', 'password_changed', 'password_reset',
                       'roles_changed', 'account_added', 'countersigned')),
    detail         TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1)
);
CREATE INDEX account_events_by_account ON account_events (account_id, id);
CREATE TRIGGER account_events_no_update BEFORE UPDATE ON account_events
    BEGIN SELECT RAISE(ABORT, 'account events are never changed'); END;
CREATE TRIGGER account_events_no_delete BEFORE DELETE ON account_events
    BEGIN SELECT RAISE(ABORT, 'account events are never deleted'); END;
-- Who may take which action, where an admin changed the defaults the program holds.
CREATE TABLE permissions (
    id             INTEGER PRIMARY KEY,
    deed           TEXT    NOT NULL UNIQUE,
    roles          TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
-- What shows an approval was given besides the approver's name, with accounts on: the
-- approver's countersignature (`countersigned:LOGIN`) or the paper slip (`paper:NUMBER`).
ALTER TABLE device_events ADD COLUMN approval TEXT NOT NULL DEFAULT '';
ALTER TABLE tool_loans ADD COLUMN approval TEXT NOT NULL DEFAULT '';
ALTER TABLE repairs ADD COLUMN vendor_approval TEXT NOT NULL DEFAULT '';
-- The user who signed the repair off countersigned with their own password (`countersigned:LOGIN`).
ALTER TABLE repairs ADD COLUMN confirmation TEXT NOT NULL DEFAULT '';
-- Each audit row names the login it was written under: the signed-in account's, or in open
-- mode the operating system's (`os:` before it). Set with the hash, by jifang's own seal.
ALTER TABLE audit_log ADD COLUMN login TEXT;

-- == version 20 ==
-- The history book takes lines by hand (issue 34): maintenance, degradation, software installed
-- or removed, a use, anything else. The kinds are added to `device_events.kind`'s CHECK by
-- the upgrade's own code (src/db/migrate.rs, `widen_check`: SQLite's documented way to relax a
-- CHECK without rebuilding a table that others refer to). A line by hand is never edited: a
-- correction is a new line.
-- The work calendar: holidays and make-up working days (调休) entered from the year's official
-- notice, and semester dates. Monday to Friday are working days unless a row says otherwise.
-- The checklists' periods take `workday` (and the built-in daily patrol becomes one), added to
-- `checklists.period`'s CHECK by the upgrade's code as the history's kinds are.
CREATE TABLE calendar_days (
    id             INTEGER PRIMARY KEY,
    day            TEXT    NOT NULL CHECK (date(day) = day),
    kind           TEXT    NOT NULL
                   CHECK (kind IN ('holiday', 'workday', 'semester_start', 'semester_end')),
    name           TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    UNIQUE (day, kind)
);

-- == version 21 ==
-- When in its period a checklist is due (issue 34): a weekday (`mon` … `sun`, weekly lists; a
-- holiday moves it to the next working day) and a time window (`13:00-18:00`). The 5S is due
-- on Friday afternoons (002 "机房每周五下午要进行5S").
ALTER TABLE checklists ADD COLUMN weekday TEXT NOT NULL DEFAULT '';
ALTER TABLE checklists ADD COLUMN due_window TEXT NOT NULL DEFAULT '';
-- A run keeps the last day of its period and the time it was due in, as they stood when it was
-- opened: a later change of the calendar or the template moves no run already begun, and a
-- run signed outside its time is shown as early or late from these alone. NULL in runs opened
-- before version 21, which had neither.
ALTER TABLE check_runs ADD COLUMN period_end TEXT CHECK (period_end IS NULL OR date(period_end) = period_end);
ALTER TABLE check_runs ADD COLUMN due_from TEXT;
ALTER TABLE check_runs ADD COLUMN due_until TEXT;
-- An item may stand for a set of devices (`category=ups`, `room=机房A`): a run opens it into one
-- line per device of the register at that moment, and each line's result goes into that
-- device's history book. A result therefore names its device, and one run holds an item once
-- per device: the table is rebuilt (SQLite's documented way to change a UNIQUE constraint),
-- keeping every id, with the upgrade's foreign-key check before commit.
ALTER TABLE checklist_items ADD COLUMN devices TEXT NOT NULL DEFAULT '';
CREATE TABLE check_results_new (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES check_runs (id),
    item_id        INTEGER NOT NULL REFERENCES checklist_items (id),
    position       INTEGER NOT NULL,
    outcome        TEXT    CHECK (outcome IS NULL OR outcome IN ('pass', 'fail', 'na')),
    value          TEXT    NOT NULL DEFAULT '',
    note           TEXT    NOT NULL DEFAULT '',
    answered_at    TEXT,
    answered_by    TEXT,
    -- The operator asked for a repair of this finding (the repair log links it).
    repair_wanted  INTEGER NOT NULL DEFAULT 0 CHECK (repair_wanted IN (0, 1)),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT,
    -- The device this line is about, for an item that stands for a set of devices.
    device_id      INTEGER REFERENCES devices (id)
);
INSERT INTO check_results_new
    SELECT id, run_id, item_id, position, outcome, value, note, answered_at, answered_by,
           repair_wanted, created_at, created_by, updated_at, updated_by, row_version,
           retired_at, retired_by, retired_reason, NULL
    FROM check_results;
DROP TABLE check_results;
ALTER TABLE check_results_new RENAME TO check_results;
CREATE UNIQUE INDEX check_results_once ON check_results (run_id, item_id, ifnull(device_id, 0));
CREATE INDEX check_results_by_run ON check_results (run_id, position);
CREATE INDEX check_results_by_device ON check_results (device_id) WHERE device_id IS NOT NULL;
CREATE TRIGGER check_results_locked BEFORE UPDATE ON check_results
    WHEN (SELECT signed_at FROM check_runs WHERE id = OLD.run_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'check run is signed'); END;
CREATE TRIGGER check_results_no_delete BEFORE DELETE ON check_results
    WHEN (SELECT signed_at FROM check_runs WHERE id = OLD.run_id) IS NOT NULL
      OR OLD.outcome IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'answered check results are kept'); END;

-- == version 22 ==
-- The duty's work log (值班工作日志, issue 35; 004 "认真填写工作日志", 003 "計算機室使用記錄",
-- 001 "登记参数设置和调整记录"): what the operator on duty did or saw, when, of which kind, about
-- which device if any. An entry is never edited or deleted: a correction is a new entry that
-- names the one it corrects.
CREATE TABLE duty_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT    NOT NULL CHECK (datetime(at) = at),
    kind           TEXT    NOT NULL
                   CHECK (kind IN ('work', 'fault', 'visit', 'parameter', 'call', 'other')),
    text           TEXT    NOT NULL CHECK (length(trim(text)) > 0),
    device_id      INTEGER REFERENCES devices (id),
    corrects       INTEGER REFERENCES duty_log (id),
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    row_version    INTEGER NOT NULL DEFAULT 1 CHECK (row_version >= 1),
    retired_at     TEXT,
    retired_by     TEXT,
    retired_reason TEXT
);
CREATE INDEX duty_log_by_time ON duty_log (at, id);
CREATE INDEX duty_log_by_device ON duty_log (device_id) WHERE device_id IS NOT NULL;
CREATE TRIGGER duty_log_no_update BEFORE UPDATE ON duty_log
    BEGIN SELECT RAISE(ABORT, 'work log entries are never changed: write a correcting entry'); END;
CREATE TRIGGER duty_log_no_delete BEFORE DELETE ON duty_log
    BEGIN SELECT RAISE(ABORT, 'work log entries are never deleted'); END;
