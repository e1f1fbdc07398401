// The clerk's side of a verification item, written once over `VerificationStore.step`:
// claim with `next(queue: .verification, …)`, then renew, record, release, hand on to a second
// operator, return to the applicant, or settle. Every step but `next` requires the clerk to hold
// the item's lease; one who does not gets `queue_item_not_held`, which the station answers 409.
import BlankettSupport
import Foundation

/// What settling did; both cases name the one application the item produced.
public enum Settlement: Equatable, Sendable {
    case settled(application: Int64)
    /// A double submit or a reload of an item this clerk had settled: nothing was written again.
    case alreadySettled(application: Int64)
}

extension VerificationStore {
    /// Extends the clerk's lease to `leaseSeconds` from now: the station does this while the page is open.
    public func renew(_ id: Int64, worker: String, leaseSeconds: Int) throws -> QueueItem {
        try Transition.checkLease(leaseSeconds)
        return try step(id) { item, now in
            try item.requireHeld(by: worker)
            return VerificationStep(item: item.with(status: .inProgress, lastError: item.lastError, worker: worker,
                                                    leaseExpiresAt: now.addingTimeInterval(Double(leaseSeconds))))
        }.item
    }

    /// Adds to the audit trail of an item the clerk holds (a disagreement, say).
    public func record(_ id: Int64, _ record: AuditRecord) throws {
        _ = try step(id) { item, _ in
            try item.requireHeld(by: record.actor)
            return VerificationStep(audit: [record])
        }
    }

    /// Back to New for anyone (skip, log-out), without counting a retry.
    public func release(_ id: Int64, _ record: AuditRecord) throws -> QueueItem {
        try step(id) { item, _ in
            try item.requireHeld(by: record.actor)
            return VerificationStep(item: item.with(status: .new, lastError: item.lastError, worker: nil, leaseExpiresAt: nil),
                                    audit: [record])
        }.item
    }

    /// Back to New for anyone but this clerk, whose keying twice disagreed with every other reading.
    public func handToAnotherOperator(_ id: Int64, _ record: AuditRecord) throws -> QueueItem {
        try step(id) { item, _ in
            try item.requireHeld(by: record.actor)
            return VerificationStep(item: item.with(status: .new, lastError: item.lastError, worker: nil,
                                                    leaseExpiresAt: nil, notFor: .some(record.actor)),
                                    audit: [record])
        }.item
    }

    /// Returned to the applicant: final, with the reason in the item's output.
    public func returnToApplicant(_ id: Int64, reason: String, _ record: AuditRecord) throws -> QueueItem {
        let output = try QueueJSON.serialize(["returned_reason": reason, "operator": record.actor], field: "output")
        return try step(id) { item, _ in
            if item.status == .returned, item.worker == record.actor { return VerificationStep() }
            try item.requireHeld(by: record.actor)
            return VerificationStep(item: item.with(status: .returned, output: output, lastError: item.lastError,
                                                    worker: record.actor, leaseExpiresAt: nil),
                                    audit: [record])
        }.item
    }

    /// The verification item becomes Successful and `application` (the settled form) enters
    /// `applications` under the same reference, in one transaction: exactly once, however often
    /// the clerk submits, and never after another clerk took the item over.
    /// `content` is the settled form, a JSON object.
    public func settle(_ id: Int64, application content: Data, _ record: AuditRecord) throws -> Settlement {
        let output = try QueueJSON.serialize(["operator": record.actor, "source": "verified"], field: "output")
        var settledBefore = false
        let result = try step(id) { item, _ in
            let application = try NewQueueItem(queue: .applications, reference: item.reference, priority: item.priority,
                                               specificContent: content)
            if item.status == .successful, item.worker == record.actor {
                settledBefore = true
                return VerificationStep(application: application)
            }
            try item.requireHeld(by: record.actor)
            return VerificationStep(item: item.with(status: .successful, output: output, lastError: item.lastError,
                                                    worker: record.actor, leaseExpiresAt: nil),
                                    application: application, audit: [record])
        }
        guard let application = result.application?.id else {
            throw BlankettError("store_failed", "settling item \(id) gave no application")
        }
        return settledBefore ? .alreadySettled(application: application) : .settled(application: application)
    }
}

extension QueueItem {
    /// The one rule of every clerk's step: a verification item whose lease `worker` holds.
    public func requireHeld(by worker: String) throws {
        guard queue == .verification else {
            throw BlankettError("queue_invalid_transition", "item \(id) is not a verification item")
        }
        guard status == .inProgress, self.worker == worker else {
            let why = status == .inProgress ? "it is being verified by another operator"
                : lastError == Transition.leaseExpiredError && status == .new ? "its lease ran out"
                : "it is \(status.rawValue)"
            throw BlankettError("queue_item_not_held", "item \(id) is not yours to change: \(why)")
        }
    }
}
