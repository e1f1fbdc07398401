// What a Blankett process killed in the middle of an outbox write leaves, and how the next daemon
// start puts it right: the one temporary that holds the only copy of something (an item rewritten
// after its move) is put in place, every other stale one is removed, fresh ones are left alone.
import BlankettSupport
import Foundation
import WorkQueue
import XCTest

final class OutboxRecoveryTests: XCTestCase {
    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func backdate(_ path: String, by seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: path)
    }

    /// `bytes` where `DurableFile.writeAtomically` had them when it was killed before its rename, `age` s ago.
    func leaveTemporary(_ bytes: Data, for target: String, age: TimeInterval) throws -> String {
        let path = "\((target as NSString).deletingLastPathComponent)/.\((target as NSString).lastPathComponent).tmp-4242-\(UInt64.random(in: 0...UInt64.max))"
        try bytes.write(to: URL(fileURLWithPath: path))
        try backdate(path, by: age)
        return path
    }

    func testOnlyTemporariesOfWriteAtomicallyUntouchedForAMinuteAreStale() throws {
        let folder = try temporaryDirectory()
        for name in [".lock", ".sequence", "a.json.tmp-1-2", ".b.json.tmp-1", ".c.json.tmp-x-2", ".tmp-6F9619FF-8B86-D011", ".d.json.tmp-1-2"] {
            try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
            try backdate("\(folder)/\(name)", by: 61)
        }
        _ = try leaveTemporary(Data(), for: "\(folder)/e.json", age: 0)
        let stale = DurableFile.staleTemporaries(in: folder)
        XCTAssertEqual(stale.map(\.temporary), ["\(folder)/.d.json.tmp-1-2"])
        XCTAssertEqual(stale.map(\.target), ["\(folder)/d.json"])
    }

    /// complete() killed between moving the item into successful/ and rewriting it with the
    /// robot's output: the temporary is the only copy of the output, so it is put in place.
    func testCompleteKilledAfterItsMoveIsFinished() throws {
        let root = try temporaryDirectory() + "/outbox"
        let store = try OutboxStore(directory: root)
        _ = try store.insert(QueueFixture.item(1))
        _ = try store.next(queue: .applications, leaseSeconds: 600, worker: "robot-1")
        let name = QueueFixture.reference(1).sha256 + ".json"
        let claimed = try read("\(root)/applications/claimed/\(name)")
        let output = Data(#"{"case":"A-1"}"#.utf8)
        _ = try store.complete(1, output: output)
        let done = "\(root)/applications/successful/\(name)", completed = try read(done)
        try claimed.write(to: URL(fileURLWithPath: done))
        try backdate(done, by: 120)
        let temporary = try leaveTemporary(completed, for: done, age: 90)
        XCTAssertNil(try store.show(1).output)

        let recovery = try store.recoverInterruptedWrites()
        XCTAssertEqual([recovery.recovered, recovery.removed], [1, 0])
        XCTAssertEqual(try read(done), completed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
        XCTAssertEqual(try store.show(1).output, output)
        XCTAssertEqual(try store.show(1).status, .successful)
    }

    /// Temporaries whose content is written again by whoever retries, or that are not a whole
    /// newer item of their folder's status, are removed; a fresh one may be a live writer's.
    func testEverythingElseStaleIsRemovedAndFreshIsKept() throws {
        let root = try temporaryDirectory() + "/outbox"
        let store = try OutboxStore(directory: root)
        _ = try store.insert(QueueFixture.item(1, queue: .verification), attachments: ["personnummer": QueueFixture.png])
        _ = try store.insert(QueueFixture.item(2))
        let first = "\(root)/verification/\(QueueFixture.reference(1).sha256).json"
        let name = QueueFixture.reference(2).sha256 + ".json"
        let claimedFile = "\(root)/applications/claimed/\(name)", newFile = "\(root)/applications/\(name)"
        _ = try store.next(queue: .applications, leaseSeconds: 600, worker: "robot-1")
        let claimed = try read(claimedFile)
        _ = try store.fail(2, error: "portal down")
        let retried = try read(newFile)
        // fail() killed before moving its rewrite (status New) out of claimed/.
        try FileManager.default.removeItem(atPath: newFile)
        try claimed.write(to: URL(fileURLWithPath: claimedFile))
        try backdate(claimedFile, by: 120)

        let stale = [
            try leaveTemporary(retried, for: claimedFile, age: 90),
            try leaveTemporary(Data(QueueFixture.png), for: "\(root)/verification/attachments/\(QueueFixture.reference(1).sha256)/personnummer.png", age: 90),
            try leaveTemporary(Data("7\n".utf8), for: "\(root)/.sequence", age: 90),
            try leaveTemporary(retried, for: "\(root)/applications/\(QueueFixture.reference(3).sha256).json", age: 90),
            try leaveTemporary(try read(first).prefix(40), for: first, age: 90),
            try leaveTemporary(try read(first), for: first, age: 300),
        ]
        try backdate(first, by: 200)
        let fresh = try leaveTemporary(retried, for: claimedFile, age: 0)

        let recovery = try store.recoverInterruptedWrites()
        XCTAssertEqual([recovery.recovered, recovery.removed], [0, stale.count])
        for path in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: path), path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh))
        XCTAssertEqual(try read(claimedFile), claimed)
        XCTAssertEqual(try store.show(2).status, .inProgress)
        XCTAssertEqual(try store.attachments(1), ["personnummer": QueueFixture.png])
    }
}
