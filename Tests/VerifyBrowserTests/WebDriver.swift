// A small W3C WebDriver client for Debian's chromium-driver: sessions, navigation, elements,
// keyboard actions and screenshots, over HTTP on loopback. Synchronous: each call waits for
// chromedriver's answer, which waits for the page.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct WebDriverError: Error, CustomStringConvertible {
    let description: String
}

final class WebDriver {
    let port: Int
    private(set) var session = ""

    /// Special keys of the WebDriver key table.
    enum Key {
        static let enter = "\u{E007}", tab = "\u{E004}", escape = "\u{E00C}", f2 = "\u{E032}", f8 = "\u{E038}"
    }

    init(port: Int) { self.port = port }

    func start(chromium: String, profile: String) throws {
        let options: [String: Any] = ["binary": chromium,
                                      "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                               "--window-size=1200,1500", "--user-data-dir=\(profile)", "--no-first-run"]]
        let answer = try call("POST", "/session", ["capabilities": ["alwaysMatch": ["goog:chromeOptions": options]]])
        guard let id = (answer as? [String: Any])?["sessionId"] as? String else { throw WebDriverError(description: "no session: \(answer)") }
        session = id
    }

    func quit() { _ = try? call("DELETE", "/session/\(session)") }

    func go(_ url: String) throws { _ = try call("POST", "/session/\(session)/url", ["url": url]) }

    var url: String { get throws { try call("GET", "/session/\(session)/url") as? String ?? "" } }

    /// Types `keys` into whatever has the focus, as a person at the keyboard would.
    func type(_ keys: String) throws {
        let actions = keys.unicodeScalars.flatMap { key in
            [["type": "keyDown", "value": String(key)], ["type": "keyUp", "value": String(key)]]
        }
        _ = try call("POST", "/session/\(session)/actions", ["actions": [["type": "key", "id": "keyboard", "actions": actions]]])
    }

    func text(_ css: String) throws -> String? {
        guard let element = try find(css) else { return nil }
        return try call("GET", "/session/\(session)/element/\(element)/text") as? String
    }

    func find(_ css: String) throws -> String? {
        let answer = try? call("POST", "/session/\(session)/element", ["using": "css selector", "value": css])
        return (answer as? [String: Any])?.values.first as? String
    }

    /// The id of the focused element's `id` attribute.
    var focusedID: String { get throws { try script("return document.activeElement ? document.activeElement.id : ''") as? String ?? "" } }

    func script(_ body: String) throws -> Any? {
        try call("POST", "/session/\(session)/execute/sync", ["script": body, "args": []])
    }

    func screenshot() throws -> Data {
        guard let base64 = try call("GET", "/session/\(session)/screenshot") as? String, let data = Data(base64Encoded: base64) else {
            throw WebDriverError(description: "no screenshot")
        }
        return data
    }

    /// Polls until `condition` holds; a page that never gets there fails the test after `seconds`.
    func wait(_ what: String, seconds: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        var last: Error?
        while Date() < deadline {
            do { if try condition() { return } } catch { last = error }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw WebDriverError(description: "timed out waiting for \(what) (at \((try? url) ?? "?"); last error: \(last.map { "\($0)" } ?? "none"))")
    }

    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let (status, data) = try LoopbackHTTP.send(method, port: port, path: path, body: payload)
        guard status == 200 else {
            throw WebDriverError(description: "\(method) \(path): HTTP \(status) \(String(decoding: data, as: UTF8.self).prefix(300))")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return object?["value"] as Any?
    }
}

/// HTTP/1.1 on a loopback socket, one request per connection. FoundationNetworking's URLSession
/// fails on chromedriver's answers here ("Failed writing header"), and this is all WebDriver needs.
enum LoopbackHTTP {
    static func send(_ method: String, port: Int, path: String, body: Data) throws -> (Int, Data) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriverError(description: "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw WebDriverError(description: "cannot connect to port \(port)") }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        request += Data("Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        try request.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, 0)
                guard n > 0 else { throw WebDriverError(description: "send failed") }
                sent += n
            }
        }
        // chromedriver keeps the connection open whatever the request says: read the head, then
        // exactly Content-Length bytes.
        var answer = Data(), chunk = [UInt8](repeating: 0, count: 65536)
        var head: String?, bodyStart = 0, length = 0
        while head == nil || answer.count - bodyStart < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { throw WebDriverError(description: "the connection closed mid-answer") }
            answer.append(contentsOf: chunk[0..<n])
            if head == nil, let split = answer.range(of: Data("\r\n\r\n".utf8)) {
                let text = String(decoding: answer[..<split.lowerBound], as: UTF8.self)
                head = text
                bodyStart = split.upperBound - answer.startIndex
                length = text.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
            }
        }
        let status = Int(head?.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, Data(answer.dropFirst(bodyStart).prefix(length)))
    }
}
