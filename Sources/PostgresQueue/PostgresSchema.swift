// The queue's tables on a PostgreSQL server, versioned in the table blankett_schema. Each entry of
// `migrations` brings a database from version i to i + 1; they run in one transaction that first
// takes a transaction-scoped advisory lock, so of several daemons starting at once against a new
// database one migrates and the others wait, then find it done (DDL is transactional here, so a
// migration interrupted half-way leaves nothing behind). A database of a newer Blankett is refused
// rather than misread. Every statement is its own string: the extended protocol takes one each.
//
// Times are timestamptz, readable by an operator's psql; the store converts them through whole
// milliseconds (blankett_at / blankett_ms, integer arithmetic both ways), the precision SQLite
// keeps, so a time read back compares equal to the one written.
import BlankettSupport
import PostgresNIO
import WorkQueue

enum PostgresSchema {
    static let migrations: [[String]] = [
        [
            """
            CREATE FUNCTION blankett_at(ms bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT
                AS $$ SELECT timestamptz 'epoch' + ms * interval '1 millisecond' $$
            """,
            """
            CREATE FUNCTION blankett_ms(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
                AS $$ SELECT round(extract(epoch FROM t) * 1000)::bigint $$
            """,
            """
            CREATE TABLE queue_items (
                -- An identity is never reused, so a robot's log keeps pointing at one item.
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                queue text NOT NULL CHECK (queue IN ('applications', 'verification')),
                reference text NOT NULL,
                priority bigint NOT NULL,
                status text NOT NULL CHECK (status IN ('New', 'InProgress', 'Successful', 'Failed', 'Abandoned')),
                -- json, not jsonb: json keeps the canonical text byte for byte.
                specific_content json NOT NULL,
                output json,
                created_at timestamptz NOT NULL,
                defer_date timestamptz,
                due_date timestamptz,
                retry_count bigint NOT NULL DEFAULT 0,
                last_error text,
                worker text,
                lease_expires_at timestamptz,
                CHECK ((status = 'InProgress') = (lease_expires_at IS NOT NULL))
            )
            """,
            "CREATE UNIQUE INDEX queue_items_reference ON queue_items (reference)",
            // next(): the claimable items of a queue in claim order; expireLeases(): leases by end.
            "CREATE INDEX queue_items_claim ON queue_items (queue, priority DESC, created_at, id) WHERE status = 'New'",
            "CREATE INDEX queue_items_lease ON queue_items (lease_expires_at) WHERE status = 'InProgress'",
            """
            CREATE TABLE queue_attachments (
                item_id bigint NOT NULL REFERENCES queue_items (id),
                name text NOT NULL,
                png bytea NOT NULL,
                PRIMARY KEY (item_id, name)
            )
            """,
        ],
        // 2: the verification station (as SQLite's migration 2): Returned, the second-operator
        // reservation, the reference unique per queue (a settled verification item puts its
        // application in `applications` under the same reference; insert still refuses a reference
        // in any queue), the audit trail.
        [
            "ALTER TABLE queue_items DROP CONSTRAINT queue_items_status_check",
            """
            ALTER TABLE queue_items ADD CONSTRAINT queue_items_status_check
                CHECK (status IN ('New', 'InProgress', 'Successful', 'Failed', 'Abandoned', 'Returned'))
            """,
            "ALTER TABLE queue_items ADD COLUMN not_for text",
            "DROP INDEX queue_items_reference",
            "CREATE UNIQUE INDEX queue_items_queue_reference ON queue_items (queue, reference)",
            "CREATE INDEX queue_items_reference ON queue_items (reference)",
            """
            CREATE TABLE queue_audit (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                item_id bigint NOT NULL REFERENCES queue_items (id),
                at timestamptz NOT NULL,
                actor text NOT NULL,
                event text NOT NULL,
                detail json NOT NULL
            )
            """,
            "CREATE INDEX queue_audit_item ON queue_audit (item_id, id)",
        ],
    ]

    static var version: Int { migrations.count }

    /// "blankett" in ASCII: the advisory lock key of the migration, the same in every process.
    static let migrationLock: Int64 = 0x626C_616E_6B65_7474

    static func migrate(_ link: PostgresLink) throws {
        try link.transaction {
            try link.query("SELECT pg_advisory_xact_lock(\(migrationLock))")
            try link.query("CREATE TABLE IF NOT EXISTS blankett_schema (version integer NOT NULL)")
            let found = try storedVersion(link)
            guard found <= version else { throw tooNew(found) }
            guard found < version else { return }
            for step in migrations[found...] {
                for statement in step { try link.query(PostgresQuery(unsafeSQL: statement)) }
            }
            try link.query("DELETE FROM blankett_schema")
            try link.query("INSERT INTO blankett_schema (version) VALUES (\(version))")
        }
    }

    /// For a read-only store: the database must hold a queue of exactly this schema, since it
    /// cannot be upgraded (and a database without one is not a queue).
    static func check(_ link: PostgresLink) throws {
        let exists = try link.query("SELECT to_regclass('blankett_schema') IS NOT NULL").first?.decode(Bool.self) ?? false
        guard exists else {
            throw BlankettError("store_not_found", "the PostgreSQL database \(link.address.database) holds no Blankett queue")
        }
        let found = try storedVersion(link)
        guard found <= version else { throw tooNew(found) }
        guard found == version else {
            throw BlankettError("store_schema_too_old",
                                "the queue database has schema version \(found); this Blankett reads \(version) (open it once for writing to upgrade)")
        }
    }

    private static func storedVersion(_ link: PostgresLink) throws -> Int {
        let row = try link.query("SELECT max(version) FROM blankett_schema").first
        return try row?.decode(Int?.self) ?? 0
    }

    private static func tooNew(_ found: Int) -> BlankettError {
        BlankettError("store_schema_too_new", "the queue database has schema version \(found); this Blankett knows up to \(version)")
    }
}
