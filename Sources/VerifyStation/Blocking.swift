// The queue and bcrypt block: a SQLite write may wait for another process's lock, a bcrypt check
// takes a quarter of a second of CPU. Neither may run on Swift's cooperative threads (two on this
// machine), where one slow call would stall every other request, so each runs on a queue of its own.
import Dispatch

enum Blocking {
    private static let queue = DispatchQueue(label: "blankett.station.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
