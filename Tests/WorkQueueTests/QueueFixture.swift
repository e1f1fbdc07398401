// Shared pieces of the queue tests: a clock the tests move by hand (leases and defer dates are
// checked without sleeping), fresh stores of every backend, sample items.
import BlankettSupport
import Foundation
import PostgresQueue
import PostgresTestServer
import QueueStores
import WorkQueue
import XCTest

final class ManualClock: @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_763_625_600)  // 2025-11-20T08:00:00Z

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}

/// What concurrent claimers got, collected across threads.
final class ClaimLog: @unchecked Sendable {
    // @unchecked: both arrays are only touched under `lock`.
    private let lock = NSLock()
    private var claimed: [Int64] = []
    private var failures: [String] = []

    func add(_ id: Int64) { lock.lock(); claimed.append(id); lock.unlock() }
    func add(_ error: Error) { lock.lock(); failures.append("\(error)"); lock.unlock() }
    var ids: [Int64] { lock.lock(); defer { lock.unlock() }; return claimed }
    var errors: [String] { lock.lock(); defer { lock.unlock() }; return failures }
}

enum QueueFixture {
    /// Skatteverket's published test personnummer: it must never show up outside the content.
    static let personnummer = "191212121212"
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]

    static func reference(_ n: Int) -> QueueReference { QueueReference(scan: Array("scan \(n)".utf8)) }

    static func item(_ n: Int, queue: QueueName = .applications, priority: Int = 0, deferDate: Date? = nil) throws -> NewQueueItem {
        try NewQueueItem(queue: queue, reference: reference(n), priority: priority,
                         content: ["personnummer": personnummer, "form": "PM 7001", "source_file": "scan\(n).png",
                                   "confidence": 0.97, "n": n],
                         deferDate: deferDate)
    }

    static func code(_ body: () throws -> Any?) -> String? {
        do { _ = try body(); return nil } catch { return (error as? BlankettError)?.code ?? "\(error)" }
    }
}

extension XCTestCase {
    /// A folder removed when the test ends.
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "/blankett-queue-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// The same test against every backend, each fresh (PostgreSQL: a new database on the tests'
    /// own server), sharing `clock`.
    func eachBackend(maxRetries: Int = 2, _ body: (String, any QueueStore, ManualClock) throws -> Void) throws {
        for kind in ["sqlite", "outbox", "postgres"] {
            let clock = ManualClock()
            let options = QueueOptions(maxRetries: maxRetries, clock: { clock.now })
            let folder = try temporaryDirectory()
            let url: StoreURL
            switch kind {
            case "sqlite": url = .sqlite(path: "\(folder)/queue.sqlite")
            case "outbox": url = .outbox(directory: "\(folder)/outbox")
            default: url = .postgres(try PostgresTestServer.running().freshDatabase())
            }
            try body(kind, try url.open(options: options), clock)
        }
    }

    /// The verification contract against each database backend, fresh, sharing `clock`.
    func eachVerificationBackend(_ body: (String, any VerificationStore, ManualClock) throws -> Void) throws {
        for kind in ["sqlite", "postgres"] {
            let clock = ManualClock()
            let options = QueueOptions(clock: { clock.now })
            let store: any VerificationStore
            if kind == "sqlite" {
                store = try SQLiteStore(path: "\(try temporaryDirectory())/queue.sqlite", options: options)
            } else {
                store = try PostgresStore(address: try PostgresTestServer.running().freshDatabase(),
                                          password: PostgresTestServer.running().password, options: options)
            }
            try body(kind, store, clock)
        }
    }
}
