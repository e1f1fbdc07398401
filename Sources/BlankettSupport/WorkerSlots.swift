// One slot per job of a concurrentPerform, each written by the one worker that did the job; the
// lock makes the hand-over to the caller's thread well defined, and the caller reads them back
// in job order whichever worker finished first.
import Foundation

public final class WorkerSlots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public func set(_ i: Int, _ value: T) { lock.withLock { slots[i] = value } }

    /// Every slot's value in job order; each must have been set.
    public var values: [T] { lock.withLock { slots.map { $0! } } }
}
