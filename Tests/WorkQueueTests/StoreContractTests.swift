// The queue protocol's semantics, run against every backend (SQLite, outbox, PostgreSQL): idempotent insert, the state
// machine with its retry limit, leases, claim order, defer dates, attachments, counts.
import BlankettSupport
import Foundation
import WorkQueue
import XCTest

final class StoreContractTests: XCTestCase {
    func testInsertIsIdempotentOnTheReference() throws {
        try eachBackend { kind, store, clock in
            let first = try store.insert(QueueFixture.item(1))
            XCTAssertEqual(first, .queued(1), kind)
            let otherContent = try NewQueueItem(queue: .verification, reference: QueueFixture.reference(1), content: [:])
            XCTAssertEqual(try store.insert(otherContent), .alreadyQueued(1), kind)
            XCTAssertEqual(try store.insert(QueueFixture.item(2)), .queued(2), kind)

            let item = try store.show(1)
            XCTAssertEqual(item.queue, .applications, kind)
            XCTAssertEqual(item.status, .new, kind)
            XCTAssertEqual(item.reference, QueueFixture.reference(1), kind)
            XCTAssertEqual(item.createdAt, clock.now, kind)
            XCTAssertEqual(item.retryCount, 0, kind)
            XCTAssertNil(item.leaseExpiresAt, kind)
            XCTAssertEqual(try item.content()["personnummer"] as? String, QueueFixture.personnummer, kind)
            XCTAssertEqual(String(decoding: item.specificContent, as: UTF8.self),
                           #"{"confidence":0.97,"form":"PM 7001","n":1,"personnummer":"191212121212","source_file":"scan1.png"}"#, kind)
            XCTAssertEqual(try store.list(queue: nil, status: nil, limit: 10).map(\.id), [1, 2], kind)
            XCTAssertEqual(QueueFixture.code { try store.show(99) }, "queue_item_not_found", kind)
        }
    }

    func testTransitionsAndRetryLimit() throws {
        try eachBackend(maxRetries: 2) { kind, store, _ in
            _ = try store.insert(QueueFixture.item(1))
            XCTAssertEqual(QueueFixture.code { try store.complete(1) }, "queue_invalid_transition", kind)

            // Two application failures go back to New, counting; the third stays Failed.
            for attempt in 1...2 {
                XCTAssertEqual(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-1")?.id, 1, kind)
                let retried = try store.fail(1, error: "portal timeout \(attempt)")
                XCTAssertEqual(retried.status, .new, kind)
                XCTAssertEqual(retried.retryCount, attempt, kind)
                XCTAssertEqual(retried.lastError, "portal timeout \(attempt)", kind)
                XCTAssertNil(retried.worker, kind)
            }
            _ = try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-1")
            let failed = try store.fail(1, error: "portal timeout 3")
            XCTAssertEqual(failed.status, .failed, kind)
            XCTAssertEqual(failed.retryCount, 2, kind)
            XCTAssertEqual(try store.show(1), failed, kind)
            XCTAssertNil(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-1"), kind)
            XCTAssertEqual(QueueFixture.code { try store.fail(1, error: "again") }, "queue_invalid_transition", kind)

            // A business failure is never retried; a success keeps the robot's output.
            _ = try store.insert(QueueFixture.item(2))
            _ = try store.insert(QueueFixture.item(3))
            XCTAssertEqual(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-2")?.id, 2, kind)
            XCTAssertEqual(try store.fail(2, error: "not a PM 7001", kind: .business).status, .failed, kind)
            let claimed = try XCTUnwrap(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-2"), kind)
            XCTAssertEqual(claimed.status, .inProgress, kind)
            XCTAssertEqual(claimed.worker, "robot-2", kind)
            let done = try store.complete(3, output: Data(#"{ "case": "A-17" }"#.utf8))
            XCTAssertEqual(done.status, .successful, kind)
            XCTAssertEqual(done.worker, "robot-2", kind)
            XCTAssertEqual(try store.show(3).output, Data(#"{"case":"A-17"}"#.utf8), kind)
            XCTAssertEqual(QueueFixture.code { try store.complete(3) }, "queue_invalid_transition", kind)
            XCTAssertEqual(QueueFixture.code { try store.complete(42) }, "queue_item_not_found", kind)
            XCTAssertEqual(QueueFixture.code { try store.complete(3, output: Data("[1]".utf8)) }, "queue_invalid_item", kind)
        }
    }

    func testExpiredLeaseAbandonsTheItem() throws {
        try eachBackend { kind, store, clock in
            _ = try store.insert(QueueFixture.item(1))
            _ = try store.insert(QueueFixture.item(2))
            let claimed = try XCTUnwrap(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-1"), kind)
            XCTAssertEqual(claimed.leaseExpiresAt, clock.now + 60, kind)

            clock.advance(59)
            XCTAssertEqual(try store.list(queue: .applications, status: .inProgress, limit: 10).map(\.id), [1], kind)
            clock.advance(1)  // the lease ends now: checked lazily by list
            let abandoned = try store.list(queue: .applications, status: .abandoned, limit: 10)
            XCTAssertEqual(abandoned.map(\.id), [1], kind)
            XCTAssertNil(abandoned.first?.leaseExpiresAt, kind)
            XCTAssertNotNil(abandoned.first?.lastError, kind)
            XCTAssertEqual(QueueFixture.code { try store.complete(1) }, "queue_invalid_transition", kind)
            // Abandoned is final: the next claim gets the other item.
            XCTAssertEqual(try store.next(queue: .applications, leaseSeconds: 30, worker: "robot-2")?.id, 2, kind)

            // expireLeases takes its own time; a late complete finds the item Abandoned.
            XCTAssertEqual(try store.expireLeases(now: clock.now + 29), 0, kind)
            XCTAssertEqual(try store.expireLeases(now: clock.now + 30), 1, kind)
            XCTAssertEqual(try store.show(2).status, .abandoned, kind)
            XCTAssertEqual(QueueFixture.code { try store.fail(2, error: "late") }, "queue_invalid_transition", kind)
        }
    }

    func testClaimOrderIsPriorityThenAge() throws {
        try eachBackend { kind, store, clock in
            // (number, priority) inserted a second apart.
            for (n, priority) in [(1, 0), (2, 5), (3, 0), (4, 5), (5, -1)] {
                _ = try store.insert(QueueFixture.item(n, priority: priority))
                clock.advance(1)
            }
            _ = try store.insert(QueueFixture.item(6, queue: .verification, priority: 9))
            var order: [Int64] = []
            while let item = try store.next(queue: .applications, leaseSeconds: 600, worker: "robot") { order.append(item.id) }
            XCTAssertEqual(order, [2, 4, 1, 3, 5], kind)
            XCTAssertEqual(try store.next(queue: .verification, leaseSeconds: 600, worker: "person")?.id, 6, kind)
        }
    }

    func testDeferredItemWaitsForItsDate() throws {
        try eachBackend { kind, store, clock in
            _ = try store.insert(QueueFixture.item(1, priority: 9, deferDate: clock.now + 3_600))
            _ = try store.insert(QueueFixture.item(2))
            XCTAssertEqual(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot")?.id, 2, kind)
            XCTAssertNil(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot"), kind)
            clock.advance(3_600)
            XCTAssertEqual(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot")?.id, 1, kind)
        }
    }

    func testAttachmentsTravelWithTheItem() throws {
        try eachBackend { kind, store, _ in
            let crops = ["personnummer": QueueFixture.png, "phone": QueueFixture.png + [9]]
            let id = try store.insert(QueueFixture.item(1, queue: .verification), attachments: crops).id
            XCTAssertEqual(try store.attachments(id), crops, kind)

            // A duplicate insert writes nothing, attachments included.
            _ = try store.insert(QueueFixture.item(1, queue: .verification), attachments: ["date": QueueFixture.png])
            XCTAssertEqual(try store.attachments(id).keys.sorted(), ["personnummer", "phone"], kind)

            try store.attach(id, name: "phone", png: QueueFixture.png + [7])
            XCTAssertEqual(try store.attachments(id)["phone"], QueueFixture.png + [7], kind)
            XCTAssertEqual(QueueFixture.code { try store.attach(id, name: "../x", png: QueueFixture.png) }, "queue_invalid_attachment", kind)
            XCTAssertEqual(QueueFixture.code { try store.attach(id, name: "date", png: [1, 2, 3]) }, "queue_invalid_attachment", kind)
            XCTAssertEqual(QueueFixture.code { try store.attachments(99) }, "queue_item_not_found", kind)

            // A bad attachment rejects the whole insert: no item without its crops.
            XCTAssertEqual(QueueFixture.code { try store.insert(QueueFixture.item(2), attachments: ["date": [0]]) },
                           "queue_invalid_attachment", kind)
            XCTAssertEqual(try store.list(queue: nil, status: nil, limit: 10).count, 1, kind)
        }
    }

    func testCountsAndArguments() throws {
        try eachBackend { kind, store, _ in
            for n in 1...3 { _ = try store.insert(QueueFixture.item(n)) }
            _ = try store.insert(QueueFixture.item(4, queue: .verification))
            _ = try store.next(queue: .applications, leaseSeconds: 60, worker: "robot")
            _ = try store.complete(1)
            _ = try store.next(queue: .applications, leaseSeconds: 60, worker: "robot")
            let counts = try store.counts()
            XCTAssertEqual(counts[.applications, .new], 1, kind)
            XCTAssertEqual(counts[.applications, .inProgress], 1, kind)
            XCTAssertEqual(counts[.applications, .successful], 1, kind)
            XCTAssertEqual(counts[.verification, .new], 1, kind)
            XCTAssertEqual(counts.description,
                           "applications New=1 InProgress=1 Successful=1 Failed=0 Abandoned=0 Returned=0; "
                               + "verification New=1 InProgress=0 Successful=0 Failed=0 Abandoned=0 Returned=0", kind)
            XCTAssertEqual(try store.list(queue: .applications, status: nil, limit: 2).map(\.id), [1, 2], kind)
            XCTAssertEqual(QueueFixture.code { try store.next(queue: .applications, leaseSeconds: 0, worker: "robot") },
                           "queue_invalid_argument", kind)
            XCTAssertEqual(QueueFixture.code { try store.next(queue: .applications, leaseSeconds: 60, worker: "") },
                           "queue_invalid_argument", kind)
            XCTAssertEqual(QueueFixture.code { try store.list(queue: nil, status: nil, limit: -1) }, "queue_invalid_argument", kind)
        }
    }
}
