// The verification station's side of the queue, run against every database backend: leases a
// page renews and releases, expiry back to New, the second operator, return to the applicant,
// settling exactly once, and the audit trail.
import BlankettSupport
import Foundation
import WorkQueue
import XCTest

final class VerificationContractTests: XCTestCase {
    private func record(_ actor: String, _ event: String, _ detail: [String: Any] = [:]) throws -> AuditRecord {
        try AuditRecord(actor: actor, event: event, detail: detail)
    }

    private func settledForm(_ n: Int) -> Data {
        Data(#"{"n":\#(n),"personnummer":"\#(QueueFixture.personnummer)","source":"verified"}"#.utf8)
    }

    func testSettlingIsExactlyOnceAndAudited() throws {
        try eachVerificationBackend { kind, store, clock in
            let id = try store.insert(QueueFixture.item(1, queue: .verification)).id
            XCTAssertEqual(try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")?.id, id, kind)
            try store.record(id, record("anna", "disagreement", ["field": "personnummer"]))
            clock.advance(5)
            let first = try store.settle(id, application: settledForm(1), record("anna", "settled", ["keystrokes": 14]))
            guard case .settled(let application) = first else { return XCTFail("\(kind): \(first)") }
            // A double submit or a reload: the same application, nothing new written.
            XCTAssertEqual(try store.settle(id, application: settledForm(1), record("anna", "settled")),
                           .alreadySettled(application: application), kind)
            let item = try store.show(id)
            XCTAssertEqual(item.status, .successful, kind)
            XCTAssertEqual(item.worker, "anna", kind)
            XCTAssertEqual(try store.list(queue: .applications, status: nil, limit: 10).map(\.id), [application], kind)
            let settled = try store.show(application)
            XCTAssertEqual(settled.reference, item.reference, kind)
            XCTAssertEqual(try settled.content()["source"] as? String, "verified", kind)
            // The same scan read again is still one item: insert looks in every queue.
            XCTAssertEqual(try store.insert(QueueFixture.item(1, queue: .verification)), .alreadyQueued(id), kind)

            let trail = try store.audit(id)
            XCTAssertEqual(trail.map(\.event), ["disagreement", "settled"], kind)
            XCTAssertEqual(trail.map(\.actor), ["anna", "anna"], kind)
            XCTAssertEqual(trail.last?.at, clock.now, kind)
            XCTAssertEqual(try trail.last?.details()["keystrokes"] as? Int, 14, kind)
            XCTAssertEqual(QueueFixture.code { try store.audit(99) }, "queue_item_not_found", kind)
        }
    }

    func testOnlyTheLeaseHolderChangesAnItem() throws {
        try eachVerificationBackend { kind, store, _ in
            let id = try store.insert(QueueFixture.item(1, queue: .verification)).id
            XCTAssertEqual(QueueFixture.code { try store.settle(id, application: self.settledForm(1), self.record("anna", "settled")) },
                           "queue_item_not_held", kind)
            _ = try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")
            for attempt in [{ _ = try store.settle(id, application: self.settledForm(1), self.record("bo", "settled")) },
                            { _ = try store.renew(id, worker: "bo", leaseSeconds: 60) },
                            { _ = try store.release(id, self.record("bo", "skipped")) },
                            { _ = try store.returnToApplicant(id, reason: "no_signature", self.record("bo", "returned")) },
                            { try store.record(id, self.record("bo", "keyed")) }] {
                XCTAssertEqual(QueueFixture.code(attempt), "queue_item_not_held", kind)
            }
            XCTAssertEqual(try store.list(queue: .applications, status: nil, limit: 10).count, 0, kind)
            XCTAssertEqual(try store.audit(id).count, 0, kind)
            // A robot's item is not for the station.
            let robots = try store.insert(QueueFixture.item(2)).id
            _ = try store.next(queue: .applications, leaseSeconds: 60, worker: "anna")
            XCTAssertEqual(QueueFixture.code { _ = try store.renew(robots, worker: "anna", leaseSeconds: 60) },
                           "queue_invalid_transition", kind)
        }
    }

    func testRenewReleaseAndExpiry() throws {
        try eachVerificationBackend { kind, store, clock in
            let id = try store.insert(QueueFixture.item(1, queue: .verification)).id
            _ = try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")
            clock.advance(50)
            XCTAssertEqual(try store.renew(id, worker: "anna", leaseSeconds: 60).leaseExpiresAt, clock.now + 60, kind)
            clock.advance(50)
            XCTAssertEqual(try store.show(id).status, .inProgress, kind)

            // Skip: back to New for anyone, no retry counted, and `skipping` keeps it from this clerk.
            let released = try store.release(id, record("anna", "skipped"))
            XCTAssertEqual(released.status, .new, kind)
            XCTAssertNil(released.worker, kind)
            XCTAssertEqual(released.retryCount, 0, kind)
            XCTAssertNil(try store.next(queue: .verification, leaseSeconds: 60, worker: "anna", skipping: [id]), kind)
            XCTAssertEqual(try store.next(queue: .verification, leaseSeconds: 60, worker: "bo")?.id, id, kind)

            // A clerk who walks away: the lease runs out and the item is New again, not Abandoned.
            clock.advance(61)
            let expired = try store.show(id)
            XCTAssertEqual(expired.status, .new, kind)
            XCTAssertNil(expired.worker, kind)
            XCTAssertEqual(QueueFixture.code { _ = try store.renew(id, worker: "bo", leaseSeconds: 60) }, "queue_item_not_held", kind)
            XCTAssertEqual(try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")?.id, id, kind)
            XCTAssertEqual(try store.audit(id).map(\.event), ["skipped"], kind)
        }
    }

    func testASecondOperatorIsAnotherPerson() throws {
        try eachVerificationBackend { kind, store, _ in
            let id = try store.insert(QueueFixture.item(1, queue: .verification)).id
            _ = try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")
            let handed = try store.handToAnotherOperator(id, record("anna", "second_operator", ["keyed": ["191212121213"]]))
            XCTAssertEqual(handed.status, .new, kind)
            XCTAssertEqual(handed.notFor, "anna", kind)
            XCTAssertNil(try store.next(queue: .verification, leaseSeconds: 60, worker: "anna"), kind)
            XCTAssertEqual(try store.next(queue: .verification, leaseSeconds: 60, worker: "bo")?.id, id, kind)
            XCTAssertEqual(try store.show(id).notFor, "anna", kind)
            XCTAssertEqual(try store.settle(id, application: settledForm(1), record("bo", "settled")), .settled(application: 2), kind)
        }
    }

    func testReturnedToTheApplicant() throws {
        try eachVerificationBackend { kind, store, _ in
            let id = try store.insert(QueueFixture.item(1, queue: .verification)).id
            _ = try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")
            let returned = try store.returnToApplicant(id, reason: "no_signature", record("anna", "returned"))
            XCTAssertEqual(returned.status, .returned, kind)
            XCTAssertNil(returned.leaseExpiresAt, kind)
            XCTAssertEqual(try returned.output.map { try JSONSerialization.jsonObject(with: $0) as? [String: Any] }??["returned_reason"] as? String,
                           "no_signature", kind)
            // Pressed twice: still one decision; and it is final.
            XCTAssertEqual(try store.returnToApplicant(id, reason: "no_signature", record("anna", "returned")), returned, kind)
            XCTAssertEqual(try store.counts()[.verification, .returned], 1, kind)
            XCTAssertEqual(QueueFixture.code { try store.settle(id, application: self.settledForm(1), self.record("anna", "settled")) },
                           "queue_item_not_held", kind)
            XCTAssertEqual(try store.list(queue: nil, status: .returned, limit: 10).map(\.id), [id], kind)
            XCTAssertTrue(try store.export(queue: .verification, format: .jsonl).contains(#""status":"Returned""#), kind)
            XCTAssertEqual(try store.audit(id).map(\.event), ["returned"], kind)
        }
    }

    func testAuditRecordsAreChecked() throws {
        XCTAssertEqual(QueueFixture.code { try AuditRecord(actor: "anna", event: "Settled!", detail: [:]) }, "queue_invalid_argument")
        XCTAssertEqual(QueueFixture.code { try AuditRecord(actor: "", event: "settled", detail: [:]) }, "queue_invalid_argument")
    }

    /// A queue file of schema 1, from before the station, opens and keeps its items.
    func testAVersionOneFileIsMigrated() throws {
        let folder = try temporaryDirectory()
        let path = "\(folder)/old.sqlite"
        let script = """
            CREATE TABLE queue_items (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL CHECK (queue IN ('applications', 'verification')),
              reference TEXT NOT NULL UNIQUE, priority INTEGER NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('New', 'InProgress', 'Successful', 'Failed', 'Abandoned')),
              specific_content TEXT NOT NULL, output TEXT, created_at TEXT NOT NULL, defer_date TEXT, due_date TEXT,
              retry_count INTEGER NOT NULL DEFAULT 0, last_error TEXT, worker TEXT, lease_expires_at TEXT,
              CHECK ((status = 'InProgress') = (lease_expires_at IS NOT NULL)));
            CREATE INDEX queue_items_claim ON queue_items (queue, status, priority DESC, created_at, id);
            CREATE INDEX queue_items_lease ON queue_items (status, lease_expires_at);
            CREATE TABLE queue_attachments (item_id INTEGER NOT NULL REFERENCES queue_items (id), name TEXT NOT NULL,
              png BLOB NOT NULL, PRIMARY KEY (item_id, name));
            INSERT INTO queue_items (queue, reference, priority, status, specific_content, created_at)
              VALUES ('verification', '\(QueueFixture.reference(1).sha256)', 0, 'New', '{"n":1}', '2025-11-20T08:00:00.000Z');
            INSERT INTO queue_attachments VALUES (1, 'personnummer', x'89504E470D0A1A0A');
            PRAGMA user_version = 1;
            """
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.close()", path, script]
        try sqlite.run()
        sqlite.waitUntilExit()
        XCTAssertEqual(sqlite.terminationStatus, 0)

        let store = try SQLiteStore(path: path)
        XCTAssertEqual(try store.show(1).reference, QueueFixture.reference(1))
        XCTAssertEqual(try store.attachments(1)["personnummer"]?.count, 8)
        _ = try store.next(queue: .verification, leaseSeconds: 60, worker: "anna")
        XCTAssertEqual(try store.settle(1, application: settledForm(1), record("anna", "settled")), .settled(application: 2))
        XCTAssertEqual(try store.insert(QueueFixture.item(1)), .alreadyQueued(1))
    }
}
