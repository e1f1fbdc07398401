// The item state machine, written once so both backends give the same answers:
// New → InProgress (claim) → Successful (complete) | New again or Failed (fail) | Abandoned (lease ran out).
// A clerk's lease that runs out puts a verification item back to New instead (see `expire`).
// The backends make each step atomic their own way; the rules themselves live here.
import BlankettSupport
import Foundation

package enum Transition {
    package static let leaseExpiredError = "lease expired before the item was completed or failed"

    package static func claim(_ item: QueueItem, worker: String, leaseExpiresAt: Date) -> QueueItem {
        item.with(status: .inProgress, lastError: item.lastError, worker: worker, leaseExpiresAt: leaseExpiresAt)
    }

    /// A robot whose lease ran out may have done part of the work outside the queue, so its item
    /// is left Abandoned for a person. A clerk does nothing outside the store until the atomic
    /// settle, so a verification item whose clerk walked away goes back to New for the next one.
    package static func expire(_ item: QueueItem) -> QueueItem {
        if item.queue == .verification {
            return item.with(status: .new, lastError: leaseExpiredError, worker: nil, leaseExpiresAt: nil)
        }
        return item.with(status: .abandoned, lastError: leaseExpiredError, worker: item.worker, leaseExpiresAt: nil)
    }

    /// Whether `next` may hand `item` to `worker`.
    package static func claimable(_ item: QueueItem, by worker: String, now: Date, skipping: Set<Int64>) -> Bool {
        item.status == .new && (item.deferDate ?? now) <= now && item.notFor != worker && !skipping.contains(item.id)
    }

    package static func complete(_ item: QueueItem, output: Data?) throws -> QueueItem {
        try requireInProgress(item, to: "complete")
        return item.with(status: .successful, output: output, lastError: item.lastError, worker: item.worker,
                         leaseExpiresAt: nil)
    }

    /// An application failure goes back to New while retry_count < maxRetries, counting the retry;
    /// a business failure, or one retry too many, stays Failed.
    package static func fail(_ item: QueueItem, error: String, kind: FailureKind, maxRetries: Int) throws -> QueueItem {
        try requireInProgress(item, to: "fail")
        if kind == .application, item.retryCount < maxRetries {
            return item.with(status: .new, retryCount: item.retryCount + 1, lastError: error, worker: nil,
                             leaseExpiresAt: nil)
        }
        return item.with(status: .failed, lastError: error, worker: item.worker, leaseExpiresAt: nil)
    }

    /// Put back by an operator: the retry count is kept (it counts the robot's tries), the last
    /// error too, so the next robot sees why it came back.
    package static func retry(_ item: QueueItem) throws -> QueueItem {
        guard item.status == .abandoned || item.status == .failed else {
            throw BlankettError("queue_invalid_transition",
                                "cannot retry item \(item.id): it is \(item.status.rawValue), not Abandoned or Failed")
        }
        return item.with(status: .new, lastError: item.lastError, worker: nil, leaseExpiresAt: nil)
    }

    package static func requireInProgress(_ item: QueueItem, to action: String) throws {
        guard item.status == .inProgress else {
            let why = item.status == .abandoned ? " (its lease ran out)" : ""
            throw BlankettError("queue_invalid_transition",
                                "cannot \(action) item \(item.id): it is \(item.status.rawValue)\(why), not InProgress")
        }
    }

    package static func notFound(_ id: Int64) -> BlankettError {
        BlankettError("queue_item_not_found", "no queue item \(id)")
    }

    package static func checkLease(_ seconds: Int) throws {
        guard seconds > 0 else { throw BlankettError("queue_invalid_argument", "a lease must last at least one second") }
    }

    package static func checkWorker(_ worker: String) throws {
        guard !worker.isEmpty, worker.count <= 128 else {
            throw BlankettError("queue_invalid_argument", "a worker name has 1 to 128 characters")
        }
    }
}

extension QueueItem {
    func with(status: ItemStatus, output: Data? = nil, retryCount: Int? = nil, lastError: String?,
              worker: String?, leaseExpiresAt: Date?, notFor: String?? = nil) -> QueueItem {
        QueueItem(id: id, queue: queue, reference: reference, priority: priority, status: status,
                  specificContent: specificContent, output: output ?? self.output, createdAt: createdAt,
                  deferDate: deferDate, dueDate: dueDate, retryCount: retryCount ?? self.retryCount,
                  lastError: lastError, worker: worker, leaseExpiresAt: leaseExpiresAt, notFor: notFor ?? self.notFor)
    }
}
