// The commands that only look open the store read-only: a store that does not exist is an error
// and is not created (a mistyped path used to report an empty queue), and nothing is written.
// An operator can put an Abandoned or Failed item back with retry. A relative outbox path that
// does not exist yet is created, not recursed on.
import BlankettSupport
import Foundation
import PostgresQueue
import QueueStores
import WorkQueue
import XCTest

final class ReadOnlyAndRetryTests: XCTestCase {
    let readOnly = QueueOptions(readOnly: true)

    func testAMissingStoreIsAnErrorAndIsNotCreated() throws {
        let folder = try temporaryDirectory()
        for url in ["sqlite:\(folder)/missing.sqlite", "outbox:\(folder)/missing", "outbox:\(folder)/a/b/c"] {
            XCTAssertEqual(QueueFixture.code { try StoreURL(url).open(options: self.readOnly).counts() }, "store_not_found", url)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [], "a read-only open created something")
    }

    func testAFileThatIsNotAQueueIsRefused() throws {
        let folder = try temporaryDirectory()
        FileManager.default.createFile(atPath: "\(folder)/empty.sqlite", contents: Data())
        XCTAssertEqual(QueueFixture.code { try StoreURL("sqlite:\(folder)/empty.sqlite").open(options: self.readOnly) },
                       "store_not_found")
    }

    func testReadOnlyStoresSeeTheItemsAndWriteNothing() throws {
        try eachBackend { kind, store, clock in
            _ = try store.insert(try QueueFixture.item(1))
            _ = try store.insert(try QueueFixture.item(2, queue: .verification))
            _ = try XCTUnwrap(try store.next(queue: .applications, leaseSeconds: 10, worker: "robot"))
            let url: StoreURL
            switch store {
            case let sqlite as SQLiteStore: url = .sqlite(path: sqlite.path)
            case let outbox as OutboxStore: url = .outbox(directory: outbox.directory)
            default: url = .postgres(try XCTUnwrap(store as? PostgresStore).address)
            }
            let options = QueueOptions(clock: { clock.now.addingTimeInterval(3600) }, readOnly: true)
            let looking = try url.open(options: options)
            XCTAssertEqual(try looking.list(queue: nil, status: nil, limit: 10).map(\.id), [1, 2], kind)
            XCTAssertEqual(try looking.counts()[.verification, .new], 1, kind)
            XCTAssertEqual(try looking.show(1).status, .inProgress, "\(kind): a read-only look turned a lease Abandoned")
            XCTAssertNotNil(QueueFixture.code { try looking.insert(try QueueFixture.item(3)) }, "\(kind): a read-only store took an insert")
            XCTAssertEqual(try store.list(queue: nil, status: nil, limit: 10).count, 2, kind)
        }
    }

    func testRetryPutsAbandonedAndFailedItemsBack() throws {
        try eachBackend(maxRetries: 0) { kind, store, clock in
            _ = try store.insert(try QueueFixture.item(1))
            _ = try store.insert(try QueueFixture.item(2))
            let first = try XCTUnwrap(try store.next(queue: .applications, leaseSeconds: 10, worker: "robot"))
            clock.advance(11)
            XCTAssertEqual(try store.show(first.id).status, .abandoned, kind)
            let back = try store.retry(first.id)
            XCTAssertEqual(back.status, .new, kind)
            XCTAssertNil(back.worker, kind)
            XCTAssertEqual(try store.show(first.id).status, .new, kind)

            let second = try XCTUnwrap(try store.next(queue: .applications, leaseSeconds: 10, worker: "robot"))
            XCTAssertEqual(QueueFixture.code { try store.retry(second.id) }, "queue_invalid_transition", "\(kind): InProgress")
            XCTAssertEqual(try store.fail(second.id, error: "robot crashed").status, .failed, kind)
            XCTAssertEqual(try store.retry(second.id).status, .new, kind)
            XCTAssertEqual(QueueFixture.code { try store.retry(second.id) }, "queue_invalid_transition", "\(kind): New")
            XCTAssertEqual(QueueFixture.code { try store.retry(99) }, "queue_item_not_found", kind)
            XCTAssertNotNil(try store.next(queue: .applications, leaseSeconds: 10, worker: "robot"), "\(kind): not claimable again")
        }
    }

    func testARelativeOutboxPathIsCreated() throws {
        let folder = try temporaryDirectory()
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        for relative in ["nx", "./nx2", "a/b/nx3"] {
            let store = try StoreURL("outbox:" + relative).open()
            XCTAssertEqual(try store.counts()[.applications, .new], 0, relative)
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(relative)/applications/claimed"), relative)
        }
    }
}
