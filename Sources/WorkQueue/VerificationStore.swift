// What the verification station needs beyond the robots' queue: a lease the clerk's page keeps
// alive, settling that is exactly once, a return to the applicant, a second operator, and an audit
// trail of every decision. A backend gives one primitive, `step` (read one item, decide, write the
// item, an application and audit records in one transaction); the rules are written once, on top,
// in `VerificationSteps`, so every database backend answers alike. The outbox is a folder for
// robots and has no transactions across files, so it offers no verification.
import BlankettSupport
import Foundation

/// One decision on an item, as the store keeps it. `detail` is a canonical JSON object: the
/// machine's reading, the keyed values, the disagreements, the keystrokes — whatever the event has.
public struct AuditEntry: Equatable, Sendable {
    public let itemID: Int64
    public let at: Date
    public let actor: String
    public let event: String
    public let detail: Data

    public init(itemID: Int64, at: Date, actor: String, event: String, detail: Data) {
        self.itemID = itemID
        self.at = at
        self.actor = actor
        self.event = event
        self.detail = detail
    }

    public func details() throws -> [String: Any] { try QueueJSON.object(detail, field: "audit detail") }
}

/// An audit entry before the store stamps it with the item and the time.
public struct AuditRecord: Sendable {
    public let actor: String
    public let event: String
    public let detail: Data

    public init(actor: String, event: String, detail: [String: Any]) throws {
        guard (1...64).contains(event.utf8.count), event.utf8.allSatisfy({ (97...122).contains($0) || $0 == 95 }) else {
            throw BlankettError("queue_invalid_argument", "an audit event is 1 to 64 of a-z and _")
        }
        try Transition.checkWorker(actor)
        self.actor = actor
        self.event = event
        self.detail = try QueueJSON.serialize(detail, field: "audit detail")
    }
}

/// What one `step` writes besides reading.
public struct VerificationStep: Sendable {
    /// The item's new state; nil leaves it as stored.
    public var item: QueueItem?
    /// Added to `applications` unless an item there has its reference already (then that one's id
    /// is returned as `.alreadyQueued`): a double submit gives one application.
    public var application: NewQueueItem?
    public var audit: [AuditRecord]

    public init(item: QueueItem? = nil, application: NewQueueItem? = nil, audit: [AuditRecord] = []) {
        self.item = item
        self.application = application
        self.audit = audit
    }
}

public protocol VerificationStore: QueueStore {
    /// Ends the leases that ran out, reads item `id`, and writes what `decide` returns, all in one
    /// transaction; when `decide` throws, nothing is written. `decide` gets the store's time.
    func step(_ id: Int64, _ decide: (QueueItem, Date) throws -> VerificationStep) throws
        -> (item: QueueItem, application: InsertResult?)
    /// The item's audit trail, oldest first.
    func audit(_ id: Int64) throws -> [AuditEntry]
}
