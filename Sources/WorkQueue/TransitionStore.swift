// What a robot's verdict does to a claimed item is the same in every backend (QueueTransitions);
// a backend only says how it reads, changes and writes one item atomically (`transition`).
import Foundation

package protocol TransitionStore: QueueStore {
    var options: QueueOptions { get }
    /// Applies `change` to item `id` atomically and returns the stored result.
    func transition(_ id: Int64, _ change: (QueueItem) throws -> QueueItem) throws -> QueueItem
}

extension TransitionStore {
    public func complete(_ id: Int64, output: Data?) throws -> QueueItem {
        let output = try output.map { try QueueJSON.canonicalObject($0, field: "output") }
        return try transition(id) { try Transition.complete($0, output: output) }
    }

    public func fail(_ id: Int64, error: String, kind: FailureKind) throws -> QueueItem {
        try transition(id) { try Transition.fail($0, error: error, kind: kind, maxRetries: options.maxRetries) }
    }

    public func retry(_ id: Int64) throws -> QueueItem {
        try transition(id) { try Transition.retry($0) }
    }
}
