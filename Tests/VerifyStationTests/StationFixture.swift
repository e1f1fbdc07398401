// A station over a fresh SQLite queue with verification items of a known reading, clerks with
// cheap bcrypt hashes, a clock the tests move, and a client that keeps the session cookie and the
// CSRF token the way a browser keeps them.
import BlankettSupport
import Foundation
import FormTemplate
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VerifyStation
import WorkQueue
import BlankettTestSupport
import XCTest

final class TestClock: @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_763_625_600)  // 2025-11-20T08:00:00Z
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

enum StationFixture {
    static let template = try! FormTemplate.load(BuiltExecutable.repositoryRoot.appendingPathComponent("Forms/pm7001/template.json").path)
    static let personnummer = "191212121212"
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 7, 7]
    static let password = "correct horse battery"

    static func content(file: String = "scan-1.png") -> [String: Any] {
        [
            "file": file, "source_file": file, "status": "needs_verification", "scan_date": "2025-11-20",
            "reasons": ["personnummer_low_confidence"],
            "fields": [
                "personnummer": ["value": personnummer, "confidence": 0.93, "status": "verify", "reasons": ["personnummer_low_confidence"],
                                 "alternatives": [["value": "191212121220", "probability": 0.05]]],
                "telefon": ["value": NSNull(), "confidence": 1, "status": "certain", "reasons": [], "alternatives": []],
                "uttag": ["value": "75", "confidence": 0.999, "status": "certain", "reasons": [], "alternatives": []],
                "datum": ["value": "20251101", "confidence": 0.9999, "status": "certain", "reasons": [], "alternatives": []],
                "namnteckning": ["value": true, "confidence": 1, "status": "certain", "reasons": [], "alternatives": []],
            ],
        ]
    }

    struct Station {
        let app: Application<RouterResponder<StationContext>>
        let store: SQLiteStore
        let clock: TestClock
        let checks: Counter
    }

    static func station(items: Int = 2, file: String = "scan-1.png", in folder: String) throws -> Station {
        let clock = TestClock()
        let store = try SQLiteStore(path: "\(folder)/queue.sqlite", options: QueueOptions(clock: { clock.now }))
        for n in 1...items {
            let reference = QueueReference(scan: Array("scan \(n)".utf8))
            _ = try store.insert(try NewQueueItem(queue: .verification, reference: reference, content: content(file: file)),
                                 attachments: ["personnummer": png, "page": png])
        }
        var clerks = try Clerks.loadOrEmpty("\(folder)/no-such-file")
        try clerks.add("anna", password: password, cost: 4)
        try clerks.add("bo", password: password, cost: 4)
        let checks = Counter()
        let check = clerks.check
        clerks.check = { checks.add(); return check($0, $1) }
        var setup = VerifyStation.Setup(store: store, clerks: clerks, template: template, register: nil, mailingDate: nil)
        setup.settings.clock = { clock.now }
        return Station(app: Application(router: VerifyStation.router(setup)), store: store, clock: clock, checks: checks)
    }
}

extension XCTestCase {
    /// A folder removed when the test ends.
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "blankett-station-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}

/// A browser's memory of one clerk: the cookies it was given and the last page's CSRF token.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf = ""
    /// The item the last redirect to an item page named.
    private(set) var lastItem: Int64?

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let location: String?
        let body: String
        let headers: HTTPFields
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page { try await send(uri, .get, nil) }

    /// A form post; `csrf: nil` sends the token of the last page, `csrf: ""` sends none.
    @discardableResult
    func post(_ uri: String, _ fields: [String: String] = [:], csrf: String? = nil) async throws -> Page {
        var fields = fields
        let token = csrf ?? self.csrf
        if !token.isEmpty { fields["csrf"] = token }
        let body = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.escape($0.value))" }.joined(separator: "&")
        return try await send(uri, .post, body)
    }

    func logIn(_ name: String, _ password: String = StationFixture.password) async throws -> Page {
        try await get("/login")
        return try await post("/login", ["name": name, "password": password])
    }

    private func send(_ uri: String, _ method: HTTPRequest.Method, _ body: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies[pair[0]] = line.contains("Expires=Thu, 01 Jan 1970") || pair[1].isEmpty ? nil : pair[1] }
        }
        let text = String(buffer: response.body)
        if let range = text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) {
            csrf = String(text[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
        if let location = response.headers[.location], location.hasPrefix("/items/") { lastItem = Int64(location.dropFirst(7)) }
        return Page(status: response.status, location: response.headers[.location], body: text, headers: response.headers)
    }

    static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}
