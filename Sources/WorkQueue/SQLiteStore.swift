// The default backend: one SQLite file in WAL mode with synchronous=FULL, so a returned insert
// is on disk and the daemon may move the scan away. Several robots, threads or processes, share
// the file; every change runs in a BEGIN IMMEDIATE transaction, which takes SQLite's write lock
// before reading, so a claim's "find the next New item" and "mark it InProgress" cannot be split
// by another writer and two robots never get the same item. Leases are expired lazily: each
// operation except insert and attach first turns InProgress items whose lease has ended Abandoned.
import BlankettSupport
import Foundation

public final class SQLiteStore: QueueStore, TransitionStore, VerificationStore, @unchecked Sendable {
    // @unchecked: the connection, the only mutable state, is used only while holding `lock`.
    public static var schemaVersion: Int { SQLiteSchema.version }
    public let path: String
    package let options: QueueOptions
    private let connection: SQLiteConnection
    private let lock = NSLock()

    private static let columns = """
        id, queue, reference, priority, status, specific_content, output, created_at, defer_date, due_date,
        retry_count, last_error, worker, lease_expires_at, not_for
        """

    /// Opens or creates the queue file. A new file is created 0600 before SQLite sees it; SQLite
    /// gives its -wal and -shm files the database file's mode, so they are owner-only too.
    public init(path: String, options: QueueOptions = QueueOptions()) throws {
        guard options.maxRetries >= 0 else { throw BlankettError("queue_invalid_argument", "maxRetries cannot be negative") }
        if options.readOnly {
            guard FileManager.default.fileExists(atPath: path) else {
                throw BlankettError("store_not_found", "no queue file \(path)")
            }
        } else {
            try DurableFile.createPrivate(path)
        }
        try DurableFile.requireRegularFile(path)
        connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds,
                                          readOnly: options.readOnly)
        if options.readOnly {
            try SQLiteSchema.check(connection)
        } else {
            try SQLiteSchema.prepare(connection, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        }
        self.path = path
        self.options = options
    }

    public func insert(_ item: NewQueueItem, attachments: [String: [UInt8]]) throws -> InsertResult {
        for (name, png) in attachments { try Attachment.check(name, png) }
        let now = options.clock()
        return try locked {
            try connection.transaction {
                if let existing = try connection.query("SELECT id FROM queue_items WHERE reference = ?",
                                                       [.text(item.reference.sha256)], { $0.int(0) }).first {
                    return .alreadyQueued(existing)
                }
                let id = try insertRow(item, now)
                for (name, png) in attachments { try store(id, name, png) }
                return .queued(id)
            }
        }
    }

    public func attach(_ id: Int64, name: String, png: [UInt8]) throws {
        try Attachment.check(name, png)
        try locked {
            try connection.transaction {
                _ = try fetch(id)
                try store(id, name, png)
            }
        }
    }

    public func attachments(_ id: Int64) throws -> [String: [UInt8]] {
        try locked {
            _ = try fetch(id)
            let rows = try connection.query("SELECT name, png FROM queue_attachments WHERE item_id = ?", [.int(id)]) {
                ($0.text(0) ?? "", $0.blob(1))
            }
            return Dictionary(rows, uniquingKeysWith: { first, _ in first })
        }
    }

    public func next(queue: QueueName, leaseSeconds: Int, worker: String, skipping: Set<Int64>) throws -> QueueItem? {
        try Transition.checkLease(leaseSeconds)
        try Transition.checkWorker(worker)
        let now = options.clock()
        return try locked {
            try sweep(now)
            return try connection.transaction {
                // The write lock already keeps other writers out; "AND status = 'New'" says the
                // claim's condition in the statement itself, so it holds under any isolation level.
                try connection.query("""
                    UPDATE queue_items SET status = 'InProgress', worker = ?1, lease_expires_at = ?2
                    WHERE id = (SELECT id FROM queue_items
                                WHERE queue = ?3 AND status = 'New' AND (defer_date IS NULL OR defer_date <= ?4)
                                  AND (not_for IS NULL OR not_for <> ?1)
                                  AND id NOT IN (SELECT value FROM json_each(?5))
                                ORDER BY priority DESC, created_at, id LIMIT 1)
                      AND status = 'New'
                    RETURNING \(Self.columns)
                    """, [.text(worker), time(now.addingTimeInterval(Double(leaseSeconds))), .text(queue.rawValue), time(now),
                          .text("[" + skipping.sorted().map(String.init).joined(separator: ",") + "]")],
                    decode).first
            }
        }
    }

    public func expireLeases(now: Date) throws -> Int {
        try locked { try sweep(now) }
    }

    public func list(queue: QueueName?, status: ItemStatus?, limit: Int) throws -> [QueueItem] {
        guard limit >= 0 else { throw BlankettError("queue_invalid_argument", "a list limit cannot be negative") }
        let now = options.clock()
        return try locked {
            try sweep(now)
            return try connection.query("""
                SELECT \(Self.columns) FROM queue_items
                WHERE (?1 IS NULL OR queue = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY id LIMIT ?3
                """, [.optional(queue?.rawValue), .optional(status?.rawValue), .int(Int64(limit))], decode)
        }
    }

    public func show(_ id: Int64) throws -> QueueItem {
        let now = options.clock()
        return try locked {
            try sweep(now)
            return try fetch(id)
        }
    }

    /// Nothing to do: SQLite rolls back or replays its own journal when it opens the file.
    public func recoverInterruptedWrites() throws -> (recovered: Int, removed: Int) { (0, 0) }

    public func counts() throws -> QueueCounts {
        let now = options.clock()
        return try locked {
            try sweep(now)
            var counts = QueueCounts()
            let rows = try connection.query("SELECT queue, status, count(*) FROM queue_items GROUP BY queue, status") {
                ($0.text(0).flatMap(QueueName.init), $0.text(1).flatMap(ItemStatus.init), Int($0.int(2)))
            }
            for case let (queue?, status?, count) in rows { counts[queue, status] = count }
            return counts
        }
    }

    // MARK: - Inside the lock

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Lease expiry in its own committed transaction, so an operation that then fails (completing
    /// an item that just turned Abandoned) does not roll the expiry back.
    @discardableResult
    private func sweep(_ now: Date) throws -> Int {
        guard !options.readOnly else { return 0 }
        return try connection.transaction {
            // Transition.expire, in one statement.
            try connection.execute("""
                UPDATE queue_items SET status = CASE queue WHEN 'verification' THEN 'New' ELSE 'Abandoned' END,
                    worker = CASE queue WHEN 'verification' THEN NULL ELSE worker END,
                    last_error = ?, lease_expires_at = NULL
                WHERE status = 'InProgress' AND lease_expires_at <= ?
                """, [.text(Transition.leaseExpiredError), time(now)])
        }
    }

    /// Read, decide by the shared rules, write back: atomic because the transaction holds the write lock.
    package func transition(_ id: Int64, _ change: (QueueItem) throws -> QueueItem) throws -> QueueItem {
        let now = options.clock()
        return try locked {
            try sweep(now)
            return try connection.transaction {
                let item = try change(try fetch(id))
                try update(item)
                return item
            }
        }
    }

    public func step(_ id: Int64, _ decide: (QueueItem, Date) throws -> VerificationStep) throws
        -> (item: QueueItem, application: InsertResult?) {
        let now = options.clock()
        return try locked {
            try sweep(now)
            return try connection.transaction {
                let stored = try fetch(id)
                let step = try decide(stored, now)
                if let item = step.item { try update(item) }
                let application = try step.application.map { try insertApplication($0, now) }
                for record in step.audit {
                    try connection.execute("INSERT INTO queue_audit (item_id, at, actor, event, detail) VALUES (?, ?, ?, ?, ?)",
                                           [.int(id), time(now), .text(record.actor), .text(record.event),
                                            .text(String(decoding: record.detail, as: UTF8.self))])
                }
                return (step.item ?? stored, application)
            }
        }
    }

    public func audit(_ id: Int64) throws -> [AuditEntry] {
        try locked {
            _ = try fetch(id)
            return try connection.query("SELECT at, actor, event, detail FROM queue_audit WHERE item_id = ? ORDER BY id",
                                        [.int(id)]) { row in
                guard let at = row.text(0), let actor = row.text(1), let event = row.text(2), let detail = row.text(3) else {
                    throw BlankettError("store_corrupt", "an audit entry of item \(id) cannot be read")
                }
                return AuditEntry(itemID: id, at: try Timestamp.parse(at), actor: actor, event: event, detail: Data(detail.utf8))
            }
        }
    }

    private func update(_ item: QueueItem) throws {
        try connection.execute("""
            UPDATE queue_items SET status = ?, output = ?, retry_count = ?, last_error = ?, worker = ?,
                lease_expires_at = ?, not_for = ?
            WHERE id = ?
            """, [.text(item.status.rawValue), .optional(item.output.map { String(decoding: $0, as: UTF8.self) }),
                  .int(Int64(item.retryCount)), .optional(item.lastError), .optional(item.worker),
                  time(item.leaseExpiresAt), .optional(item.notFor), .int(item.id)])
    }

    /// The settled form, once per reference in `applications`.
    private func insertApplication(_ item: NewQueueItem, _ now: Date) throws -> InsertResult {
        if let existing = try connection.query("SELECT id FROM queue_items WHERE queue = 'applications' AND reference = ?",
                                               [.text(item.reference.sha256)], { $0.int(0) }).first {
            return .alreadyQueued(existing)
        }
        return .queued(try insertRow(item, now))
    }

    private func fetch(_ id: Int64) throws -> QueueItem {
        guard let item = try connection.query("SELECT \(Self.columns) FROM queue_items WHERE id = ?", [.int(id)], decode).first else {
            throw Transition.notFound(id)
        }
        return item
    }

    private func insertRow(_ item: NewQueueItem, _ now: Date) throws -> Int64 {
        let ids = try connection.query("""
            INSERT INTO queue_items (queue, reference, priority, status, specific_content, created_at, defer_date, due_date)
            VALUES (?, ?, ?, 'New', ?, ?, ?, ?) RETURNING id
            """, [.text(item.queue.rawValue), .text(item.reference.sha256), .int(Int64(item.priority)),
                  .text(String(decoding: item.specificContent, as: UTF8.self)), time(now), time(item.deferDate),
                  time(item.dueDate)]) { $0.int(0) }
        guard let id = ids.first else { throw BlankettError("store_failed", "the insert returned no id") }
        return id
    }

    private func store(_ id: Int64, _ name: String, _ png: [UInt8]) throws {
        try connection.execute("INSERT OR REPLACE INTO queue_attachments (item_id, name, png) VALUES (?, ?, ?)",
                               [.int(id), .text(name), .blob(png)])
    }

    private func time(_ date: Date?) -> SQLValue {
        SQLValue.optional(date.map(Timestamp.format))
    }

    private func decode(_ row: SQLiteRow) throws -> QueueItem {
        let corrupt = BlankettError("store_corrupt", "queue item \(row.int(0)) has a field this Blankett cannot read")
        guard let queue = row.text(1).flatMap(QueueName.init(rawValue:)),
              let reference = row.text(2).flatMap({ try? QueueReference(sha256: $0) }),
              let status = row.text(4).flatMap(ItemStatus.init(rawValue:)),
              let content = row.text(5), let created = row.text(7) else { throw corrupt }
        return QueueItem(id: row.int(0), queue: queue, reference: reference, priority: Int(row.int(3)), status: status,
                         specificContent: Data(content.utf8), output: row.text(6).map { Data($0.utf8) },
                         createdAt: try Timestamp.parse(created), deferDate: try row.text(8).map(Timestamp.parse),
                         dueDate: try row.text(9).map(Timestamp.parse), retryCount: Int(row.int(10)),
                         lastError: row.text(11), worker: row.text(12), leaseExpiresAt: try row.text(13).map(Timestamp.parse),
                         notFor: row.text(14))
    }
}
