// The folder backend as a robot sees it: one complete file per item named after the reference,
// nothing half-written or temporary left in sight, owner-only modes, and claims by rename that
// stay exclusive against other Blankett processes and against robots that only rename.
import BlankettSupport
import Foundation
import WorkQueue
import XCTest

final class OutboxStoreTests: XCTestCase {
    func contents(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func testFilesAreCompleteNamedByReferenceAndPrivate() throws {
        let root = try temporaryDirectory() + "/outbox"
        let clock = ManualClock()
        let store = try OutboxStore(directory: root, options: QueueOptions(clock: { clock.now }))
        let id = try store.insert(QueueFixture.item(1, queue: .verification), attachments: ["personnummer": QueueFixture.png]).id
        _ = try store.insert(QueueFixture.item(2))

        let reference = QueueFixture.reference(1).sha256
        // Only finished files and the state folders: no temporary names left behind.
        XCTAssertEqual(try contents(root + "/verification"),
                       ["\(reference).json", "abandoned", "attachments", "claimed", "failed", "returned", "successful"])
        XCTAssertEqual(try contents(root + "/verification/attachments/\(reference)"), ["personnummer.png"])
        XCTAssertEqual(try contents(root).filter { !$0.hasPrefix(".") }, ["applications", "verification"])
        XCTAssertFalse(try contents(root).contains { $0.contains(".tmp") })
        let file = "\(root)/verification/\(reference).json"
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let folderMode = try FileManager.default.attributesOfItem(atPath: root + "/verification")[.posixPermissions]
        XCTAssertEqual((folderMode as? NSNumber)?.intValue, 0o700)

        // The file is the JSONL export line, personnummer inside (the queue's job), not in its name.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertEqual(text, try store.export(queue: .verification, format: .jsonl))
        XCTAssertTrue(text.contains(QueueFixture.personnummer))
        XCTAssertFalse(try FileManager.default.subpathsOfDirectory(atPath: root).contains { $0.contains(QueueFixture.personnummer) })
        XCTAssertEqual(try store.show(id).reference.sha256, reference)
    }

    func testClaimRenamesIntoClaimedAndRetryRenamesBack() throws {
        let root = try temporaryDirectory() + "/outbox"
        let clock = ManualClock()
        let store = try OutboxStore(directory: root, options: QueueOptions(clock: { clock.now }))
        _ = try store.insert(QueueFixture.item(1))
        let reference = QueueFixture.reference(1).sha256
        let claimed = try XCTUnwrap(try store.next(queue: .applications, leaseSeconds: 60, worker: "robot-1"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(root)/applications/\(reference).json"))
        let text = try String(contentsOfFile: "\(root)/applications/claimed/\(reference).json", encoding: .utf8)
        XCTAssertTrue(text.contains(#""status":"InProgress""#))
        XCTAssertTrue(text.contains(#""worker":"robot-1""#))
        XCTAssertTrue(text.contains(#""lease_expires_at":"2025-11-20T08:01:00.000Z""#))
        XCTAssertEqual(claimed.leaseExpiresAt, clock.now + 60)

        _ = try store.fail(1, error: "portal down")
        let back = try String(contentsOfFile: "\(root)/applications/\(reference).json", encoding: .utf8)
        XCTAssertTrue(back.contains(#""status":"New""#) && back.contains(#""retry_count":1"#))
        XCTAssertEqual(try contents(root + "/applications/claimed"), [])
    }

    /// A robot of another make claims by a plain rename; Blankett then sees the item InProgress,
    /// without a lease (so never expired), and skips it.
    func testPlainRenameIsAClaimToo() throws {
        let root = try temporaryDirectory() + "/outbox"
        let clock = ManualClock()
        let store = try OutboxStore(directory: root, options: QueueOptions(clock: { clock.now }))
        _ = try store.insert(QueueFixture.item(1))
        _ = try store.insert(QueueFixture.item(2))
        let name = QueueFixture.reference(1).sha256 + ".json"
        XCTAssertEqual(rename("\(root)/applications/\(name)", "\(root)/applications/claimed/\(name)"), 0)
        XCTAssertEqual(try store.next(queue: .applications, leaseSeconds: 60, worker: "blankett")?.id, 2)
        clock.advance(86_400)
        XCTAssertEqual(try store.show(1).status, .inProgress)
        XCTAssertNil(try store.show(1).leaseExpiresAt)
        XCTAssertEqual(try store.show(2).status, .abandoned)
        XCTAssertEqual(try store.complete(1).status, .successful)
    }

    /// Two Blankett stores on one folder (flock and rename) and a plain-renaming robot, all at once.
    func testConcurrentClaimsNeverShareAnItem() throws {
        let root = try temporaryDirectory() + "/outbox"
        let stores = [try OutboxStore(directory: root), try OutboxStore(directory: root)]
        for n in 0..<120 { _ = try stores[n % 2].insert(QueueFixture.item(n)) }
        let log = ClaimLog()
        let renamed = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            do {
                if worker == 2 {
                    // The other robot: rename whatever it sees; a failed rename means someone was first.
                    let folder = "\(root)/applications"
                    while case let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".json") && !$0.hasPrefix(".") }),
                          !names.isEmpty {
                        for name in names where rename("\(folder)/\(name)", "\(folder)/claimed/\(name)") == 0 {
                            let text = try String(contentsOfFile: "\(folder)/claimed/\(name)", encoding: .utf8)
                            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                            renamed.add((object?["id"] as? NSNumber)?.int64Value ?? -1)
                        }
                    }
                } else {
                    while let item = try stores[worker].next(queue: .applications, leaseSeconds: 600, worker: "robot-\(worker)") {
                        log.add(item.id)
                    }
                }
            } catch {
                log.add(error)
            }
        }
        XCTAssertEqual(log.errors, [])
        XCTAssertEqual((log.ids + renamed.ids).count, 120)
        XCTAssertEqual(Set(log.ids + renamed.ids), Set(1...120))
        XCTAssertEqual(try stores[0].counts()[.applications, .inProgress], 120)
        XCTAssertEqual(try contents(root + "/applications/claimed").filter { $0.hasPrefix(".") }, [])
    }
}
