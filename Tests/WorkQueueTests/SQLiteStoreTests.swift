// What only the SQLite backend promises: owner-only files, the schema version in the file
// header, WAL mode, typed errors for files that are not queues, and claims that stay exclusive
// across connections.
import BlankettSupport
import Foundation
import WorkQueue
import XCTest

final class SQLiteStoreTests: XCTestCase {
    func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testFilesAreOwnerOnlyWhateverTheUmask() throws {
        let path = try temporaryDirectory() + "/queue.sqlite"
        // With umask 0 SQLite alone would create 0644 files; the store must not rely on the umask.
        let saved = umask(0)
        defer { umask(saved) }
        let store = try SQLiteStore(path: path)
        _ = try store.insert(QueueFixture.item(1))
        for file in [path, path + "-wal", path + "-shm"] {
            XCTAssertEqual(try mode(file), 0o600, file)
        }
    }

    /// Two daemons started together open a new queue file at once; converting it to WAL does not
    /// wait on SQLite's busy handler, so the store must wait for it itself.
    func testManyConnectionsOpeningANewFileAtOnceAllSucceed() throws {
        let dir = try temporaryDirectory()
        for round in 0..<10 {
            let path = "\(dir)/queue-\(round).sqlite"
            let failures = NSLock()
            nonisolated(unsafe) var errors: [String] = []
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do { _ = try SQLiteStore(path: path).counts() } catch {
                    failures.withLock { errors.append("\(error)") }
                }
            }
            XCTAssertEqual(errors, [], "round \(round)")
        }
    }

    func testSchemaVersionAndWALAreInTheFileHeader() throws {
        let path = try temporaryDirectory() + "/queue.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            _ = try store.insert(QueueFixture.item(1))
        }  // the last connection closes: the WAL is checkpointed into the file
        var header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(100))
        XCTAssertEqual(Array(header[0..<16]), Array("SQLite format 3\0".utf8))
        XCTAssertEqual(header[18], 2, "file format write version 2 means WAL")
        XCTAssertEqual(header[60..<64].reduce(0) { $0 << 8 | Int($1) }, SQLiteStore.schemaVersion)
        XCTAssertEqual(SQLiteStore.schemaVersion, 2)

        // Reopening keeps the items; a file from a newer schema is refused, not misread.
        XCTAssertEqual(try SQLiteStore(path: path).show(1).reference, QueueFixture.reference(1))
        header[63] = 99
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(header))
        try handle.close()
        XCTAssertEqual(QueueFixture.code { try SQLiteStore(path: path) }, "store_schema_too_new")
    }

    func testFilesThatAreNotQueuesFailWithTypedErrors() throws {
        let folder = try temporaryDirectory()
        let garbage = folder + "/garbage.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
        XCTAssertEqual(QueueFixture.code { try SQLiteStore(path: garbage) }, "store_corrupt")
        XCTAssertEqual(QueueFixture.code { try SQLiteStore(path: folder) }, "store_unavailable")
        XCTAssertEqual(QueueFixture.code { try SQLiteStore(path: folder + "/missing/queue.sqlite") }, "store_unavailable")
    }

    /// Four threads on two connections: the in-process lock serialises each connection, and
    /// between the connections only SQLite's file locking keeps two claims apart.
    func testTwoConnectionsNeverClaimTheSameItem() throws {
        let path = try temporaryDirectory() + "/queue.sqlite"
        let stores = [try SQLiteStore(path: path), try SQLiteStore(path: path)]
        for n in 0..<400 { _ = try stores[n % 2].insert(QueueFixture.item(n)) }
        let log = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                while let item = try stores[worker % 2].next(queue: .applications, leaseSeconds: 600, worker: "robot-\(worker)") {
                    log.add(item.id)
                }
            } catch {
                log.add(error)
            }
        }
        XCTAssertEqual(log.errors, [])
        XCTAssertEqual(log.ids.count, 400)
        XCTAssertEqual(Set(log.ids), Set(1...400))
        XCTAssertEqual(try stores[1].counts()[.applications, .inProgress], 400)
    }
}
