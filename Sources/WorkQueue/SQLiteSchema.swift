// The queue's SQLite schema and connection settings. The schema version lives in
// PRAGMA user_version (a field of the file header, readable without any table); each entry of
// `migrations` brings a file from version i to i + 1, so an old queue file is upgraded in place
// and a file from a newer Blankett is refused rather than misread.
import BlankettSupport
import Foundation

enum SQLiteSchema {
    static let migrations = [
        """
        CREATE TABLE queue_items (
            -- AUTOINCREMENT: an id is never reused, so a robot's log keeps pointing at one item.
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL CHECK (queue IN ('applications', 'verification')),
            reference TEXT NOT NULL UNIQUE,
            priority INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('New', 'InProgress', 'Successful', 'Failed', 'Abandoned')),
            specific_content TEXT NOT NULL,
            output TEXT,
            -- Times are fixed-width UTC ISO 8601 text, so text order is time order.
            created_at TEXT NOT NULL,
            defer_date TEXT,
            due_date TEXT,
            retry_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            worker TEXT,
            lease_expires_at TEXT,
            CHECK ((status = 'InProgress') = (lease_expires_at IS NOT NULL))
        );
        -- next(): the claimable items of a queue in claim order.
        CREATE INDEX queue_items_claim ON queue_items (queue, status, priority DESC, created_at, id);
        -- expireLeases(): the InProgress items by lease end.
        CREATE INDEX queue_items_lease ON queue_items (status, lease_expires_at);
        CREATE TABLE queue_attachments (
            item_id INTEGER NOT NULL REFERENCES queue_items (id),
            name TEXT NOT NULL,
            png BLOB NOT NULL,
            PRIMARY KEY (item_id, name)
        );
        """,
        // 2: the verification station. A settled verification item puts its application in
        // `applications` under the same reference, so the reference is unique per queue (insert
        // still refuses a reference found in any queue); Returned; the second-operator
        // reservation; the audit trail. SQLite changes a constraint only by rebuilding the table.
        """
        CREATE TABLE queue_items_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL CHECK (queue IN ('applications', 'verification')),
            reference TEXT NOT NULL,
            priority INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('New', 'InProgress', 'Successful', 'Failed', 'Abandoned', 'Returned')),
            specific_content TEXT NOT NULL,
            output TEXT,
            created_at TEXT NOT NULL,
            defer_date TEXT,
            due_date TEXT,
            retry_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            worker TEXT,
            lease_expires_at TEXT,
            not_for TEXT,
            UNIQUE (queue, reference),
            CHECK ((status = 'InProgress') = (lease_expires_at IS NOT NULL))
        );
        INSERT INTO queue_items_v2 (id, queue, reference, priority, status, specific_content, output, created_at, defer_date,
                                    due_date, retry_count, last_error, worker, lease_expires_at)
            SELECT id, queue, reference, priority, status, specific_content, output, created_at, defer_date,
                   due_date, retry_count, last_error, worker, lease_expires_at FROM queue_items;
        DROP TABLE queue_items;
        ALTER TABLE queue_items_v2 RENAME TO queue_items;
        CREATE INDEX queue_items_claim ON queue_items (queue, status, priority DESC, created_at, id);
        CREATE INDEX queue_items_lease ON queue_items (status, lease_expires_at);
        CREATE INDEX queue_items_reference ON queue_items (reference);
        CREATE TABLE queue_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id INTEGER NOT NULL REFERENCES queue_items (id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            event TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX queue_audit_item ON queue_audit (item_id, id);
        """,
    ]

    static var version: Int { migrations.count }

    /// Per-connection settings, then the schema brought up to `version` in one transaction
    /// (two processes opening a new file at once: the second finds it done).
    static func prepare(_ connection: SQLiteConnection, busyTimeoutMilliseconds: Int) throws {
        // WAL: readers never block the writer and a commit is one append. The setting is stored
        // in the file; a file system that cannot do WAL (some network mounts) answers otherwise.
        let mode = try journalModeWAL(connection, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        guard mode == "wal" else {
            throw BlankettError("store_unavailable", "the queue file cannot use WAL mode here (journal mode \(mode ?? "unknown"))")
        }
        // FULL: a commit is on disk when insert returns, so the daemon may move the scan away.
        try connection.execute("PRAGMA synchronous = FULL")
        // Foreign keys are checked only after the migrations: rebuilding a table that others
        // refer to (migration 2) drops it first, which a checked key would refuse.
        try connection.transaction {
            let found = Int(try connection.query("PRAGMA user_version") { $0.int(0) }.first ?? 0)
            guard found <= version else {
                throw BlankettError("store_schema_too_new",
                                    "the queue file has schema version \(found); this Blankett knows up to \(version)")
            }
            guard found < version else { return }
            for step in migrations[found...] { try connection.executeScript(step) }
            // PRAGMA takes no bound values; `version` is our own integer.
            try connection.execute("PRAGMA user_version = \(version)")
        }
        try connection.execute("PRAGMA foreign_keys = ON")
    }

    /// For a read-only connection: the file must be a queue of exactly this schema, since it
    /// cannot be upgraded (and an empty file, or another database, is not a queue).
    static func check(_ connection: SQLiteConnection) throws {
        let found = Int(try connection.query("PRAGMA user_version") { $0.int(0) }.first ?? 0)
        guard found != 0 else { throw BlankettError("store_not_found", "the file is not a Blankett queue") }
        guard found == version else {
            throw BlankettError(found > version ? "store_schema_too_new" : "store_schema_too_old",
                                "the queue file has schema version \(found); this Blankett reads \(version) (open it once for writing to upgrade)")
        }
    }

    /// Converting the journal needs the file to itself, and SQLite does not run the busy handler
    /// for it: two processes opening a new queue at once got "database is locked" at once. So the
    /// mode is read first (WAL stays in the file: after the first open nothing is converted), and
    /// a conversion that finds the file busy is retried within the busy timeout.
    private static func journalModeWAL(_ connection: SQLiteConnection, busyTimeoutMilliseconds: Int) throws -> String? {
        let current = try connection.query("PRAGMA journal_mode") { $0.text(0) }.first ?? nil
        if current == "wal" { return current }
        let deadline = ContinuousClock.now + .milliseconds(busyTimeoutMilliseconds)
        while true {
            do {
                return try connection.query("PRAGMA journal_mode = WAL") { $0.text(0) }.first ?? nil
            } catch let error as BlankettError where error.code == "store_busy" && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }
}
