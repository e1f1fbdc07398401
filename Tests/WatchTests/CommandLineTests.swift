// The built `blankett` run as a process on hostile input (fixtures in WatchDaemonTests): numbers
// out of range, objects that are not regular files, names that are not UTF-8 or hold control
// characters or a personnummer, a store that fails or does not exist. Every case must end in a
// clear message and an exit status, never a signal, a hang or a silent success.
import Foundation
import WorkQueue
import XCTest
#if canImport(Glibc)
import Glibc
#endif

extension WatchDaemonTests {
    struct Run { let status: Int32?; let stdout: String; let stderr: String; let signalled: Bool }

    /// Runs `blankett arguments` in the test's folder; status nil when it had to be killed after `timeout`.
    func blankett(_ arguments: [String], timeout: TimeInterval = 60) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable!)
        process.arguments = arguments
        process.currentDirectoryURL = work
        let out = work.appendingPathComponent("out-\(UUID().uuidString)"), err = work.appendingPathComponent("err-\(UUID().uuidString)")
        for file in [out, err] { FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        defer { for file in [out, err] { try? FileManager.default.removeItem(at: file) } }
        return Run(status: hung ? nil : process.terminationStatus,
                   stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                   stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self),
                   signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Creates a file whose name is raw bytes (Foundation cannot name one that is not UTF-8).
    func write(_ bytes: Data, toName name: [UInt8], in folder: URL) {
        let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name
        let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    func makeSocket(at path: String) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, "cannot make a socket at \(path)")
        close(fd)
    }

    var personnummer: String { "19340512-1231" }

    // MARK: - Class 1: numbers out of range

    func testNumericOptionsOutOfRangeGetAClearMessage() throws {
        let file = work.appendingPathComponent("none.png").path
        let cases: [([String], String)] = [
            (["read", "--workers", "-1", file], "--workers"), (["read", "--workers", "0", file], "--workers"),
            (["watch", "--inbox", "i", "--workers", "-3"], "--workers"),
            (["watch", "--inbox", "i", "--heartbeat-s", "1e12"], "--heartbeat-s"),
            (["watch", "--inbox", "i", "--heartbeat-s", "-1"], "--heartbeat-s"),
            (["watch", "--inbox", "i", "--heartbeat-s", "nan"], "--heartbeat-s"),
            (["watch", "--inbox", "i", "--settle-ms", "-5"], "--settle-ms"),
            (["watch", "--inbox", "i", "--settle-ms", "99999999999"], "--settle-ms"),
            (["queue", "list", "--limit", "-1"], "--limit"), (["queue", "next", "--lease", "0"], "--lease"),
            (["queue", "next", "--lease", "-5"], "--lease"), (["queue", "next", "--lease", "99999999999"], "--lease"),
            (["read", "--accept-threshold", "2", file], "--accept-threshold"),
            (["read", "--accept-threshold-marks", "-0.5", file], "--accept-threshold"),
            (["queue", "show", "0"], "item id"),
        ]
        for (arguments, option) in cases {
            let run = try blankett(arguments)
            let label = arguments.joined(separator: " ")
            XCTAssertFalse(run.signalled, "\(label) crashed")
            XCTAssertEqual(run.status, 64, "\(label): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(option), "\(label): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Missing value"), "\(label): \(run.stderr)")
        }
    }

    func testTooManyWorkersAreCappedAndSaidSo() throws {
        let folder = work.appendingPathComponent("many")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let samples = Self.samples.prefix(cores + 1)
        for sample in samples { try sample.bytes.write(to: folder.appendingPathComponent(sample.name)) }
        let run = try blankett(["read", "--scan-date", "2025-11-20", "--workers", "100000", folder.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("--workers 100000: using \(cores), one per core"), run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").count, samples.count)
    }

    // MARK: - Class 2: objects that are not regular files

    func testReadRefusesWhatIsNotARegularFileWithoutHanging() throws {
        let folder = work.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let good = Self.samples.prefix(2)
        for sample in good { try sample.bytes.write(to: folder.appendingPathComponent(sample.name)) }
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("fifo.png").path, 0o600), 0)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("folder.png"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("zero.png").path, withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dangling.png").path, withDestinationPath: "/nonexistent")
        makeSocket(at: folder.appendingPathComponent("socket.png").path)

        let run = try blankett(["read", "--scan-date", "2025-11-20", folder.path], timeout: 60)
        XCTAssertEqual(run.status, 0, "read hung or failed: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, good.count + 5, run.stdout)
        for name in ["fifo.png", "socket.png", "zero.png"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(name + " · rejected · not_a_regular_file") }, "\(name): \(run.stdout)")
        }
        for name in ["folder.png", "dangling.png"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(name + " · rejected · file_not_found") }, "\(name): \(run.stdout)")
        }
        for sample in good { XCTAssertTrue(lines.contains { $0.hasPrefix(sample.name + " · ") }, sample.name) }

        // The files the commands are pointed at are refused alike.
        let fifo = folder.appendingPathComponent("fifo.png").path, scan = folder.appendingPathComponent(good.first!.name).path
        for arguments in [["read", "--template", fifo, scan], ["read", "--model", fifo, scan], ["read", "--store", "sqlite:" + fifo, scan],
                          ["status", "--store", "sqlite:" + fifo], ["status", "--store", "sqlite:/dev/null"], ["read", fifo]] {
            let run = try blankett(arguments, timeout: 30)
            XCTAssertNotNil(run.status, "\(arguments) hung")
            XCTAssertFalse(run.signalled, "\(arguments) crashed")
        }
    }

    // MARK: - Classes 3, 4, 5: names as bytes, masked, escaped; failed deliveries

    func testReadShowsEveryNameOnOneLineMaskedAndEscaped() throws {
        let folder = work.appendingPathComponent("names")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bytes = try XCTUnwrap(Self.samples.first).bytes
        let names: [([UInt8], String)] = [
            (Array("lat".utf8) + [0xE5] + Array("n.png".utf8), "lat\\xE5n.png"),
            (Array("new\nline \(personnummer).png".utf8), "new\\nline 19340512-****.png"),
            (Array("cr\rtab\tesc\u{1B}[2J.png".utf8), "cr\\rtab\\tesc\\u{1B}[2J.png"),
            (Array(String(repeating: "x", count: 251).utf8) + Array(".png".utf8), String(repeating: "x", count: 251) + ".png"),
        ]
        for (name, _) in names { write(bytes, toName: name, in: folder) }
        for (argument, count) in [(folder.path, names.count), (folder.path + "/new\nline \(personnummer).png", 1)] {
            let run = try blankett(["read", "--scan-date", "2025-11-20", argument])
            XCTAssertEqual(run.status, 0, run.stderr)
            let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            XCTAssertEqual(lines.count, count, run.stdout)
            XCTAssertFalse(lines.contains { $0.contains("file_not_found") }, run.stdout)
            for line in lines { XCTAssertTrue(names.contains { line.hasPrefix($0.1 + " · ") }, String(line)) }
            XCTAssertFalse(run.stdout.contains(personnummer), "a personnummer in the summary")
            XCTAssertFalse(run.stdout.contains("\r") || run.stdout.contains("\u{1B}"), "a raw control character in the summary")
        }
        let json = try blankett(["read", "--json", "--scan-date", "2025-11-20", folder.path])
        XCTAssertEqual(json.stdout.split(separator: "\n").count, names.count)
        XCTAssertFalse(json.stdout.contains(personnummer), "a personnummer in a file name of --json")
    }

    func testAFailedDeliveryShowsAndFailsTheExitStatus() throws {
        let outbox = work.appendingPathComponent("outbox")
        let first = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "accepted" })
        let rejected = try XCTUnwrap(Self.samples.first { $0.expectedStatus == "rejected" })
        for sample in [first, rejected] { try sample.bytes.write(to: work.appendingPathComponent(sample.name)) }
        XCTAssertEqual(try blankett(["read", "--scan-date", "2025-11-20", "--store", "outbox:" + outbox.path,
                                     work.appendingPathComponent(rejected.name).path]).status, 0)
        try Data("not a number\n".utf8).write(to: outbox.appendingPathComponent(".sequence"))   // the store is corrupt now

        let files = [first, rejected].map { work.appendingPathComponent($0.name).path }
        let json = try blankett(["read", "--json", "--scan-date", "2025-11-20", "--store", "outbox:" + outbox.path] + files)
        XCTAssertEqual(json.status, 3, json.stderr)
        let objects = try json.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, 2)
        let delivery = try XCTUnwrap(objects[0]["delivery"] as? [String: Any])
        XCTAssertEqual(delivery["status"] as? String, "failed")
        XCTAssertEqual((delivery["error"] as? [String: Any])?["code"] as? String, "store_corrupt")
        XCTAssertEqual((objects[1]["delivery"] as? [String: Any])?["status"] as? String, "not_queued")

        let summary = try blankett(["read", "--scan-date", "2025-11-20", "--store", "outbox:" + outbox.path, files[0]])
        XCTAssertEqual(summary.status, 3)
        XCTAssertTrue(summary.stdout.contains("NOT QUEUED: store_corrupt"), summary.stdout)
    }

    func testPathsInErrorsAreMasked() throws {
        let secret = work.appendingPathComponent(personnummer).path
        let sample = work.appendingPathComponent("scan.png")
        try XCTUnwrap(Self.samples.first).bytes.write(to: sample)
        for arguments in [["read", "--template", secret + "/t.json", sample.path], ["read", "--model", secret + "/m.bkn", sample.path],
                          ["read", "--store", "sqlite:" + secret + "/q.sqlite", sample.path], ["status", "--store", "sqlite:" + secret + "/q.sqlite"],
                          ["queue", "list", "--store", "outbox:" + secret], ["read", secret + "/missing.png"], ["read", "--scan-date", personnummer, sample.path]] {
            let run = try blankett(arguments)
            let label = arguments.joined(separator: " ")
            XCTAssertFalse(run.signalled, label)
            XCTAssertFalse((run.stdout + run.stderr).contains(personnummer), "\(label): \(run.stdout + run.stderr)")
            XCTAssertFalse((run.stdout + run.stderr).contains("0512-1231"), label)
        }
    }

    func testATypedValueWithANewlineStaysOnTheErrorLine() throws {
        for arguments in [["read", "--scan-date", "a\nforged", "x.png"], ["queue", "list", "--status", "a\nforged"],
                          ["status", "--store", "sqlite:/nonexistent/a\nforged"]] {
            let run = try blankett(arguments)
            XCTAssertTrue(run.stderr.split(separator: "\n").first?.contains("a\\nforged") == true, "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stderr.split(separator: "\n").contains { $0.hasPrefix("forged") }, "\(arguments): \(run.stderr)")
        }
    }

    // MARK: - Class 6: read-only commands, the queue's usage

    func testReadOnlyCommandsRefuseAStoreThatDoesNotExist() throws {
        for store in ["outbox:nx", "sqlite:nx.sqlite", "outbox:" + work.appendingPathComponent("a/b").path] {
            for arguments in [["status"], ["queue", "list"], ["queue", "show", "1"], ["queue", "export"], ["queue", "retry", "1"],
                              ["queue", "next"]] {
                let run = try blankett(arguments + ["--store", store])
                XCTAssertFalse(run.signalled, "\(arguments) \(store) crashed")
                XCTAssertEqual(run.status, 1, "\(arguments) \(store): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("store_not_found"), "\(arguments) \(store): \(run.stderr)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { !$0.hasPrefix("inbox") }, [],
                       "a read-only command created a store")
    }

    func testQueueOptionsListTheirValidValues() throws {
        let run = try blankett(["queue", "list", "--status", "new"])
        XCTAssertEqual(run.status, 64)
        for status in ["New", "InProgress", "Successful", "Failed", "Abandoned", "Returned"] {
            XCTAssertTrue(run.stderr.contains("- \(status)"), "\(status) not offered: \(run.stderr)")
        }
        XCTAssertTrue(run.stderr.contains("blankett queue list"), "not the subcommand's usage: \(run.stderr)")
        let queue = try blankett(["queue", "export", "--queue", "apps"])
        XCTAssertTrue(queue.stderr.contains("'applications' and 'verification'"), queue.stderr)
    }
}
