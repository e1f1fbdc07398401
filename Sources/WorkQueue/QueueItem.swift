// A work-queue item in the RPA convention (UiPath Orchestrator / Blue Prism work queues), so the
// robot that registers the applications sees the fields and states it already knows.
// The item carries the form's reading in `specificContent`, personnummer included: that is the
// queue's job. Nothing here prints it: an item describes itself by id, queue, reference and status.
import BlankettSupport
import Foundation

/// `applications` holds accepted forms for the robot; `verification` forms a person must look at.
public enum QueueName: String, CaseIterable, Sendable {
    case applications, verification
}

/// New → InProgress → Successful | Failed | Abandoned; a retried failure goes back to New.
/// Returned: a clerk sent the form back to the applicant (no signature, no choice, …); final.
public enum ItemStatus: String, CaseIterable, Sendable {
    case new = "New", inProgress = "InProgress", successful = "Successful", failed = "Failed", abandoned = "Abandoned"
    case returned = "Returned"
}

/// The two failure kinds of the RPA convention: an application (technical) failure is worth
/// another try, a business failure (the data itself is wrong) never is.
public enum FailureKind: Sendable {
    case application, business
}

/// Inserting is idempotent on the reference: a daemon that crashed after the commit but before it
/// moved the scan away reads the same scan again and learns it is already queued.
public enum InsertResult: Equatable, Sendable {
    case queued(Int64)
    case alreadyQueued(Int64)

    public var id: Int64 {
        switch self { case .queued(let id), .alreadyQueued(let id): id }
    }
}

/// The unique reference of an item: the SHA-256 of the scanned file, in lower-case hex. It is a
/// type of its own so that nothing else, a personnummer least of all, can be passed as one; it
/// also names the outbox files, and a robot can check it against the scan with `sha256sum`.
public struct QueueReference: Hashable, Sendable, CustomStringConvertible {
    public let sha256: String

    public init(scan bytes: [UInt8]) {
        sha256 = SHA256.hex(bytes)
    }

    public init(sha256 hex: String) throws {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw BlankettError("queue_invalid_item", "a reference is the scan's SHA-256 as 64 lower-case hex digits")
        }
        sha256 = hex
    }

    public var description: String { sha256 }
}

/// What a producer hands to `insert`; the store adds id, status, created_at and the counters.
public struct NewQueueItem: Sendable {
    public let queue: QueueName
    public let reference: QueueReference
    /// Higher is claimed first.
    public let priority: Int
    /// A JSON object, stored in canonical form (keys sorted, one line) so that exports and the
    /// outbox can embed it verbatim and a re-read gives the same bytes.
    public let specificContent: Data
    /// Not claimable before this time.
    public let deferDate: Date?
    /// For the robot's own scheduling; the queue stores and shows it.
    public let dueDate: Date?

    public init(queue: QueueName, reference: QueueReference, priority: Int = 0, specificContent: Data,
                deferDate: Date? = nil, dueDate: Date? = nil) throws {
        self.queue = queue
        self.reference = reference
        self.priority = priority
        self.specificContent = try QueueJSON.canonicalObject(specificContent, field: "specific_content")
        self.deferDate = deferDate
        self.dueDate = dueDate
    }

    public init(queue: QueueName, reference: QueueReference, priority: Int = 0, content: [String: Any],
                deferDate: Date? = nil, dueDate: Date? = nil) throws {
        try self.init(queue: queue, reference: reference, priority: priority,
                      specificContent: try QueueJSON.serialize(content, field: "specific_content"),
                      deferDate: deferDate, dueDate: dueDate)
    }
}

public struct QueueItem: Equatable, Sendable, CustomStringConvertible {
    public let id: Int64
    public let queue: QueueName
    public let reference: QueueReference
    public let priority: Int
    public let status: ItemStatus
    /// Canonical JSON object bytes, as `NewQueueItem` stored them.
    public let specificContent: Data
    /// The robot's result given to `complete`, a canonical JSON object.
    public let output: Data?
    public let createdAt: Date
    public let deferDate: Date?
    public let dueDate: Date?
    public let retryCount: Int
    public let lastError: String?
    /// Who claimed it last; kept on finished items as a record of who did the work.
    public let worker: String?
    /// Set exactly while InProgress.
    public let leaseExpiresAt: Date?
    /// A worker `next` never hands this item to: the clerk whose keying twice disagreed with the
    /// machine, so that the second reading is someone else's.
    public let notFor: String?

    public init(id: Int64, queue: QueueName, reference: QueueReference, priority: Int, status: ItemStatus,
                specificContent: Data, output: Data?, createdAt: Date, deferDate: Date?, dueDate: Date?,
                retryCount: Int, lastError: String?, worker: String?, leaseExpiresAt: Date?, notFor: String? = nil) {
        self.id = id
        self.queue = queue
        self.reference = reference
        self.priority = priority
        self.status = status
        self.specificContent = specificContent
        self.output = output
        self.createdAt = createdAt
        self.deferDate = deferDate
        self.dueDate = dueDate
        self.retryCount = retryCount
        self.lastError = lastError
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        self.notFor = notFor
    }

    public func content() throws -> [String: Any] {
        try QueueJSON.object(specificContent, field: "specific_content")
    }

    public var description: String { "item \(id) (\(queue.rawValue), \(status.rawValue), \(reference))" }
}

/// Items per queue and status, for the daemon's status/heartbeat line.
public struct QueueCounts: Sendable, CustomStringConvertible {
    private var values: [QueueName: [ItemStatus: Int]] = [:]

    public init() {}

    public subscript(queue: QueueName, status: ItemStatus) -> Int {
        get { values[queue]?[status] ?? 0 }
        set { values[queue, default: [:]][status] = newValue }
    }

    /// "applications New=3 InProgress=1 Successful=10 Failed=0 Abandoned=0; verification …"
    public var description: String {
        QueueName.allCases.map { queue in
            ([queue.rawValue] + ItemStatus.allCases.map { "\($0.rawValue)=\(self[queue, $0])" }).joined(separator: " ")
        }.joined(separator: "; ")
    }
}

/// Attachments are PNG crops of the doubtful fields, named after the field. The name becomes a
/// file name in the outbox, hence the narrow alphabet.
package enum Attachment {
    package static func check(_ name: String, _ png: [UInt8]) throws {
        guard (1...64).contains(name.utf8.count),
              name.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 }) else {
            throw BlankettError("queue_invalid_attachment", "an attachment name has 1 to 64 characters of A-Z, a-z, 0-9, - and _")
        }
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw BlankettError("queue_invalid_attachment", "attachment \(name) is not a PNG file")
        }
    }
}
