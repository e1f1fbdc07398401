// An application/x-www-form-urlencoded body as name → value (the last one wins), or a JSON
// object of strings from the page's script.
import Foundation
import Hummingbird
import NIOCore

struct FormBody {
    let values: [String: String]

    /// The request's body, collected (so a later handler can read it again) and parsed.
    static func values(of request: Request, limit: Int) async throws -> [String: String] {
        var request = request
        return FormBody(try await request.collectBody(upTo: limit)).values
    }

    init(_ buffer: ByteBuffer) {
        let text = String(buffer: buffer)
        if text.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            values = object.compactMapValues { $0 as? String }
            return
        }
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { part in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first, !name.isEmpty else { continue }
            values[name] = parts.count > 1 ? parts[1] : ""
        }
        self.values = values
    }
}
