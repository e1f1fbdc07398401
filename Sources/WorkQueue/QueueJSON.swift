// The item as one JSON object on one line: the JSONL export writes it, and each outbox file is
// exactly that line, so a robot reading either sees the same fields under the same names.
// specific_content and output are kept canonical (keys sorted, no newlines) so they embed verbatim.
// Errors name the field, never its value: the content holds a personnummer.
import BlankettSupport
import Foundation

package enum QueueJSON {
    static func object(_ data: Data, field: String) throws -> [String: Any] {
        guard String(data: data, encoding: .utf8) != nil,
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw BlankettError("queue_invalid_item", "\(field) is not a UTF-8 JSON object")
        }
        return object
    }

    static func serialize(_ object: [String: Any], field: String) throws -> Data {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            throw BlankettError("queue_invalid_item", "\(field) cannot be written as JSON")
        }
        return data
    }

    package static func canonicalObject(_ data: Data, field: String) throws -> Data {
        try serialize(try object(data, field: field), field: field)
    }

    /// Fields in a fixed order, times as `Timestamp` text, absent values as null.
    static func line(_ item: QueueItem) -> String {
        let fields: [(String, String)] = [
            ("id", String(item.id)),
            ("queue", string(item.queue.rawValue)),
            ("reference", string(item.reference.sha256)),
            ("priority", String(item.priority)),
            ("status", string(item.status.rawValue)),
            ("created_at", string(Timestamp.format(item.createdAt))),
            ("defer_date", item.deferDate.map { string(Timestamp.format($0)) } ?? "null"),
            ("due_date", item.dueDate.map { string(Timestamp.format($0)) } ?? "null"),
            ("retry_count", String(item.retryCount)),
            ("last_error", item.lastError.map(string) ?? "null"),
            ("worker", item.worker.map(string) ?? "null"),
            ("lease_expires_at", item.leaseExpiresAt.map { string(Timestamp.format($0)) } ?? "null"),
            ("specific_content", String(decoding: item.specificContent, as: UTF8.self)),
            ("output", item.output.map { String(decoding: $0, as: UTF8.self) } ?? "null"),
            ("not_for", item.notFor.map(string) ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The inverse of `line`, for the outbox. `status` comes from the folder the file is in,
    /// which is the authority (a robot that claims or finishes by renaming does not rewrite the file).
    static func item(_ data: Data, status: ItemStatus, file: String) throws -> QueueItem {
        let corrupt = BlankettError("store_corrupt", "outbox file \(file) is not a queue item")
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw corrupt }
        func text(_ key: String) throws -> String? {
            switch o[key] {
            case nil, is NSNull: return nil
            case let value as String: return value
            default: throw corrupt
            }
        }
        func number(_ key: String) throws -> Int64 {
            guard let value = o[key] as? NSNumber else { throw corrupt }
            return value.int64Value
        }
        func time(_ key: String) throws -> Date? { try text(key).map(Timestamp.parse) }
        func json(_ key: String) throws -> Data? {
            switch o[key] {
            case nil, is NSNull: return nil
            case let value as [String: Any]: return try serialize(value, field: key)
            default: throw corrupt
            }
        }
        guard let queue = try text("queue").flatMap(QueueName.init(rawValue:)),
              let reference = try text("reference").flatMap({ try? QueueReference(sha256: $0) }),
              let content = try json("specific_content"), let createdAt = try time("created_at") else { throw corrupt }
        return QueueItem(id: try number("id"), queue: queue, reference: reference, priority: Int(try number("priority")),
                         status: status, specificContent: content, output: try json("output"), createdAt: createdAt,
                         deferDate: try time("defer_date"), dueDate: try time("due_date"),
                         retryCount: Int(try number("retry_count")), lastError: try text("last_error"),
                         worker: try text("worker"), leaseExpiresAt: try time("lease_expires_at"), notFor: try text("not_for"))
    }

    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
