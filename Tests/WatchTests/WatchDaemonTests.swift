// Runs the real `blankett watch` daemon as a process on a temporary inbox filled with copies of
// SampleScans, and checks the end state in the queue and the folders: every distinct scan exactly
// once in the queue or quarantine, nothing left behind, also after kill -9 and on SIGTERM.
import BlankettSupport
import Foundation
import QueueStores
import WorkQueue
import BlankettTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class WatchDaemonTests: XCTestCase {
    // MARK: - Fixtures

    static let repoRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        return dir
    }()

    struct Sample { let name: String; let bytes: Data; let sha256: String; let expectedStatus: String }

    static let samples: [Sample] = {
        let dir = repoRoot.appendingPathComponent("SampleScans")
        guard let truth = try? String(contentsOf: dir.appendingPathComponent("truth.jsonl"), encoding: .utf8) else { return [] }
        return truth.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = object["file"] as? String, let status = object["expected_status"] as? String,
                  let bytes = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path) else { return nil }
            return Sample(name: file, bytes: bytes, sha256: SHA256.hex(bytes), expectedStatus: status)
        }
    }()

    /// Every personnummer in the answer key, as written and in 12 digits, and the 10-digit form.
    static let personnummers: [String] = {
        let dir = repoRoot.appendingPathComponent("SampleScans")
        guard let truth = try? String(contentsOf: dir.appendingPathComponent("truth.jsonl"), encoding: .utf8) else { return [] }
        var out = Set<String>()
        for line in truth.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let fields = object["fields"] as? [String: Any] else { continue }
            for key in ["personnummer", "written_personnummer"] {
                if let value = fields[key] as? String, value.count >= 10 {
                    out.insert(value)
                    if value.count == 12 { out.insert(String(value.suffix(10))) }
                }
            }
        }
        return out.sorted()
    }()

    static let executable = BuiltExecutable.blankett

    var work: URL!
    var inbox: URL { work.appendingPathComponent("inbox") }
    /// The queue the daemons of a test use; SQLite unless the test picks the outbox.
    var store: String!

    override func setUpWithError() throws {
        guard Self.executable != nil else {
            throw XCTSkip("the blankett executable is not built beside the test bundle; run `swift build -c release` first")
        }
        guard Self.samples.count == 20 else { throw XCTSkip("SampleScans/truth.jsonl and its 20 scans not found") }
        work = FileManager.default.temporaryDirectory.appendingPathComponent("blankett-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        store = "sqlite:" + work.appendingPathComponent("queue.sqlite").path
    }

    override func tearDownWithError() throws {
        if let work { try? FileManager.default.removeItem(at: work) }
    }

    // MARK: - Running the daemon

    struct DaemonDidNotStart: Error { let log: String }

    final class Daemon {
        let process = Process()
        let stderrPath: URL

        init(inbox: URL, store: String, stderrPath: URL, workers: Int = 2, settleMs: Int = 200) throws {
            self.stderrPath = stderrPath
            FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: WatchDaemonTests.executable!)
            process.arguments = ["watch", "--inbox", inbox.path, "--store", store, "--workers", "\(workers)",
                                 "--settle-ms", "\(settleMs)", "--heartbeat-s", "1", "--scan-date", "2025-11-20"]
            process.currentDirectoryURL = WatchDaemonTests.repoRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: stderrPath)
            try process.run()
        }

        func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

        /// The exit status, or nil when it did not exit within `timeout`.
        func wait(timeout: TimeInterval) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return nil }
            return process.terminationStatus
        }

        var stderr: String { (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? "" }

        /// Waits until the daemon has loaded its model and logged that it watches the inbox.
        func waitUntilWatching(timeout: TimeInterval = 30) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !stderr.contains("watching") {
                guard Date() < deadline, process.isRunning else { throw DaemonDidNotStart(log: stderr) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    func startDaemon(_ tag: String, settleMs: Int = 200) throws -> Daemon {
        try Daemon(inbox: inbox, store: store, stderrPath: work.appendingPathComponent("stderr-\(tag).log"), settleMs: settleMs)
    }

    /// Writes the samples `copies` times each under fresh names (distinct names, identical bytes).
    func drop(copies: Int, into dir: URL? = nil) throws {
        for copy in 0..<copies {
            for sample in Self.samples {
                try sample.bytes.write(to: (dir ?? inbox).appendingPathComponent("drop-\(copy)-\(sample.name)"))
            }
        }
    }

    func regularFiles(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }

    /// Waits until the inbox and processing/ hold no file.
    func waitUntilDrained(timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if regularFiles(inbox).isEmpty && regularFiles(inbox.appendingPathComponent("processing")).isEmpty { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("inbox not drained in \(timeout) s: inbox \(regularFiles(inbox).count), processing \(regularFiles(inbox.appendingPathComponent("processing")).count)",
                file: file, line: line)
    }

    func archivedCount() -> Int {
        regularFiles(inbox.appendingPathComponent("archive")).count + regularFiles(inbox.appendingPathComponent("quarantine")).count
    }

    // MARK: - The end state

    /// Every distinct sample exactly once in the queue or in quarantine (never both), every queued
    /// one archived, every rejected input quarantined with its own JSON, nothing left behind.
    func assertEndState(samples: [Sample], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(regularFiles(inbox), [], "files left in the inbox", file: file, line: line)
        XCTAssertEqual(regularFiles(inbox.appendingPathComponent("processing")), [], "files left in processing/", file: file, line: line)

        let items = try StoreURL(store).open().list(queue: nil, status: nil, limit: 100_000)
        let queued = items.map(\.reference.sha256)
        XCTAssertEqual(queued.count, Set(queued).count, "a reference queued twice", file: file, line: line)

        let quarantineDir = inbox.appendingPathComponent("quarantine")
        let quarantineFiles = regularFiles(quarantineDir)
        let quarantinedScans = quarantineFiles.filter { !$0.hasSuffix(".json") }
        let quarantined = quarantinedScans.map { String($0.prefix(64)) }
        var originalNames = Set<String>()
        for name in quarantinedScans {
            let record = quarantineDir.appendingPathComponent(name + ".json")
            guard let data = FileManager.default.contents(atPath: record.path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let error = object["error"] as? [String: Any], error["code"] is String,
                  object["original_name"] is String else {
                XCTFail("\(name): no valid JSON record beside it", file: file, line: line); continue
            }
            XCTAssertTrue(originalNames.insert(object["original_name"] as! String).inserted,
                          "two records for one input", file: file, line: line)
        }
        XCTAssertEqual(quarantineFiles.count, 2 * quarantinedScans.count, "a JSON record without its scan", file: file, line: line)

        let archived = Set(regularFiles(inbox.appendingPathComponent("archive")))
        let expected = Set(samples.map(\.sha256))
        XCTAssertEqual(Set(queued).union(quarantined), expected, "queue ∪ quarantine ≠ the distinct scans dropped", file: file, line: line)
        XCTAssertTrue(Set(queued).isDisjoint(with: quarantined), "a scan both queued and quarantined", file: file, line: line)
        XCTAssertEqual(archived, Set(queued.map { $0 + ".png" }), "archive/ ≠ the queued scans", file: file, line: line)
        for sample in samples where sample.expectedStatus == "rejected" {
            XCTAssertTrue(quarantined.contains(sample.sha256), "\(sample.name) (rejected) not in quarantine", file: file, line: line)
        }
    }

    func assertNoPersonnummer(in log: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(log.isEmpty, "the daemon logged nothing", file: file, line: line)
        XCTAssertFalse(Self.personnummers.isEmpty, file: file, line: line)
        for value in Self.personnummers where log.contains(value) {
            XCTFail("a personnummer from truth.jsonl appears in the daemon's stderr", file: file, line: line)
        }
    }

    // MARK: - Tests

    /// 60 files (each sample three times) dropped while the daemon runs; then SIGTERM exits 0.
    func testDropWhileRunningEndsExactlyOnceInQueueOrQuarantine() throws {
        let daemon = try startDaemon("run")
        try daemon.waitUntilWatching()
        try drop(copies: 3)
        waitUntilDrained(timeout: 60)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0, "exit status after SIGTERM")
        try assertEndState(samples: Self.samples)
        let log = daemon.stderr
        assertNoPersonnummer(in: log)
        XCTAssertTrue(log.contains("heartbeat"), "no heartbeat line")
        XCTAssertTrue(log.contains("already queued"), "identical copies should be reported as already queued")
    }

    /// kill -9 in the middle of a run, restart: the same end state, no loss, no duplicate.
    func testKill9MidRunThenRestart() throws {
        try drop(copies: 2)
        let first = try startDaemon("first", settleMs: 50)
        let deadline = Date().addingTimeInterval(40)
        while archivedCount() < 6 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        first.signal(SIGKILL)
        _ = first.wait(timeout: 10)
        let left = regularFiles(inbox).count + regularFiles(inbox.appendingPathComponent("processing")).count
        XCTAssertGreaterThan(left, 0, "the daemon finished before it was killed; nothing was tested")

        let second = try startDaemon("second", settleMs: 50)
        waitUntilDrained(timeout: 60)
        second.signal(SIGTERM)
        XCTAssertEqual(second.wait(timeout: 20), 0)
        try assertEndState(samples: Self.samples)
        assertNoPersonnummer(in: first.stderr + second.stderr)
    }

    /// A file written in two halves with a pause longer than the settle time is not read half-done.
    func testFileStillBeingWrittenIsNotTakenHalfDone() throws {
        let sample = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "accepted" })
        let daemon = try startDaemon("slow", settleMs: 200)
        try daemon.waitUntilWatching()
        let path = inbox.appendingPathComponent("slow-scan.png").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let half = sample.bytes.count / 2
        try handle.write(contentsOf: sample.bytes.prefix(half))
        Thread.sleep(forTimeInterval: 1.2)   // six settle times, with the file open for writing
        try handle.write(contentsOf: sample.bytes.suffix(from: half))
        try handle.close()
        waitUntilDrained(timeout: 30)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0)
        try assertEndState(samples: [sample])
        XCTAssertEqual(try StoreURL(store).open().list(queue: nil, status: nil, limit: 10).map(\.reference.sha256), [sample.sha256])
        XCTAssertEqual(regularFiles(inbox.appendingPathComponent("quarantine")), [])
    }

    /// SIGTERM while files are in flight: exit 0, nothing left in processing/, and what was taken is
    /// delivered; what was not taken stays in the inbox for the next start.
    func testSigtermFinishesInFlightAndExitsZero() throws {
        try drop(copies: 2)
        let daemon = try startDaemon("term", settleMs: 50)
        let processing = inbox.appendingPathComponent("processing")
        let deadline = Date().addingTimeInterval(30)
        while (regularFiles(processing).isEmpty || archivedCount() < 1) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 30), 0, "exit status after SIGTERM")
        XCTAssertEqual(regularFiles(processing), [], "files left in processing/ after SIGTERM")
        XCTAssertGreaterThan(regularFiles(inbox).count, 0, "SIGTERM came after everything was done; nothing was tested")
        assertNoPersonnummer(in: daemon.stderr)

        // The rest is taken by the next start; the end state is as if nothing had happened.
        let again = try startDaemon("term-again", settleMs: 50)
        waitUntilDrained(timeout: 60)
        again.signal(SIGTERM)
        XCTAssertEqual(again.wait(timeout: 20), 0)
        try assertEndState(samples: Self.samples)
    }
}
