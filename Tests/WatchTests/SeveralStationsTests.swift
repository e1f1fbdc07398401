// Several scanning stations, one queue: three real `blankett watch` daemons on three inboxes
// deliver into one PostgreSQL queue while four robot processes claim and complete. One daemon is
// killed with kill -9 mid-batch and started again; the server is stopped mid-run (until a daemon
// has logged that a delivery failed) and started again. Afterwards every scan is in the queue or in
// quarantine exactly once, nothing is left behind, and no item was handed to two robots.
// Every scan is dropped into two of the three inboxes, so the stations also race to queue it.
import BlankettSupport
import Foundation
import PostgresTestServer
import QueueStores
import WorkQueue
import XCTest
#if canImport(Glibc)
import Glibc
#endif

extension WatchDaemonTests {
    static let robotStoreVariable = "BLANKETT_ROBOT_STORE"

    func testThreeStationsFourRobotsOneQueueThroughAKillAndAServerRestart() throws {
        if let store = ProcessInfo.processInfo.environment[Self.robotStoreVariable] { return try robot(store) }
        #if os(Linux)
        let server = try PostgresTestServer.running()
        store = StoreURL.postgres(try server.freshDatabase()).description
        _ = try StoreURL(store).open().counts()  // the schema, before four robots ask at once

        // 120 distinct scans: the samples and five copies differing by a PNG text chunk.
        let scans = work.appendingPathComponent("scans")
        try run("/bin/bash", [Self.repoRoot.appendingPathComponent("benchmarks/copies.sh").path, Self.repoRoot.appendingPathComponent("SampleScans").path, scans.path, "120"])
        let names = try FileManager.default.contentsOfDirectory(atPath: scans.path).filter { $0.hasSuffix(".png") }.sorted()
        XCTAssertEqual(names.count, 120)
        let inboxes = (1...3).map { work.appendingPathComponent("station-\($0)") }
        for (index, name) in names.enumerated() {
            for station in [index % 3, (index + 1) % 3] {
                try FileManager.default.createDirectory(at: inboxes[station], withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: scans.appendingPathComponent(name),
                                                 to: inboxes[station].appendingPathComponent("s\(station)-\(name)"))
            }
        }

        let robots = try (0..<4).map { try startRobot($0) }
        var daemons = try inboxes.enumerated().map { index, inbox in
            try Daemon(inbox: inbox, store: store, stderrPath: work.appendingPathComponent("station-\(index + 1).log"),
                       workers: 1, settleMs: 50)
        }
        func done() -> Int { inboxes.reduce(0) { $0 + archivedCount($1) } }
        func waitFor(_ what: String, timeout: TimeInterval = 90, _ condition: () -> Bool) {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else { return XCTFail("timed out waiting for \(what)") }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }

        // kill -9 station 1 mid-batch, start it again.
        waitFor("station 1's first scans") { archivedCount(inboxes[0]) >= 5 }
        daemons[0].signal(SIGKILL)
        _ = daemons[0].wait(timeout: 10)
        XCTAssertGreaterThan(regularFiles(inboxes[0]).count + regularFiles(inboxes[0].appendingPathComponent("processing")).count, 0,
                             "station 1 had finished before it was killed; nothing was tested")
        daemons[0] = try Daemon(inbox: inboxes[0], store: store, stderrPath: work.appendingPathComponent("station-1-again.log"),
                                workers: 1, settleMs: 50)

        // The server goes down mid-run until a station has found it gone, then comes back.
        waitFor("a third of the scans") { done() >= 80 }
        let stopped = Date()
        try server.restart(whileDown: {
            waitFor("a delivery failing on the stopped server", timeout: 30) {
                daemons.contains { $0.stderr.contains("code=store_unreachable") }
            }
        })
        XCTAssertLessThan(done(), 240, "every scan was done before the server stopped; nothing was tested")
        waitFor("the stations to drain") {
            inboxes.allSatisfy { regularFiles($0).isEmpty && regularFiles($0.appendingPathComponent("processing")).isEmpty }
        }
        for daemon in daemons {
            daemon.signal(SIGTERM)
            XCTAssertEqual(daemon.wait(timeout: 20), 0, "a station's exit status after SIGTERM")
        }
        FileManager.default.createFile(atPath: work.appendingPathComponent("robots-stop").path, contents: nil)
        var handedOut: [Int64] = []
        for (index, robot) in robots.enumerated() {
            waitFor("robot \(index) to finish", timeout: 60) { !robot.isRunning }
            if robot.isRunning { kill(robot.processIdentifier, SIGKILL) }
            robot.waitUntilExit()
            let log = (try? String(contentsOf: work.appendingPathComponent("robot-\(index).log"), encoding: .utf8)) ?? ""
            XCTAssertEqual(robot.terminationStatus, 0, String(log.suffix(2_000)))
            let ids = (try? String(contentsOf: work.appendingPathComponent("robot-\(index).claims"), encoding: .utf8)) ?? ""
            handedOut += ids.split(separator: "\n").compactMap { Int64($0) }
        }

        // Every scan once in the queue or in quarantine, nothing left, nothing handed out twice.
        let items = try StoreURL(store).open().list(queue: nil, status: nil, limit: 10_000)
        let queued = items.map(\.reference.sha256)
        XCTAssertEqual(queued.count, Set(queued).count, "a scan queued twice")
        var quarantined: [String] = []
        var archived = Set<String>()
        for inbox in inboxes {
            XCTAssertEqual(regularFiles(inbox), [])
            XCTAssertEqual(regularFiles(inbox.appendingPathComponent("processing")), [])
            quarantined += regularFiles(inbox.appendingPathComponent("quarantine")).filter { !$0.hasSuffix(".json") }.map { String($0.prefix(64)) }
            archived.formUnion(regularFiles(inbox.appendingPathComponent("archive")).map { String($0.prefix(64)) })
        }
        let expected = Set(try names.map { SHA256.hex(Array(try Data(contentsOf: scans.appendingPathComponent($0)))) })
        XCTAssertEqual(Set(queued).union(quarantined), expected, "queue ∪ quarantine ≠ the scans dropped")
        XCTAssertTrue(Set(queued).isDisjoint(with: quarantined), "a scan both queued and quarantined")
        XCTAssertEqual(archived, Set(queued), "the archives ≠ the queued scans")
        XCTAssertEqual(handedOut.count, Set(handedOut).count, "an item was handed to two robots")
        // A claim whose answer the restart swallowed stays InProgress until its lease ends; every
        // other item was claimed and completed.
        let successful = Set(items.filter { $0.status == .successful }.map(\.id))
        XCTAssertEqual(successful, Set(handedOut), "the items completed ≠ the items handed out")
        XCTAssertEqual(items.filter { $0.status != .successful && $0.status != .inProgress }.map(\.id), [])
        XCTAssertLessThanOrEqual(items.count - successful.count, 4, "more lost claims than robots")

        let logs = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix("station-") && $0.hasSuffix(".log") }
            .map { (try? String(contentsOf: work.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined()
        assertNoPersonnummer(in: logs)
        print("several stations: \(items.count) items, \(quarantined.count) inputs quarantined, \(handedOut.count) handed out, "
              + "\(items.count - successful.count) lost claims; drained \(String(format: "%.1f", Date().timeIntervalSince(stopped))) s after the server stopped")
        #else
        throw XCTSkip("finds its own binary through /proc")
        #endif
    }

    /// `status` and the queue commands on a server that is not there: a typed error, not a hang;
    /// and a password in the URL is refused without being repeated.
    func testCommandsReportAnUnreachableServerAndRefuseAPasswordInTheURL() throws {
        let nobody = "postgres://blankett@127.0.0.1:\(try PostgresTestServer.freePort())/queue"
        for arguments in [["status", "--store", nobody], ["queue", "next", "--store", nobody]] {
            let run = try blankett(arguments)
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains("Error: store_unreachable: the PostgreSQL server at 127.0.0.1:"), run.stderr)
        }
        let secret = try blankett(["status", "--store", "postgres://blankett:Hemligt@127.0.0.1/queue"])
        XCTAssertEqual(secret.status, 1)
        XCTAssertTrue(secret.stderr.contains("store_password_in_url"), secret.stderr)
        XCTAssertFalse(secret.stderr.contains("Hemligt"), secret.stderr)
    }

    private func archivedCount(_ inbox: URL) -> Int {
        regularFiles(inbox.appendingPathComponent("archive")).count + regularFiles(inbox.appendingPathComponent("quarantine")).count / 2
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments)")
    }

    private func startRobot(_ index: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["WatchTests.WatchDaemonTests/testThreeStationsFourRobotsOneQueueThroughAKillAndAServerRestart"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            Self.robotStoreVariable: store, "BLANKETT_ROBOT_OUT": work.appendingPathComponent("robot-\(index)").path,
        ]) { $1 }
        let log = work.appendingPathComponent("robot-\(index).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        return process
    }

    /// The child's part: claim from both queues and complete, riding out the server's absence,
    /// until told to stop and nothing is left; then write the ids it was handed.
    private func robot(_ store: String) throws {
        let out = try XCTUnwrap(ProcessInfo.processInfo.environment["BLANKETT_ROBOT_OUT"])
        let stop = (out as NSString).deletingLastPathComponent + "/robots-stop"
        let queue = try StoreURL(store).open()
        let worker = "robot-\(ProcessInfo.processInfo.processIdentifier)"
        var handed: [Int64] = []
        func patiently<T>(_ body: () throws -> T) throws -> T {
            while true {
                do { return try body() } catch let error as BlankettError where ["store_unreachable", "store_busy"].contains(error.code) {
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
        }
        while true {
            let stopping = FileManager.default.fileExists(atPath: stop)
            var claimed = false
            for name in QueueName.allCases {
                guard let item = try patiently({ try queue.next(queue: name, leaseSeconds: 600, worker: worker) }) else { continue }
                handed.append(item.id)
                claimed = true
                do {
                    _ = try patiently { try queue.complete(item.id) }
                } catch let error as BlankettError where error.code == "queue_invalid_transition" {
                    // The completion committed but its answer was lost with the connection.
                    XCTAssertEqual(try patiently { try queue.show(item.id) }.status, .successful)
                }
            }
            if stopping && !claimed { break }
            if !claimed { Thread.sleep(forTimeInterval: 0.1) }
        }
        try handed.map(String.init).joined(separator: "\n").write(toFile: out + ".claims", atomically: true, encoding: .utf8)
    }
}
