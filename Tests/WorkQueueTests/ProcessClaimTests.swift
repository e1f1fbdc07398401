// Two robots are two processes. This test runs its own test binary twice as claim workers on
// one queue file, releases them together, and checks every item went to exactly one of them:
// the cross-process case, where the kernel's file locks (not SQLite's in-process bookkeeping)
// keep claims apart.
import BlankettSupport
import Foundation
import WorkQueue
import XCTest

final class ProcessClaimTests: XCTestCase {
    static let databaseVariable = "BLANKETT_QUEUE_CLAIM_DATABASE"
    static let items = 300

    func testTwoProcessesNeverClaimTheSameItem() throws {
        if let database = ProcessInfo.processInfo.environment[Self.databaseVariable] {
            return try claimAsWorker(database)
        }
        #if os(Linux)
        let folder = try temporaryDirectory()
        let database = folder + "/queue.sqlite"
        let store = try SQLiteStore(path: database)
        for n in 0..<Self.items { _ = try store.insert(QueueFixture.item(n)) }

        let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let workers = try (0..<2).map { index -> Process in
            let process = Process()
            process.executableURL = binary
            process.arguments = ["WorkQueueTests.ProcessClaimTests/testTwoProcessesNeverClaimTheSameItem"]
            process.environment = ProcessInfo.processInfo.environment.merging([Self.databaseVariable: database]) { $1 }
            _ = FileManager.default.createFile(atPath: "\(folder)/worker\(index).log", contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(folder)/worker\(index).log"))
            process.standardError = process.standardOutput
            try process.run()
            return process
        }
        // Both ready before either starts, so they really compete.
        let deadline = Date() + 120
        while try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasPrefix("ready-") }).count < 2,
              Date() < deadline { usleep(10_000) }
        _ = FileManager.default.createFile(atPath: database + ".go", contents: nil)
        var claimed: [Int64] = []
        for (index, worker) in workers.enumerated() {
            worker.waitUntilExit()
            let log = (try? String(contentsOfFile: "\(folder)/worker\(index).log", encoding: .utf8)) ?? ""
            XCTAssertEqual(worker.terminationStatus, 0, String(log.suffix(2_000)))
            let ids = try String(contentsOfFile: "\(database).claims-\(worker.processIdentifier)", encoding: .utf8)
            claimed += ids.split(separator: "\n").compactMap { Int64($0) }
        }
        XCTAssertEqual(claimed.count, Self.items)
        XCTAssertEqual(Set(claimed), Set(1...Int64(Self.items)))
        #else
        throw XCTSkip("finds its own binary through /proc")
        #endif
    }

    /// The child's part: claim until the queue is empty, then report the ids.
    private func claimAsWorker(_ database: String) throws {
        let store = try SQLiteStore(path: database)
        let pid = ProcessInfo.processInfo.processIdentifier
        let folder = (database as NSString).deletingLastPathComponent
        _ = FileManager.default.createFile(atPath: "\(folder)/ready-\(pid)", contents: nil)
        let deadline = Date() + 120
        while !FileManager.default.fileExists(atPath: database + ".go"), Date() < deadline { usleep(1_000) }
        var ids: [Int64] = []
        while let item = try store.next(queue: .applications, leaseSeconds: 600, worker: "process-\(pid)") { ids.append(item.id) }
        try ids.map(String.init).joined(separator: "\n").write(toFile: "\(database).claims-\(pid)", atomically: true, encoding: .utf8)
    }
}
