// The queue as the daemon and the robots see it, whatever holds it: SQLite file (default), a
// folder outbox, or a PostgreSQL server shared by several stations (PostgresQueue). All methods
// are safe to call from several threads and from several processes, on one machine or several.
import Foundation

public protocol QueueStore: AnyObject, Sendable {
    /// Adds the item and its attachments (PNG crops by field name) in one transaction, or reports
    /// the id already holding this reference (then nothing is written).
    func insert(_ item: NewQueueItem, attachments: [String: [UInt8]]) throws -> InsertResult
    /// Adds or replaces one PNG attachment of an existing item.
    func attach(_ id: Int64, name: String, png: [UInt8]) throws
    /// The item's attachments by name.
    func attachments(_ id: Int64) throws -> [String: [UInt8]]
    /// Atomically claims the next claimable item of `queue` (New, defer_date not in the future,
    /// not reserved against `worker` by `notFor`, not in `skipping`; highest priority, then oldest,
    /// then lowest id), marks it InProgress for `worker` with a lease of `leaseSeconds`, and
    /// returns it; nil when there is none. `skipping` is what a clerk passed over this session.
    func next(queue: QueueName, leaseSeconds: Int, worker: String, skipping: Set<Int64>) throws -> QueueItem?
    /// InProgress → Successful, keeping the robot's `output` (a JSON object) if given.
    func complete(_ id: Int64, output: Data?) throws -> QueueItem
    /// InProgress → New (retry) or Failed; see `FailureKind`.
    func fail(_ id: Int64, error: String, kind: FailureKind) throws -> QueueItem
    /// Abandoned or Failed → New, for an operator who has checked what the robot left undone.
    func retry(_ id: Int64) throws -> QueueItem
    /// Ends every InProgress lease that ended at or before `now` (`Transition.expire`: Abandoned,
    /// or New in verification); returns how many.
    /// The other operations (except insert and attach) do this first with the store's clock.
    func expireLeases(now: Date) throws -> Int
    /// Items by ascending id, optionally of one queue and/or status.
    func list(queue: QueueName?, status: ItemStatus?, limit: Int) throws -> [QueueItem]
    func show(_ id: Int64) throws -> QueueItem
    func counts() throws -> QueueCounts
    /// Puts right what a process killed in the middle of a write left behind; for the daemon's start.
    func recoverInterruptedWrites() throws -> (recovered: Int, removed: Int)
}

/// Settings shared by the backends.
public struct QueueOptions: Sendable {
    /// How often an application failure is retried (back to New) before the item stays Failed.
    public var maxRetries: Int
    /// How long SQLite waits for another connection's write lock before `store_busy`.
    public var busyTimeoutMilliseconds: Int
    /// The time used for created_at, leases and defer dates; tests inject their own.
    public var clock: @Sendable () -> Date
    /// For the commands that only look (status, list, show, export): the store must exist (a
    /// mistyped path is an error, not a new empty queue) and is never written, so these commands
    /// work without write access. Leases that ran out are shown as stored (InProgress) until a
    /// writing operation turns them Abandoned.
    public var readOnly: Bool

    public init(maxRetries: Int = 3, busyTimeoutMilliseconds: Int = 5_000,
                clock: @escaping @Sendable () -> Date = { Date() }, readOnly: Bool = false) {
        self.maxRetries = maxRetries
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.clock = clock
        self.readOnly = readOnly
    }
}

extension QueueStore {
    public func next(queue: QueueName, leaseSeconds: Int, worker: String) throws -> QueueItem? {
        try next(queue: queue, leaseSeconds: leaseSeconds, worker: worker, skipping: [])
    }

    public func insert(_ item: NewQueueItem) throws -> InsertResult {
        try insert(item, attachments: [:])
    }

    public func complete(_ id: Int64) throws -> QueueItem {
        try complete(id, output: nil)
    }

    public func fail(_ id: Int64, error: String) throws -> QueueItem {
        try fail(id, error: error, kind: .application)
    }
}
