// The real daemon again (fixtures in WatchDaemonTests): with the folder outbox as its queue, two
// daemons sharing one inbox, and the start-up sweep of what a daemon killed mid-write left.
import Foundation
import QueueStores
import WorkQueue
import XCTest
#if canImport(Glibc)
import Glibc
#endif

extension WatchDaemonTests {
    /// 80 files (each sample four times, once named after a personnummer as an operator might)
    /// dropped while it runs, queued in an outbox: the same end state, no personnummer in the log
    /// or a quarantine record's message, one file per item, crops only for verification items, no
    /// temporary left.
    func testOutboxStoreDropWhileRunning() throws {
        let outbox = work.appendingPathComponent("outbox").path
        store = "outbox:" + outbox
        let daemon = try startDaemon("outbox")
        try daemon.waitUntilWatching()
        try drop(copies: 3)
        for (sample, number) in zip(Self.samples, Self.personnummers) {
            try sample.bytes.write(to: inbox.appendingPathComponent(number + ".png"))
        }
        waitUntilDrained(timeout: 60)
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0, "exit status after SIGTERM")
        try assertEndState(samples: Self.samples)
        assertNoPersonnummer(in: daemon.stderr)
        let quarantine = inbox.appendingPathComponent("quarantine")
        for record in regularFiles(quarantine) where record.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: quarantine.appendingPathComponent(record)))
            let message = try XCTUnwrap(((object as? [String: Any])?["error"] as? [String: Any])?["message"] as? String)
            XCTAssertFalse(Self.personnummers.contains { message.contains($0) }, "a personnummer in \(record)'s message")
        }

        let items = try StoreURL(store).open().list(queue: nil, status: nil, limit: 1000)
        let files = try FileManager.default.subpathsOfDirectory(atPath: outbox)
        XCTAssertEqual(files.filter { $0.contains(".tmp-") }, [], "temporaries left in the outbox")
        XCTAssertEqual(files.filter { $0.hasSuffix(".json") }.count, items.count, "not one JSON file per item")
        let cropped = Set(files.filter { $0.hasSuffix(".png") }.map { ($0 as NSString).deletingLastPathComponent.components(separatedBy: "/").last! })
        let verification = Set(items.filter { $0.queue == .verification }.map(\.reference.sha256))
        XCTAssertFalse(cropped.isEmpty)
        XCTAssertTrue(cropped.isSubset(of: verification), "crops of an item that is not for verification")
    }

    /// Two daemons on one inbox and one queue, both started before the files come: every file is
    /// claimed, read and logged by exactly one of them.
    func testTwoDaemonsNeverProcessTheSameFile() throws {
        let daemons = [try startDaemon("one"), try startDaemon("two")]
        for daemon in daemons { try daemon.waitUntilWatching() }
        try drop(copies: 2)
        waitUntilDrained(timeout: 90)
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { XCTAssertEqual(daemon.wait(timeout: 30), 0, "exit status after SIGTERM") }
        try assertEndState(samples: Self.samples)

        let logs = daemons.map(\.stderr)
        for copy in 0..<2 {
            for sample in Self.samples {
                let name = "drop-\(copy)-\(sample.name)"
                let times = logs.map { $0.components(separatedBy: "file=\(name) ").count - 1 }.reduce(0, +)
                XCTAssertEqual(times, 1, "\(name) was processed \(times) times")
            }
        }
        XCTAssertTrue(logs.allSatisfy { $0.contains("file=drop-") }, "one daemon took every file: nothing was shared")
    }

    /// Temporaries a daemon killed while writing left in quarantine/ and in the outbox are removed
    /// at the next start once stale; a fresh one, maybe another live daemon's, is left alone.
    func testStaleTemporariesAreRemovedAtStart() throws {
        let outbox = work.appendingPathComponent("outbox")
        store = "outbox:" + outbox.path
        let quarantine = inbox.appendingPathComponent("quarantine")
        for folder in [quarantine, outbox] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let sha = String(repeating: "ab", count: 32)
        let stale = [quarantine.appendingPathComponent(".\(sha).png.json.tmp-4242-1"),
                     outbox.appendingPathComponent("..sequence.tmp-4242-2")]
        let fresh = quarantine.appendingPathComponent(".\(sha).png.json.tmp-4242-3")
        for file in stale + [fresh] { try Data("{".utf8).write(to: file) }
        for file in stale {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -120)], ofItemAtPath: file.path)
        }

        let daemon = try startDaemon("sweep")
        try daemon.waitUntilWatching()
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait(timeout: 20), 0, "exit status after SIGTERM")
        for file in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: file.path), file.lastPathComponent) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.path))
        XCTAssertTrue(daemon.stderr.contains("temporaries_removed=2"), daemon.stderr)
    }
}
