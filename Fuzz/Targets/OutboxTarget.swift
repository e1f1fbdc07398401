// The outbox folder as robots and crashed processes may leave it: any files, folders and names in
// it. The input is one entry per line, `relative/path<TAB>content` (a path ending in / is a
// folder); every entry is made a few minutes old, so left-over temporaries count as stale. Then the
// store does what the daemon and robots do with it, and each step must succeed or refuse with a
// typed error; an item it claims must read back as written.
import BlankettSupport
import Foundation
import WorkQueue

public enum OutboxTarget {
    public static func run(_ bytes: [UInt8]) throws {
        let directory = try Scratch.emptyFolder("outbox")
        for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
            let parts = line.split(separator: 9, maxSplits: 1, omittingEmptySubsequences: false)
            guard let path = relativePath(parts[0]) else { continue }
            try place("\(directory)/\(path)", folder: parts[0].last == 47, content: parts.count > 1 ? Array(parts[1]) : [])
        }
        try exercise(directory, output: nil)
    }

    /// Init, recovery, counts, list, claim (read back), complete or fail, insert, lease expiry, export.
    static func exercise(_ directory: String, output: Data?) throws {
        guard let store = try unlessRefused("OutboxStore.init", { try OutboxStore(directory: directory) }) else { return }
        _ = try unlessRefused("recoverInterruptedWrites") { try store.recoverInterruptedWrites() }
        _ = try unlessRefused("counts") { try store.counts() }
        _ = try unlessRefused("list") { try store.list(queue: nil, status: nil, limit: 1_000) }
        for queue in QueueName.allCases {
            guard let claimed = try unlessRefused("next", { try store.next(queue: queue, leaseSeconds: 60, worker: "fuzz") }) ?? nil
            else { continue }
            if let shown = try unlessRefused("show", { try store.show(claimed.id) }), shown != claimed {
                throw FuzzFailure("claimed \(claimed), read back \(shown): the rewritten file does not hold what was written")
            }
            _ = try unlessRefused("complete/fail") {
                queue == .applications ? try store.complete(claimed.id, output: output)
                                       : try store.fail(claimed.id, error: "fuzz", kind: .business)
            }
        }
        _ = try unlessRefused("insert") {
            try store.insert(try NewQueueItem(queue: .verification, reference: try QueueReference(sha256: reference),
                                              content: ["fuzz": 1]),
                             attachments: ["datum": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]])
        }
        _ = try unlessRefused("expireLeases") { try store.expireLeases(now: Date(timeIntervalSinceNow: 3_600)) }
        _ = try unlessRefused("export") { try store.export(queue: nil, format: .jsonl) }
    }

    /// The reference of the item `exercise` inserts, which an input may already hold.
    static let reference = String(repeating: "ab", count: 32)

    /// Up to four components of letters, digits, '.', '-' and '_', none of them "." or "..": the
    /// fuzzer plays inside the outbox, not with the rest of the file system.
    private static func relativePath(_ raw: ArraySlice<UInt8>) -> String? {
        let allowed = { (b: UInt8) in (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == 46 || b == 45 || b == 95 }
        let components = raw.split(separator: 47)
        guard (1...4).contains(components.count),
              components.allSatisfy({ $0.allSatisfy(allowed) && $0.count <= 80 && $0 != [46] && $0 != [46, 46] }) else { return nil }
        return components.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }

    private static func place(_ path: String, folder: Bool, content: [UInt8]) throws {
        let manager = FileManager.default
        try? manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if folder { try? manager.createDirectory(atPath: path, withIntermediateDirectories: true) }
        else { _ = manager.createFile(atPath: path, contents: Data(content)) }
        let old = Date(timeIntervalSinceNow: -2 * DurableFile.staleAfter)
        try? manager.setAttributes([.modificationDate: old], ofItemAtPath: path)
    }
}
