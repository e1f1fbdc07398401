// Exports for people and spreadsheets: JSONL (one item per line, the same object as an outbox
// file) and CSV (RFC 4180: comma-separated, CRLF line ends, fields with comma, quote, CR or LF
// quoted and quotes doubled), specific_content and output as JSON text in their columns.
import BlankettSupport
import Foundation

public enum ExportFormat: String, CaseIterable, Sendable {
    case jsonl, csv
}

extension QueueStore {
    /// Every item (of `queue`, or of all queues) by ascending id.
    public func export(queue: QueueName?, format: ExportFormat) throws -> String {
        let items = try list(queue: queue, status: nil, limit: Int.max)
        switch format {
        case .jsonl:
            return items.map { QueueJSON.line($0) + "\n" }.joined()
        case .csv:
            return ([QueueExport.header] + items.map(QueueExport.row)).map { $0.map(QueueExport.field).joined(separator: ",") + "\r\n" }.joined()
        }
    }

    public func export(queue: QueueName?, format: ExportFormat, to handle: FileHandle) throws {
        let text = try export(queue: queue, format: format)
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw BlankettError("export_failed", "cannot write the export: \(error.localizedDescription)")
        }
    }
}

enum QueueExport {
    static let header = ["id", "queue", "reference", "priority", "status", "created_at", "defer_date", "due_date",
                         "retry_count", "last_error", "worker", "lease_expires_at", "specific_content", "output", "not_for"]

    static func row(_ item: QueueItem) -> [String] {
        [String(item.id), item.queue.rawValue, item.reference.sha256, String(item.priority), item.status.rawValue,
         Timestamp.format(item.createdAt), item.deferDate.map(Timestamp.format) ?? "",
         item.dueDate.map(Timestamp.format) ?? "", String(item.retryCount), item.lastError ?? "", item.worker ?? "",
         item.leaseExpiresAt.map(Timestamp.format) ?? "", String(decoding: item.specificContent, as: UTF8.self),
         item.output.map { String(decoding: $0, as: UTF8.self) } ?? "", item.notFor ?? ""]
    }

    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
