// The real daemon (fixtures in WatchDaemonTests, helpers in CommandLineTests) on an inbox of
// hostile entries: every one ends processed or quarantined with a record and a log line, names
// are masked and escaped wherever they leave the process, a shutdown while deliveries fail is
// bounded, and the daemon's start-up lines mask the paths they name.
import Foundation
import QueueStores
import WorkQueue
import XCTest
#if canImport(Glibc)
import Glibc
#endif

extension WatchDaemonTests {
    func testEveryInboxEntryEndsProcessedOrQuarantined() throws {
        let daemon = try startDaemon("hostile")
        try daemon.waitUntilWatching()
        let accepted = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "accepted" })
        let rejected = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "rejected" })
        // Readable scans under names that are not UTF-8, hold control characters or a
        // personnummer, or fill NAME_MAX (their claim name would not fit).
        let long = Array(String(repeating: "y", count: 251).utf8) + Array(".png".utf8)
        let readable: [([UInt8], String)] = [
            (Array("lat".utf8) + [0xE5] + Array("n.png".utf8), "lat\\xE5n.png"),
            (Array("a\nforged line 2026 info \(personnummer).png".utf8), "a\\nforged line 2026 info 19340512-****.png"),
            (Array("esc\u{1B}[2J\r.png".utf8), "esc\\u{1B}[2J\\r.png"),
            // Cut to 200 bytes with the ellipsis (3 bytes), on a character boundary.
            (long, String(repeating: "y", count: 197) + "…"),
        ]
        for (name, _) in readable { write(accepted.bytes, toName: name, in: inbox) }
        // Two inputs with the same bytes that are rejected: two records, each with its own name.
        try rejected.bytes.write(to: inbox.appendingPathComponent("copy-1.png"))
        try rejected.bytes.write(to: inbox.appendingPathComponent("copy-2.png"))
        // Entries that are not regular files.
        XCTAssertEqual(mkfifo(inbox.appendingPathComponent("fifo.png").path, 0o600), 0)
        try FileManager.default.createDirectory(at: inbox.appendingPathComponent("folder.png"), withIntermediateDirectories: true)
        let outside = work.appendingPathComponent("outside.png")
        try accepted.bytes.write(to: outside)
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("link.png").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("dangling.png").path, withDestinationPath: "/nonexistent")
        try FileManager.default.createSymbolicLink(atPath: inbox.appendingPathComponent("zero.png").path, withDestinationPath: "/dev/zero")
        makeSocket(at: inbox.appendingPathComponent("s.png").path)
        let notFiles = ["fifo.png", "folder.png", "link.png", "dangling.png", "zero.png", "s.png"]
        // A dot file is a copy still being written: left alone.
        try Data("partial".utf8).write(to: inbox.appendingPathComponent(".upload.png.part"))

        let own: Set = ["processing", "archive", "quarantine", ".upload.png.part"]
        let deadline = Date().addingTimeInterval(60)
        func left() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []).filter { !own.contains($0) }
                + ((try? FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("processing").path)) ?? [])
        }
        while !left().isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        // readdir may hand Foundation a name it cannot decode; the count still tells.
        XCTAssertEqual(left().count, 0, "entries left in the inbox or processing/")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: inbox.appendingPathComponent(".upload.png.part").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside.path), "the link's target was moved")

        // One record per input, under the name it arrived with.
        let quarantine = inbox.appendingPathComponent("quarantine")
        var recorded: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: quarantine.path) where file.hasSuffix(".json") {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: quarantine.appendingPathComponent(file))) as? [String: Any])
            let name = try XCTUnwrap(object["original_name"] as? String)
            XCTAssertNil(recorded[name], "two records for \(name)")
            recorded[name] = (object["error"] as? [String: Any])?["code"] as? String
            XCTAssertTrue(FileManager.default.fileExists(atPath: quarantine.appendingPathComponent(String(file.dropLast(5))).path) ||
                          (try? FileManager.default.destinationOfSymbolicLink(atPath: quarantine.appendingPathComponent(String(file.dropLast(5))).path)) != nil,
                          "\(file) without its entry")
        }
        for name in notFiles { XCTAssertEqual(recorded[name], "not_a_regular_file", name) }
        XCTAssertNotNil(recorded["copy-1.png"])
        XCTAssertNotNil(recorded["copy-2.png"])
        XCTAssertEqual(recorded.count, notFiles.count + 2)

        // The readable ones are queued under their shown names, with their archive path.
        let items = try StoreURL(store).open().list(queue: nil, status: nil, limit: 100)
        XCTAssertEqual(items.count, 1, "the four names hold the same scan: one item")
        let content = try XCTUnwrap(items.first).content()
        let sourceFile = try XCTUnwrap(content["source_file"] as? String)
        XCTAssertTrue(readable.contains { $0.1 == sourceFile }, sourceFile)
        XCTAssertEqual(content["file"] as? String, sourceFile, "the item names the claim, not the scan")
        XCTAssertTrue((content["archive_file"] as? String)?.hasSuffix("/archive/\(accepted.sha256).png") == true)

        let log = daemon.stderr
        assertNoPersonnummer(in: log)
        XCTAssertFalse(log.contains(personnummer))
        for line in log.split(separator: "\n") {
            XCTAssertTrue(line.hasPrefix("20"), "a forged or broken log line: \(line)")
            XCTAssertFalse(line.contains("\u{1B}") || line.contains("\r"), "a raw control character in the log")
        }
        for (_, shown) in readable { XCTAssertTrue(log.contains("file=\(shown) "), "no log line for \(shown)") }
        for name in notFiles + ["copy-1.png", "copy-2.png", ".upload.png.part"] {
            XCTAssertTrue(log.contains("file=\(name) "), "no log line for \(name)")
        }
    }

    /// Makes the test's store an outbox holding `seed`, then breaks its id sequence, so that every
    /// later insert fails with store_corrupt; returns what repairs it.
    func breakOutbox(holding seed: Sample) throws -> () throws -> Void {
        let outbox = work.appendingPathComponent("outbox")
        store = "outbox:" + outbox.path
        try seed.bytes.write(to: work.appendingPathComponent("seed.png"))
        XCTAssertEqual(try blankett(["read", "--scan-date", "2025-11-20", "--store", store, work.appendingPathComponent("seed.png").path]).status, 0)
        let sequence = outbox.appendingPathComponent(".sequence")
        let good = try Data(contentsOf: sequence)
        try Data("broken\n".utf8).write(to: sequence)
        return { try good.write(to: sequence) }
    }

    /// SIGTERM while every delivery fails and retries with back-off: the daemon stops within a few
    /// seconds (not after the back-off), exit 0, and what it had taken is still in processing/ for
    /// the next start, which delivers it once the store works again.
    func testShutdownIsBoundedWhileDeliveriesFail() throws {
        let seed = try XCTUnwrap(Self.samples.first)
        let repair = try breakOutbox(holding: seed)

        let daemon = try startDaemon("failing", settleMs: 50)
        try daemon.waitUntilWatching()
        let samples = Self.samples.filter { $0.expectedStatus != "rejected" && $0.sha256 != seed.sha256 }.prefix(6)
        for sample in samples { try sample.bytes.write(to: inbox.appendingPathComponent(sample.name)) }
        let deadline = Date().addingTimeInterval(30)
        while !daemon.stderr.contains("attempt=2") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(daemon.stderr.contains("delivery failed; retrying"), daemon.stderr)
        XCTAssertTrue(daemon.stderr.contains("error="), "the cause is not logged")
        daemon.signal(SIGTERM)
        // The old daemon needed 1 + 2 + 3 + 4 s per file here; 10 s is far beyond a bounded stop.
        XCTAssertEqual(daemon.wait(timeout: 10), 0, "no bounded shutdown: \(daemon.stderr)")
        XCTAssertFalse(regularFiles(inbox.appendingPathComponent("processing")).isEmpty, "nothing was in flight")
        XCTAssertEqual(regularFiles(inbox.appendingPathComponent("archive")), [])

        try repair()
        let again = try startDaemon("repaired", settleMs: 50)
        waitUntilDrained(timeout: 60)
        again.signal(SIGTERM)
        XCTAssertEqual(again.wait(timeout: 20), 0)
        XCTAssertEqual(Set(try StoreURL(store).open().list(queue: nil, status: nil, limit: 100).map(\.reference.sha256)),
                       Set(samples.map(\.sha256) + [seed.sha256]))
    }

    /// The start-up lines name the inbox and the store, and a failed start the error; each masked.
    func testStartUpLinesMaskThePaths() throws {
        let secret = work.appendingPathComponent(personnummer)
        try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
        let watched = try Daemon(inbox: secret.appendingPathComponent("inbox"), store: "sqlite:" + secret.appendingPathComponent("q.sqlite").path,
                                 stderrPath: work.appendingPathComponent("stderr-secret.log"))
        try watched.waitUntilWatching()
        watched.signal(SIGTERM)
        XCTAssertEqual(watched.wait(timeout: 20), 0)
        XCTAssertTrue(watched.stderr.contains("19340512-****"), watched.stderr)
        XCTAssertFalse(watched.stderr.contains(personnummer), watched.stderr)

        let blocked = work.appendingPathComponent("file-\(personnummer)")
        try Data().write(to: blocked)
        let failing = try Daemon(inbox: inbox, store: "sqlite:" + blocked.appendingPathComponent("q.sqlite").path,
                                 stderrPath: work.appendingPathComponent("stderr-fail.log"))
        XCTAssertEqual(failing.wait(timeout: 30), 1)
        XCTAssertTrue(failing.stderr.contains("cannot start"), failing.stderr)
        XCTAssertFalse(failing.stderr.contains(personnummer), failing.stderr)
    }

    /// A store that fails (here a corrupt id sequence; a full disk looks the same) is retried,
    /// with its cause in the log, and the file is delivered once the store works again, without
    /// a restart.
    func testAFailingStoreIsRetriedUntilItWorks() throws {
        let sample = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "accepted" })
        let other = try XCTUnwrap(Self.samples.last { $0.expectedStatus == "needs_verification" })
        let repair = try breakOutbox(holding: other)

        let daemon = try startDaemon("retry", settleMs: 50)
        try daemon.waitUntilWatching()
        try sample.bytes.write(to: inbox.appendingPathComponent("late.png"))
        let deadline = Date().addingTimeInterval(30)
        while !daemon.stderr.contains("attempt=2") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(daemon.stderr.contains("code=store_corrupt"), daemon.stderr)
        XCTAssertTrue(daemon.stderr.contains("does not hold an item id"), "the cause is not named: \(daemon.stderr)")
        try repair()
        waitUntilDrained(timeout: 60)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0)
        XCTAssertTrue(daemon.stderr.contains("file=late.png id="), daemon.stderr)
        XCTAssertEqual(Set(try StoreURL(store).open().list(queue: nil, status: nil, limit: 10).map(\.reference.sha256)),
                       [sample.sha256, other.sha256])
    }

    /// What a killed daemon left in processing/, under a claim name or under one it did not make
    /// (an older Blankett kept the whole name), is read at start and recorded under a masked name.
    func testLeftoversInProcessingAreResumedMasked() throws {
        let processing = inbox.appendingPathComponent("processing")
        try FileManager.default.createDirectory(at: processing, withIntermediateDirectories: true)
        let accepted = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "accepted" })
        let rejected = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "rejected" })
        try accepted.bytes.write(to: processing.appendingPathComponent("0123456789abcdef--\(personnummer).png"))
        try rejected.bytes.write(to: processing.appendingPathComponent("\(personnummer) bad.png"))
        let daemon = try startDaemon("resume")
        try daemon.waitUntilWatching()
        waitUntilDrained(timeout: 30)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0)
        XCTAssertTrue(daemon.stderr.contains("resumed=2"), daemon.stderr)
        XCTAssertTrue(daemon.stderr.contains("file=19340512-****.png "), daemon.stderr)
        XCTAssertFalse(daemon.stderr.contains(personnummer), daemon.stderr)
        let content = try XCTUnwrap(try StoreURL(store).open().list(queue: nil, status: nil, limit: 10).first).content()
        XCTAssertEqual(content["source_file"] as? String, "19340512-****.png")
        let quarantine = inbox.appendingPathComponent("quarantine")
        let record = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: quarantine.path).first { $0.hasSuffix(".json") })
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: quarantine.appendingPathComponent(record))) as? [String: Any]
        XCTAssertEqual(object?["original_name"] as? String, "19340512-**** bad.png")
    }
}
