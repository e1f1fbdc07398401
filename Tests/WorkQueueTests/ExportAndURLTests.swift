// Exports (JSONL lines that parse back, RFC 4180 CSV quoting), store URL parsing, references,
// and that neither an item's description nor an error ever shows the personnummer.
import BlankettSupport
import Foundation
import QueueStores
import WorkQueue
import XCTest

final class ExportAndURLTests: XCTestCase {
    func store() throws -> (SQLiteStore, ManualClock) {
        let clock = ManualClock()
        return (try SQLiteStore(path: try temporaryDirectory() + "/queue.sqlite", options: QueueOptions(clock: { clock.now })), clock)
    }

    func testJSONLExportHasOneParsableObjectPerItem() throws {
        let (store, _) = try store()
        _ = try store.insert(QueueFixture.item(1))
        _ = try store.insert(QueueFixture.item(2, queue: .verification))
        _ = try store.next(queue: .applications, leaseSeconds: 60, worker: "robot")
        _ = try store.fail(1, error: "line one\nline \"two\"")

        let lines = try store.export(queue: nil, format: .jsonl).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(first["id"] as? Int, 1)
        XCTAssertEqual(first["reference"] as? String, QueueFixture.reference(1).sha256)
        XCTAssertEqual(first["status"] as? String, "New")
        XCTAssertEqual(first["retry_count"] as? Int, 1)
        XCTAssertEqual(first["last_error"] as? String, "line one\nline \"two\"")
        XCTAssertEqual(first["created_at"] as? String, "2025-11-20T08:00:00.000Z")
        XCTAssertTrue(first["defer_date"] is NSNull)
        XCTAssertEqual((first["specific_content"] as? [String: Any])?["source_file"] as? String, "scan1.png")
        XCTAssertEqual(try store.export(queue: .verification, format: .jsonl).split(separator: "\n").count, 1)
    }

    func testCSVExportQuotesCommasQuotesAndNewlines() throws {
        let (store, clock) = try store()
        _ = try store.insert(try NewQueueItem(queue: .applications, reference: QueueFixture.reference(1), priority: 2,
                                              content: ["a": 1], dueDate: clock.now + 86_400))
        _ = try store.next(queue: .applications, leaseSeconds: 60, worker: "robot")
        _ = try store.fail(1, error: "portal said \"no\", twice\r\nthen hung", kind: .business)

        let csv = try store.export(queue: .applications, format: .csv)
        let reference = QueueFixture.reference(1).sha256
        XCTAssertEqual(csv, "id,queue,reference,priority,status,created_at,defer_date,due_date,retry_count,last_error,"
            + "worker,lease_expires_at,specific_content,output,not_for\r\n"
            + "1,applications,\(reference),2,Failed,2025-11-20T08:00:00.000Z,,2025-11-21T08:00:00.000Z,0,"
            + "\"portal said \"\"no\"\", twice\r\nthen hung\",robot,,\"{\"\"a\"\":1}\",,\r\n")

        let path = try temporaryDirectory() + "/export.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try store.export(queue: nil, format: .csv, to: handle)
        try handle.close()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), csv)
    }

    func testStoreURLs() throws {
        XCTAssertEqual(StoreURL.default, .sqlite(path: "./blankett-queue.sqlite"))
        XCTAssertEqual(try StoreURL("sqlite:./blankett-queue.sqlite"), .default)
        XCTAssertEqual(try StoreURL("sqlite:/var/lib/blankett/q.sqlite"), .sqlite(path: "/var/lib/blankett/q.sqlite"))
        XCTAssertEqual(try StoreURL("outbox:/srv/outbox"), .outbox(directory: "/srv/outbox"))
        XCTAssertEqual(try StoreURL("outbox:C:/robot"), .outbox(directory: "C:/robot"))
        XCTAssertEqual(StoreURL.outbox(directory: "out").description, "outbox:out")
        for bad in ["", "queue.sqlite", "sqlite:", "postgres://db/queue", "SQLITE:x", "mysql://u@h/db"] {
            XCTAssertEqual(QueueFixture.code { try StoreURL(bad) }, "store_invalid_url", bad)
        }
        let folder = try temporaryDirectory()
        XCTAssertTrue(try StoreURL("sqlite:\(folder)/q.sqlite").open() is SQLiteStore)
        XCTAssertTrue(try StoreURL("outbox:\(folder)/out").open() is OutboxStore)
        try Data().write(to: URL(fileURLWithPath: folder + "/file"))
        XCTAssertEqual(QueueFixture.code { try StoreURL("outbox:\(folder)/file").open() }, "store_unavailable")
    }

    func testReferencesComeFromTheScanHashOnly() throws {
        let scan = Array("a scanned page".utf8)
        XCTAssertEqual(QueueReference(scan: scan).sha256, SHA256.hex(scan))
        XCTAssertEqual(try QueueReference(sha256: SHA256.hex(scan)), QueueReference(scan: scan))
        for bad in [QueueFixture.personnummer, "19121212-1212", String(repeating: "A", count: 64), ""] {
            XCTAssertEqual(QueueFixture.code { try QueueReference(sha256: bad) }, "queue_invalid_item", bad)
        }
    }

    func testContentIsValidatedAndNeverPrinted() throws {
        let (store, _) = try store()
        let reference = QueueFixture.reference(1)
        for bad in ["[1, 2]", "\"191212121212\"", "{\"personnummer\": 191212121212", "not json"] {
            XCTAssertEqual(QueueFixture.code { try NewQueueItem(queue: .applications, reference: reference, specificContent: Data(bad.utf8)) },
                           "queue_invalid_item", bad)
        }
        let pretty = Data("{\n  \"personnummer\" : \"191212121212\",\n  \"b\" : [ 1, 2 ]\n}".utf8)
        let item = try NewQueueItem(queue: .applications, reference: reference, specificContent: pretty)
        XCTAssertEqual(String(decoding: item.specificContent, as: UTF8.self), #"{"b":[1,2],"personnummer":"191212121212"}"#)

        let id = try store.insert(item).id
        let shown = try store.show(id)
        XCTAssertFalse("\(shown)".contains(QueueFixture.personnummer))
        XCTAssertFalse(String(describing: shown).contains(QueueFixture.personnummer))
        var messages: [String] = []
        for attempt in [{ _ = try store.complete(id) }, { _ = try store.show(7) },
                        { _ = try NewQueueItem(queue: .applications, reference: reference, specificContent: Data("[\"191212121212\"]".utf8)) },
                        { _ = try QueueReference(sha256: QueueFixture.personnummer) }] {
            do { try attempt() } catch { messages.append("\(error)") }
        }
        XCTAssertEqual(messages.count, 4)
        XCTAssertFalse(messages.contains { $0.contains(QueueFixture.personnummer) }, "\(messages)")
    }
}
