// The station in a real browser: Debian's chromium driven through chromium-driver, against the
// real `blankett verify serve` over a queue the real reader filled from SampleScans (read with an
// accept threshold no reading meets, so that their personnummer are in doubt). By keyboard alone a
// clerk logs in, settles a form, keys a disagreeing value and settles on the second keying, sees
// the live check, skips one (its lease released) and returns one to the applicant; the store is
// checked after each.
import BlankettSupport
import BlankettTestSupport
import Foundation
import WorkQueue
import XCTest

final class VerifyBrowserTests: XCTestCase {
    var work = ""
    var processes: [Process] = []

    override func setUpWithError() throws {
        work = NSTemporaryDirectory() + "blankett-browser-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for process in processes where process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: work)
    }

    /// The scans, in the order the queue gets them, and the personnummer each has written.
    static let scans = ["scan-00001.png", "scan-00002.png", "scan-00003.png", "scan-00008.png"]

    static func truth(_ file: String) throws -> String {
        let text = try String(contentsOf: BuiltExecutable.repositoryRoot.appendingPathComponent("SampleScans/truth.jsonl"), encoding: .utf8)
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if object?["file"] as? String == file, let fields = object?["fields"] as? [String: Any], let number = fields["personnummer"] as? String {
                return number
            }
        }
        throw WebDriverError(description: "no truth for \(file)")
    }

    func testAClerkSettlesReturnsAndSkipsByKeyboardAlone() throws {
        let blankett = try XCTUnwrap(BuiltExecutable.blankett, "the blankett executable is built beside the tests")
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing: scripts/setup.sh installs it")
        }
        let store = "sqlite:\(work)/queue.sqlite"
        for scan in Self.scans {
            let path = BuiltExecutable.repositoryRoot.appendingPathComponent("SampleScans/\(scan)").path
            let read = try run(blankett, ["read", "--accept-threshold", "0.99999999", "--scan-date", "2025-11-20", "--store", store, path])
            XCTAssertEqual(read.status, 0, read.output)
            XCTAssertTrue(read.output.contains("queued as verification item"), "the form goes to a person: \(read.output)")
        }
        XCTAssertEqual(try run(blankett, ["verify", "add-user", "--users", "\(work)/users", "anna"], input: "anna's password 1\n").status, 0)

        let serve = try spawn(blankett, ["verify", "serve", "--store", store, "--users", "\(work)/users", "--listen", "127.0.0.1:0",
                                          "--lease-seconds", "60"])
        let station = try firstLine(serve, prefix: "verification station on ").trimmingCharacters(in: .whitespaces)
        let driverPort = try freePort()
        _ = try spawn("/usr/bin/chromedriver", ["--port=\(driverPort)"])
        let browser = WebDriver(port: driverPort)
        try browser.wait("chromedriver") { (try browser.call("GET", "/status") as? [String: Any])?["ready"] as? Bool == true }
        try browser.start(chromium: "/usr/bin/chromium", profile: "\(work)/profile")
        defer { browser.quit() }
        let queue = try SQLiteStore(path: "\(work)/queue.sqlite", options: QueueOptions(readOnly: true))

        // Log in: the name field has the focus; Tab, the password, Enter.
        try browser.go(station + "login")
        try browser.wait("the log-in form") { try browser.focusedID == "name" }
        try browser.type("anna" + WebDriver.Key.tab + "anna's password 1" + WebDriver.Key.enter)
        try browser.wait("the list") { try browser.find("#next") != nil }
        // Next has the focus: Enter opens the oldest form, its personnummer field focused.
        try browser.type(WebDriver.Key.enter)
        try openItem(browser, 1)
        XCTAssertEqual(try queue.show(1).worker, "anna")
        XCTAssertEqual(try browser.script("return document.getElementById('f-personnummer').value") as? String, "",
                       "keyed blind: the machine's value is not on the page")

        // Key what is written, Enter: settled, and the next form opens.
        try browser.type(try Self.truth(Self.scans[0]) + WebDriver.Key.enter)
        try openItem(browser, 2)
        let applications = try queue.list(queue: .applications, status: nil, limit: 10)
        XCTAssertEqual(applications.count, 1)
        XCTAssertEqual(try applications.first?.content()["source"] as? String, "verified")
        XCTAssertEqual(try queue.show(1).status, .successful)
        let settled = try XCTUnwrap(try queue.audit(1).last)
        XCTAssertEqual(settled.event, "settled")
        XCTAssertEqual(settled.actor, "anna")
        XCTAssertEqual((try settled.details()["keystrokes"] as? [String: Int])?["total"], 13, "12 digits and Enter")

        // A valid number that is not what is written: the page says so; keyed again, it settles.
        try browser.type("193403211232" + WebDriver.Key.enter)
        try browser.wait("the disagreement") { (try browser.text("#message") ?? "").contains("agrees with no other reading") }
        XCTAssertEqual(try queue.show(2).status, .inProgress)
        try browser.wait("the field focused again") { try browser.focusedID == "f-personnummer" }
        try screenshot(browser)
        try browser.type(try Self.truth(Self.scans[1]) + WebDriver.Key.enter)
        try openItem(browser, 3)
        XCTAssertEqual(try queue.audit(2).map(\.event), ["disagreement", "settled"])
        let keys = try queue.audit(2).map { (try $0.details()["keystrokes"] as? [String: Int])?["total"] }
        XCTAssertEqual(keys, [13, 13], "a disagreement costs a second keying, nothing more")
        XCTAssertEqual(try queue.list(queue: .applications, status: nil, limit: 10).count, 2)

        // The live check is the server's: a wrong check digit is named as it is typed.
        try browser.type("191212121213")
        try browser.wait("the live check") { (try browser.text("#check-personnummer") ?? "").contains("check digit does not match") }
        // Esc skips: the lease is released at once, and Next passes the form over.
        try browser.type(WebDriver.Key.escape)
        try openItem(browser, 4)
        let skipped = try queue.show(3)
        XCTAssertEqual(skipped.status, .new)
        XCTAssertNil(skipped.worker)
        XCTAssertNil(skipped.leaseExpiresAt)

        // The unsigned form: F8, reason 1 (not signed), Enter.
        try browser.type(WebDriver.Key.f8)
        try browser.wait("the return dialog") { try browser.focusedID == "return-reason" }
        try browser.type("1" + WebDriver.Key.enter)
        try browser.wait("the list") { try browser.url.hasSuffix("/?done=1") }
        let returned = try queue.show(4)
        XCTAssertEqual(returned.status, .returned)
        XCTAssertEqual(try returned.output.flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["returned_reason"] as? String,
                       "no_signature")
        XCTAssertEqual(try queue.counts()[.verification, .returned], 1)
        let returnKeys = try queue.audit(4).last.flatMap { try $0.details()["keystrokes"] as? [String: Int] }?["total"]
        XCTAssertEqual(returnKeys, 3, "F8, the reason, Enter")
        XCTAssertEqual(try queue.list(queue: .applications, status: nil, limit: 10).count, 2, "a returned form is no application")
    }

    private func openItem(_ browser: WebDriver, _ id: Int64) throws {
        try browser.wait("item \(id)") { try browser.url.hasSuffix("/items/\(id)") && browser.find("#settle") != nil }
        try browser.wait("the first field focused on item \(id)") { try browser.focusedID.hasPrefix("f-") }
    }

    /// For docs/: the item page as the browser shows it, written where BLANKETT_SCREENSHOT says.
    private func screenshot(_ browser: WebDriver) throws {
        let png = try browser.screenshot()
        XCTAssertTrue(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        if let path = ProcessInfo.processInfo.environment["BLANKETT_SCREENSHOT"] { try png.write(to: URL(fileURLWithPath: path)) }
    }

    // MARK: - Processes

    private func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process(), out = Pipe(), stdin = Pipe()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = out
        process.standardInput = stdin
        process.currentDirectoryURL = BuiltExecutable.repositoryRoot
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    private func spawn(_ tool: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = Pipe()
        process.standardError = FileHandle.nullDevice
        process.currentDirectoryURL = BuiltExecutable.repositoryRoot
        try process.run()
        processes.append(process)
        return process
    }

    /// The first line of the process's output that starts with `prefix`, without it.
    private func firstLine(_ process: Process, prefix: String) throws -> String {
        let handle = (process.standardOutput as! Pipe).fileHandleForReading
        var buffer = Data()
        while let chunk = try handle.read(upToCount: 1), !chunk.isEmpty {
            if chunk == Data("\n".utf8) {
                let line = String(decoding: buffer, as: UTF8.self)
                if line.hasPrefix(prefix) { return String(line.dropFirst(prefix.count)) }
                buffer.removeAll()
            } else {
                buffer.append(chunk)
            }
        }
        throw WebDriverError(description: "the process ended before printing \(prefix)")
    }

    private func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw WebDriverError(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
