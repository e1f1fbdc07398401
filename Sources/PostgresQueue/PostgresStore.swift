// The queue on a PostgreSQL server, for several scanning stations and robots on several machines
// sharing one queue (`--store postgres://USER@HOST:PORT/DB`). Same contract as SQLiteStore, the
// same rules (QueueTransitions), the same lazy lease expiry: every operation except insert and
// attach first turns InProgress items whose lease has ended Abandoned, in its own committed
// transaction. A claim is one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED)` inside a
// transaction: the row lock, not a table lock, keeps two robots off one item, and a robot skips a
// row another is claiming instead of waiting for it. An insert first takes a transaction-scoped
// advisory lock on its reference, so two stations inserting the same scan at once get one item:
// the second waits for the first's commit, then finds its row and answers already queued.
// The verification station's step runs the same way: the item's row locked, item, application
// and audit records written in one transaction.
//
// The pictures of doubtful fields are bytea in queue_attachments, not files beside the database:
// the stations and desks share the server and nothing else (a shared folder is what this backend
// replaces), an item and its crops commit in one transaction so no robot sees an item without
// them, a backup of the database is a backup of the queue, and the crops are a few KB each.
import BlankettSupport
import Foundation
import NIOCore
import PostgresNIO
import WorkQueue

public final class PostgresStore: QueueStore, TransitionStore, VerificationStore, @unchecked Sendable {
    // @unchecked: the only mutable state is the session's connection, used under its lock.
    public static var schemaVersion: Int { PostgresSchema.version }
    public let address: PostgresAddress
    package let options: QueueOptions
    private let session: PostgresSession

    /// The first key of the advisory locks on references ("blan"); the second is the reference's hash.
    private static let referenceLocks: Int32 = 0x626C_616E

    private static let columns = """
        id, queue, reference, priority, status, specific_content::text, output::text, blankett_ms(created_at),
        blankett_ms(defer_date), blankett_ms(due_date), retry_count, last_error, worker, blankett_ms(lease_expires_at), not_for
        """

    /// Connects on first use (a daemon starts while the server is down), except read-only: the
    /// commands that only look fail at once when the server is unreachable or holds no queue.
    /// A writable store migrates the schema on each new connection; a read-only one checks it.
    public init(address: PostgresAddress, password: String?, options: QueueOptions = QueueOptions()) throws {
        guard options.maxRetries >= 0 else { throw BlankettError("queue_invalid_argument", "maxRetries cannot be negative") }
        self.address = address
        self.options = options
        let readOnly = options.readOnly
        session = try PostgresSession(address: address, password: password, readOnly: readOnly) { link in
            if readOnly { try PostgresSchema.check(link) } else { try PostgresSchema.migrate(link) }
        }
        if options.readOnly { try session.run { _ in } }
    }

    public func insert(_ item: NewQueueItem, attachments: [String: [UInt8]]) throws -> InsertResult {
        for (name, png) in attachments { try Attachment.check(name, png) }
        let now = Timestamp.milliseconds(options.clock())
        return try session.run { db in
            try db.transaction {
                if let existing = try existingID(db, item.reference) { return .alreadyQueued(existing) }
                let id = try insertRow(db, item, now)
                for (name, png) in attachments { try store(db, id, name, png) }
                return .queued(id)
            }
        }
    }

    public func attach(_ id: Int64, name: String, png: [UInt8]) throws {
        try Attachment.check(name, png)
        try session.run { db in
            try db.transaction {
                _ = try fetch(db, id, lock: true)
                try store(db, id, name, png)
            }
        }
    }

    public func attachments(_ id: Int64) throws -> [String: [UInt8]] {
        try session.run { db in
            _ = try fetch(db, id)
            var crops: [String: [UInt8]] = [:]
            for row in try db.query("SELECT name, png FROM queue_attachments WHERE item_id = \(id)") {
                let (name, png) = try row.decode((String, ByteBuffer).self)
                crops[name] = Array(png.readableBytesView)
            }
            return crops
        }
    }

    public func next(queue: QueueName, leaseSeconds: Int, worker: String, skipping: Set<Int64>) throws -> QueueItem? {
        try Transition.checkLease(leaseSeconds)
        try Transition.checkWorker(worker)
        let now = Timestamp.milliseconds(options.clock())
        return try session.run { db in
            try sweep(db, now)
            return try db.transaction {
                // "AND status = 'New'" outside too: the claim's condition stated where the row is written.
                try db.query("""
                    UPDATE queue_items SET status = 'InProgress', worker = \(worker),
                        lease_expires_at = blankett_at(\(now + Int64(leaseSeconds) * 1000))
                    WHERE id = (SELECT id FROM queue_items
                                WHERE queue = \(queue.rawValue) AND status = 'New'
                                  AND (defer_date IS NULL OR defer_date <= blankett_at(\(now)))
                                  AND (not_for IS NULL OR not_for <> \(worker)) AND NOT (id = ANY(\(skipping.sorted())))
                                ORDER BY priority DESC, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                      AND status = 'New'
                    RETURNING \(unescaped: Self.columns)
                    """).first.map(decode)
            }
        }
    }

    public func expireLeases(now: Date) throws -> Int {
        try session.run { db in try sweep(db, Timestamp.milliseconds(now)) }
    }

    public func list(queue: QueueName?, status: ItemStatus?, limit: Int) throws -> [QueueItem] {
        guard limit >= 0 else { throw BlankettError("queue_invalid_argument", "a list limit cannot be negative") }
        let now = Timestamp.milliseconds(options.clock())
        return try session.run { db in
            try sweep(db, now)
            return try db.query("""
                SELECT \(unescaped: Self.columns) FROM queue_items
                WHERE (\(queue?.rawValue)::text IS NULL OR queue = \(queue?.rawValue)::text)
                  AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)::text)
                ORDER BY id LIMIT \(Int64(limit))
                """).map(decode)
        }
    }

    public func show(_ id: Int64) throws -> QueueItem {
        let now = Timestamp.milliseconds(options.clock())
        return try session.run { db in
            try sweep(db, now)
            return try fetch(db, id)
        }
    }

    public func counts() throws -> QueueCounts {
        let now = Timestamp.milliseconds(options.clock())
        return try session.run { db in
            try sweep(db, now)
            var counts = QueueCounts()
            for row in try db.query("SELECT queue, status, count(*) FROM queue_items GROUP BY queue, status") {
                let (queue, status, count) = try row.decode((String, String, Int64).self)
                if let queue = QueueName(rawValue: queue), let status = ItemStatus(rawValue: status) {
                    counts[queue, status] = Int(count)
                }
            }
            return counts
        }
    }

    /// Nothing to do: the server rolls back what a killed client left uncommitted.
    public func recoverInterruptedWrites() throws -> (recovered: Int, removed: Int) { (0, 0) }

    /// Read, decide by the shared rules, write back, with the row locked for the transaction.
    package func transition(_ id: Int64, _ change: (QueueItem) throws -> QueueItem) throws -> QueueItem {
        let now = Timestamp.milliseconds(options.clock())
        return try session.run { db in
            try sweep(db, now)
            return try db.transaction {
                let item = try change(try fetch(db, id, lock: true))
                try update(db, item)
                return item
            }
        }
    }

    public func step(_ id: Int64, _ decide: (QueueItem, Date) throws -> VerificationStep) throws
        -> (item: QueueItem, application: InsertResult?) {
        let clock = options.clock(), now = Timestamp.milliseconds(clock)
        return try session.run { db in
            try sweep(db, now)
            return try db.transaction {
                let stored = try fetch(db, id, lock: true)
                let step = try decide(stored, clock)
                if let item = step.item { try update(db, item) }
                let application = try step.application.map { application -> InsertResult in
                    // The settled form, once per reference in `applications`.
                    if let existing = try existingID(db, application.reference, queue: .applications) { return .alreadyQueued(existing) }
                    return .queued(try insertRow(db, application, now))
                }
                for record in step.audit {
                    try db.query("""
                        INSERT INTO queue_audit (item_id, at, actor, event, detail)
                        VALUES (\(id), blankett_at(\(now)), \(record.actor), \(record.event),
                                \(String(decoding: record.detail, as: UTF8.self))::json)
                        """)
                }
                return (step.item ?? stored, application)
            }
        }
    }

    public func audit(_ id: Int64) throws -> [AuditEntry] {
        try session.run { db in
            _ = try fetch(db, id)
            return try db.query("""
                SELECT blankett_ms(at), actor, event, detail::text FROM queue_audit WHERE item_id = \(id) ORDER BY id
                """).map { row in
                let (at, actor, event, detail) = try row.decode((Int64, String, String, String).self)
                return AuditEntry(itemID: id, at: date(at), actor: actor, event: event, detail: Data(detail.utf8))
            }
        }
    }

    // MARK: - Inside the session's lock

    /// Lease expiry (Transition.expire, in one statement) in its own committed transaction, so an
    /// operation that then fails (completing an item that just turned Abandoned) does not roll the
    /// expiry back. The rows are locked in id order, so two processes sweeping at once never deadlock.
    @discardableResult
    private func sweep(_ db: PostgresLink, _ now: Int64) throws -> Int {
        guard !options.readOnly else { return 0 }
        return try db.query("""
            UPDATE queue_items SET status = CASE queue WHEN 'verification' THEN 'New' ELSE 'Abandoned' END,
                worker = CASE queue WHEN 'verification' THEN NULL ELSE worker END,
                last_error = \(Transition.leaseExpiredError), lease_expires_at = NULL
            WHERE id IN (SELECT id FROM queue_items WHERE status = 'InProgress' AND lease_expires_at <= blankett_at(\(now))
                         ORDER BY id FOR UPDATE)
            """).metadata.rows ?? 0
    }

    /// The item holding `reference` (in `queue`, or in any queue), after waiting for any other
    /// session's transaction that inserts it: the advisory lock is held until this one ends.
    private func existingID(_ db: PostgresLink, _ reference: QueueReference, queue: QueueName? = nil) throws -> Int64? {
        try db.query("SELECT pg_advisory_xact_lock(\(Self.referenceLocks), hashtext(\(reference.sha256)))")
        return try db.query("""
            SELECT id FROM queue_items WHERE reference = \(reference.sha256) AND (\(queue?.rawValue)::text IS NULL OR queue = \(queue?.rawValue)::text)
            ORDER BY id LIMIT 1
            """).first?.decode(Int64.self)
    }

    private func insertRow(_ db: PostgresLink, _ item: NewQueueItem, _ now: Int64) throws -> Int64 {
        let ids = try db.query("""
            INSERT INTO queue_items (queue, reference, priority, status, specific_content, created_at, defer_date, due_date)
            VALUES (\(item.queue.rawValue), \(item.reference.sha256), \(Int64(item.priority)), 'New',
                    \(String(decoding: item.specificContent, as: UTF8.self))::json, blankett_at(\(now)),
                    blankett_at(\(milliseconds(item.deferDate))), blankett_at(\(milliseconds(item.dueDate))))
            RETURNING id
            """)
        guard let id = try ids.first?.decode(Int64.self) else { throw BlankettError("store_failed", "the insert returned no id") }
        return id
    }

    private func update(_ db: PostgresLink, _ item: QueueItem) throws {
        try db.query("""
            UPDATE queue_items SET status = \(item.status.rawValue),
                output = \(item.output.map { String(decoding: $0, as: UTF8.self) })::json,
                retry_count = \(Int64(item.retryCount)), last_error = \(item.lastError)::text,
                worker = \(item.worker)::text, lease_expires_at = blankett_at(\(milliseconds(item.leaseExpiresAt))),
                not_for = \(item.notFor)::text
            WHERE id = \(item.id)
            """)
    }

    private func fetch(_ db: PostgresLink, _ id: Int64, lock: Bool = false) throws -> QueueItem {
        guard let row = try db.query("""
            SELECT \(unescaped: Self.columns) FROM queue_items WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """).first else {
            throw Transition.notFound(id)
        }
        return try decode(row)
    }

    private func store(_ db: PostgresLink, _ id: Int64, _ name: String, _ png: [UInt8]) throws {
        try db.query("""
            INSERT INTO queue_attachments (item_id, name, png) VALUES (\(id), \(name), \(ByteBuffer(bytes: png)))
            ON CONFLICT (item_id, name) DO UPDATE SET png = EXCLUDED.png
            """)
    }

    private func milliseconds(_ date: Date?) -> Int64? {
        date.map(Timestamp.milliseconds)
    }

    private func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private func decode(_ row: PostgresRow) throws -> QueueItem {
        let cells = row.makeRandomAccess()
        let id = try cells[0].decode(Int64.self)
        let corrupt = BlankettError("store_corrupt", "queue item \(id) has a field this Blankett cannot read")
        do {
            guard let queue = QueueName(rawValue: try cells[1].decode(String.self)),
                  let reference = try? QueueReference(sha256: try cells[2].decode(String.self)),
                  let status = ItemStatus(rawValue: try cells[4].decode(String.self)) else { throw corrupt }
            return QueueItem(
                id: id, queue: queue, reference: reference, priority: Int(try cells[3].decode(Int64.self)), status: status,
                specificContent: Data(try cells[5].decode(String.self).utf8),
                output: try cells[6].decode(String?.self).map { Data($0.utf8) },
                createdAt: date(try cells[7].decode(Int64.self)), deferDate: try cells[8].decode(Int64?.self).map(date),
                dueDate: try cells[9].decode(Int64?.self).map(date), retryCount: Int(try cells[10].decode(Int64.self)),
                lastError: try cells[11].decode(String?.self), worker: try cells[12].decode(String?.self),
                leaseExpiresAt: try cells[13].decode(Int64?.self).map(date), notFor: try cells[14].decode(String?.self))
        } catch is PostgresDecodingError {
            throw corrupt
        }
    }
}
