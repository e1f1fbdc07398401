// Reading is synchronous CPU work (one network batch on one BLAS thread per page) and delivering
// waits for fsync, so each worker is a dedicated Thread (a reader with its own FormReader, or the
// deliverer), fed from a blocking list; the async daemon only submits jobs and awaits the pool's
// end, never blocking the cooperative pool.
import FormReader
import Foundation
import SystemPackage

struct Job: Sendable {
    /// The claimed entry under processing/.
    let path: FilePath
    /// The claim's token, which names the input's quarantine record; nil for an entry found in
    /// processing/ that the daemon did not name.
    let token: String?
    /// Its name in the inbox as shown (masked, escaped), for the logs and the records.
    let originalName: String
}

/// A file read, on its way to the queue.
struct ReadPage: Sendable {
    let job: Job
    let result: ReadResult
    let started: Date
}

final class WorkerPool<Work: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Work] = []
    private var inFlight = 0
    private var closed = false
    private var running = 0
    private var finishWaiters: [CheckedContinuation<Void, Never>] = []
    private let name: String

    init(name: String) { self.name = name }

    /// Starts one thread per handler; each takes jobs until the pool is closed and drained.
    func start(_ handlers: [@Sendable (Work) -> Void]) {
        condition.lock()
        running = handlers.count
        condition.unlock()
        for (index, handle) in handlers.enumerated() {
            let thread = Thread { [self] in
                while let job = take() {
                    handle(job)
                    done()
                }
                exited()
            }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func submit(_ job: Work) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Jobs waiting plus jobs being worked on.
    var pending: Int {
        condition.lock(); defer { condition.unlock() }
        return jobs.count + inFlight
    }

    /// No new jobs; the workers finish what is queued and in flight, then exit.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Returns when every worker thread has exited.
    func finished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if running == 0 {
                condition.unlock()
                continuation.resume()
            } else {
                finishWaiters.append(continuation)
                condition.unlock()
            }
        }
    }

    private func take() -> Work? {
        condition.lock(); defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        guard !jobs.isEmpty else { return nil }
        inFlight += 1
        return jobs.removeFirst()
    }

    private func done() {
        condition.lock()
        inFlight -= 1
        condition.unlock()
    }

    private func exited() {
        condition.lock()
        running -= 1
        let waiters = running == 0 ? finishWaiters : []
        if running == 0 { finishWaiters = [] }
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }
}

/// Counters for the heartbeat line.
final class WatchCounters: @unchecked Sendable {
    struct Snapshot: Sendable {
        var pages = 0, accepted = 0, verification = 0, rejected = 0, alreadyQueued = 0, errors = 0
    }
    private let lock = NSLock()
    private var value = Snapshot()

    func update(_ change: (inout Snapshot) -> Void) {
        lock.lock(); change(&value); lock.unlock()
    }

    var snapshot: Snapshot {
        lock.lock(); defer { lock.unlock() }
        return value
    }
}

/// Set once the daemon begins to stop; a delivery waiting to retry wakes up at once and leaves its
/// file in processing/ for the next start, so a shutdown never waits out a back-off.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var isStopped: Bool {
        condition.lock(); defer { condition.unlock() }
        return stopped
    }

    /// Waits `seconds` or until stopped; true when stopped.
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock(); defer { condition.unlock() }
        while !stopped, condition.wait(until: deadline) {}
        return stopped
    }
}
