// Failed log-ins slowed per user name and per address: after a few failures, each further try
// must wait twice as long as the one before, up to five minutes. A name that does not exist is
// slowed the same way, so the answers never tell which names are real.
import Foundation

actor LoginThrottle {
    static let freeFailures = 3
    static let maxWait: TimeInterval = 300

    private var failures: [String: (count: Int, last: Date)] = [:]
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date = { Date() }) { self.clock = clock }

    /// Seconds still to wait before `keys` may try again; 0 when they may.
    func wait(_ keys: [String]) -> TimeInterval {
        let now = clock()
        return keys.compactMap { failures[$0] }.map { entry in
            max(0, entry.last.addingTimeInterval(Self.delay(after: entry.count)).timeIntervalSince(now))
        }.max() ?? 0
    }

    func failed(_ keys: [String]) {
        let now = clock()
        for key in keys { failures[key] = ((failures[key]?.count ?? 0) + 1, now) }
        if failures.count > 100_000 { failures = failures.filter { now.timeIntervalSince($0.value.last) < Self.maxWait } }
    }

    func succeeded(_ keys: [String]) {
        for key in keys { failures[key] = nil }
    }

    static func delay(after count: Int) -> TimeInterval {
        count < freeFailures ? 0 : min(maxWait, pow(2, Double(count - freeFailures)))
    }
}
