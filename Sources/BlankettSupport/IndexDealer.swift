// Hands out the indices 0, 1, 2, … to whichever worker asks next, so that workers of a
// concurrentPerform share one list of jobs without a queue: a fast worker simply takes more.
import Foundation

public final class IndexDealer: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    public init() {}

    /// The next index, or nil once `limit` have been handed out.
    public func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
