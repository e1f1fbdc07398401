// The queue under load, for `blankett queue bench` and benchmarks/queue.sh: S stations deliver N
// items (every fifth to verification with a 2 KB crop, as the reader's doubtful forms come) while
// R robots claim and complete, each station and robot a thread with its own store, so its own
// connection or file handle, as separate processes would have. Errors are counted by code and
// ridden out (a robot or station waits 50 ms and tries again), so a server restarted mid-run shows
// as the longest stall: the longest time in which nothing was delivered or claimed.
import BlankettSupport
import Foundation
import WorkQueue

public struct QueueLoadSettings: Sendable {
    public var stations: Int
    public var robots: Int
    public var items: Int

    public init(stations: Int, robots: Int, items: Int) {
        self.stations = stations
        self.robots = robots
        self.items = items
    }
}

public struct QueueLoadFigures: Sendable {
    public var settings: QueueLoadSettings
    /// Items delivered per second, from the start until the last delivery.
    public var deliveriesPerSecond: Double
    /// Items claimed and completed per second, from the start until the last completion.
    public var claimsPerSecond: Double
    public var claimMilliseconds: (p50: Double, p99: Double)
    public var deliveryMilliseconds: (p50: Double, p99: Double)
    public var longestStallSeconds: Double
    /// Claims whose answer was lost (a dropped connection): the item waits for its lease to end.
    public var lostClaims: Int
    public var errors: [String: Int]
    public var seconds: Double
}

public enum QueueLoad {
    /// `open` gives each thread its store. The store must be empty: the run writes and completes
    /// items, so it is refused on a queue that holds real ones.
    public static func run(_ settings: QueueLoadSettings, open: @escaping @Sendable () throws -> any QueueStore) throws -> QueueLoadFigures {
        let counts = try open().counts()
        guard QueueName.allCases.allSatisfy({ queue in ItemStatus.allCases.allSatisfy { counts[queue, $0] == 0 } }) else {
            throw BlankettError("bench_store_not_empty", "the queue bench writes and completes items; give it an empty store")
        }
        let run = UUID().uuidString, crop = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 2_040)
        let log = LoadLog(items: settings.items)
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: settings.stations + settings.robots) { worker in
            if worker < settings.stations {
                station(worker, settings, run: run, crop: crop, log: log, open: open)
            } else {
                robot("bench-robot-\(worker - settings.stations)", log: log, open: open)
            }
        }
        let (deliveries, claims, times, errors, completions) = log.results
        func seconds(_ end: ContinuousClock.Instant?) -> Double { end.map { ($0 - start).seconds } ?? .nan }
        let gaps = zip(times.dropFirst(), times).map { ($0 - $1).seconds }
        return QueueLoadFigures(settings: settings,
                                deliveriesPerSecond: Double(settings.items) / seconds(log.lastDelivery),
                                claimsPerSecond: Double(completions) / seconds(log.lastClaim),
                                claimMilliseconds: percentiles(claims), deliveryMilliseconds: percentiles(deliveries),
                                longestStallSeconds: max(gaps.max() ?? 0, times.first.map { ($0 - start).seconds } ?? 0),
                                lostClaims: settings.items - completions, errors: errors, seconds: (ContinuousClock.now - start).seconds)
    }

    private static func station(_ index: Int, _ settings: QueueLoadSettings, run: String, crop: [UInt8], log: LoadLog,
                                open: () throws -> any QueueStore) {
        let share = stride(from: index, to: settings.items, by: settings.stations)
        guard let store = log.retrying({ try open() }) else { return share.forEach { _ in log.gaveUp() } }
        for n in share {
            let verification = n % 5 == 4
            let done: Void? = log.retrying {
                let item = try NewQueueItem(queue: verification ? .verification : .applications,
                                            reference: QueueReference(scan: Array("\(run) \(n)".utf8)), content: ["bench": n])
                let began = ContinuousClock.now
                _ = try store.insert(item, attachments: verification ? ["personnummer": crop] : [:])
                log.delivered(began)
            }
            if done == nil { log.gaveUp() }
        }
    }

    /// Claims from both queues until everything was delivered and neither has anything left. A
    /// claim whose answer a restart swallowed stays InProgress (its lease is long): a lost claim.
    private static func robot(_ worker: String, log: LoadLog, open: () throws -> any QueueStore) {
        guard let store = log.retrying({ try open() }) else { return }
        while true {
            let allDelivered = log.allDelivered
            var claimed = false
            for queue in QueueName.allCases {
                let began = ContinuousClock.now
                guard let item = log.retrying({ try store.next(queue: queue, leaseSeconds: 600, worker: worker) }) ?? nil else { continue }
                log.claimed(began)
                claimed = true
                // A completion whose answer was lost is found done on a second look.
                if log.retrying({ try store.complete(item.id) }) != nil
                    || log.retrying({ try store.show(item.id) })?.status == .successful {
                    log.completed()
                }
            }
            if !claimed {
                if allDelivered { return }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
    }

    private static func percentiles(_ values: [Double]) -> (p50: Double, p99: Double) {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return (.nan, .nan) }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)] }
        return (at(0.5), at(0.99))
    }
}

/// What the threads of one run saw, under one lock.
private final class LoadLog: @unchecked Sendable {
    // @unchecked: every field is touched only under `lock`.
    private let lock = NSLock()
    private let items: Int
    private var deliveries: [Double] = [], claims: [Double] = [], times: [ContinuousClock.Instant] = []
    private var errors: [String: Int] = [:]
    private var completions = 0, deliveredCount = 0
    private(set) var lastDelivery: ContinuousClock.Instant?, lastClaim: ContinuousClock.Instant?

    init(items: Int) { self.items = items }

    func delivered(_ began: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        locked { deliveries.append((now - began).milliseconds); times.append(now); lastDelivery = now; deliveredCount += 1 }
    }

    /// An item a station could not deliver, so that the robots do not wait for it.
    func gaveUp() {
        locked { deliveredCount += 1 }
    }

    func claimed(_ began: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        locked { claims.append((now - began).milliseconds); times.append(now) }
    }

    func completed() {
        let now = ContinuousClock.now
        locked { completions += 1; lastClaim = now }
    }

    var allDelivered: Bool { locked { deliveredCount >= items } }

    var results: (deliveries: [Double], claims: [Double], times: [ContinuousClock.Instant], errors: [String: Int], completions: Int) {
        locked { (deliveries, claims, times.sorted(), errors, completions) }
    }

    /// `body`'s result, trying again after a passing error (the store unreachable or busy) until
    /// it works; nil after any other. Every error is counted by its code.
    func retrying<T>(_ body: () throws -> T) -> T? {
        while true {
            do {
                return try body()
            } catch {
                let code = (error as? BlankettError)?.code ?? "\(type(of: error))"
                locked { errors[code, default: 0] += 1 }
                guard ["store_unreachable", "store_busy", "store_unavailable"].contains(code) else { return nil }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
