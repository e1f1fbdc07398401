// The folder backend, for robots that read files rather than a database. One JSON file per item
// (the JSONL export line), named `<reference>.json` — the scan's SHA-256, never anything from the
// personnummer — in a folder per queue and status:
//
//   DIR/<queue>/<reference>.json              New: what robots pick up
//   DIR/<queue>/claimed/<reference>.json      InProgress
//   DIR/<queue>/successful|failed|abandoned|returned/  finished
//   DIR/<queue>/attachments/<reference>/<name>.png
//
// The folder a file is in is its status. Files appear complete: written under a hidden temporary
// name, fsynced, renamed, folder fsynced (DurableFile). `next` means: take the New files of the
// queue in claim order and rename the first one into claimed/. Rename is atomic, so of two robots
// renaming the same file exactly one succeeds, and a robot of any make may claim the same way;
// Blankett then rewrites the claimed file with worker and lease. A file claimed by a plain rename
// has no lease and never expires; its robot moves it on. Blankett processes also hold an flock on
// DIR/.lock for each operation, so their read-decide-write steps (duplicate check, id sequence in
// DIR/.sequence, retries, lease expiry) never interleave. Finding an item by id reads the files, so
// this backend suits folders of thousands of items, not millions; SQLite is the default.
import BlankettSupport
import Foundation
import SystemPackage

public final class OutboxStore: QueueStore, TransitionStore {
    public let directory: String
    package let options: QueueOptions

    public init(directory: String, options: QueueOptions = QueueOptions()) throws {
        guard options.maxRetries >= 0 else { throw BlankettError("queue_invalid_argument", "maxRetries cannot be negative") }
        self.directory = directory
        self.options = options
        if options.readOnly {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw BlankettError("store_not_found", "no outbox folder \(directory)")
            }
            return
        }
        for queue in QueueName.allCases {
            for status in ItemStatus.allCases { try DurableFile.makeDirectory(folder(queue, status)) }
        }
    }

    public func insert(_ item: NewQueueItem, attachments: [String: [UInt8]]) throws -> InsertResult {
        try requireWritable()
        for (name, png) in attachments { try Attachment.check(name, png) }
        let now = Timestamp.rounded(options.clock())
        return try locked {
            if let existing = try find(item.reference) { return .alreadyQueued(existing.id) }
            let stored = QueueItem(id: try nextID(), queue: item.queue, reference: item.reference, priority: item.priority,
                                   status: .new, specificContent: item.specificContent, output: nil, createdAt: now,
                                   deferDate: item.deferDate, dueDate: item.dueDate, retryCount: 0, lastError: nil,
                                   worker: nil, leaseExpiresAt: nil)
            // Crops first: once a robot can see the item, its attachments are there. A crash in
            // between leaves crops without an item, which the next insert of the scan overwrites.
            for (name, png) in attachments { try store(stored, name, png) }
            try write(stored)
            return .queued(stored.id)
        }
    }

    public func attach(_ id: Int64, name: String, png: [UInt8]) throws {
        try requireWritable()
        try Attachment.check(name, png)
        try locked { try store(try find(id), name, png) }
    }

    public func attachments(_ id: Int64) throws -> [String: [UInt8]] {
        try locked {
            let folder = attachmentFolder(try find(id))
            var out: [String: [UInt8]] = [:]
            for file in try DurableFile.names(in: folder, suffix: ".png") {
                out[String(file.dropLast(4))] = try DurableFile.read("\(folder)/\(file)")
            }
            return out
        }
    }

    public func next(queue: QueueName, leaseSeconds: Int, worker: String, skipping: Set<Int64>) throws -> QueueItem? {
        try requireWritable()
        try Transition.checkLease(leaseSeconds)
        try Transition.checkWorker(worker)
        let now = Timestamp.rounded(options.clock())
        return try locked {
            try sweep(now)
            let candidates = try items(queue, .new).filter {
                Transition.claimable($0, by: worker, now: now, skipping: skipping)
            }.sorted {
                ($1.priority, $0.createdAt, $0.id) < ($0.priority, $1.createdAt, $1.id)
            }
            for item in candidates {
                let claimed = Transition.claim(item, worker: worker, leaseExpiresAt: now.addingTimeInterval(Double(leaseSeconds)))
                // Gone: another robot renamed it first.
                if try move(item, to: claimed) { return claimed }
            }
            return nil
        }
    }

    public func expireLeases(now: Date) throws -> Int {
        try requireWritable()
        return try locked { try sweep(Timestamp.rounded(now)) }
    }

    public func list(queue: QueueName?, status: ItemStatus?, limit: Int) throws -> [QueueItem] {
        guard limit >= 0 else { throw BlankettError("queue_invalid_argument", "a list limit cannot be negative") }
        let now = Timestamp.rounded(options.clock())
        return try locked {
            try sweep(now)
            var found: [QueueItem] = []
            for q in QueueName.allCases where queue == nil || q == queue {
                for s in ItemStatus.allCases where status == nil || s == status { found += try items(q, s) }
            }
            return Array(found.sorted { $0.id < $1.id }.prefix(limit))
        }
    }

    public func show(_ id: Int64) throws -> QueueItem {
        let now = Timestamp.rounded(options.clock())
        return try locked {
            try sweep(now)
            return try find(id)
        }
    }

    public func counts() throws -> QueueCounts {
        let now = Timestamp.rounded(options.clock())
        return try locked {
            try sweep(now)
            var counts = QueueCounts()
            for queue in QueueName.allCases {
                for status in ItemStatus.allCases {
                    counts[queue, status] = try DurableFile.names(in: folder(queue, status), suffix: ".json").count
                }
            }
            return counts
        }
    }

    /// Of the temporaries a killed process left (DurableFile.staleTemporaries), one kind holds the
    /// only copy of something: an item rewritten after its move into the folder of its new status
    /// (claim, complete, fail, abandon), whose new fields — worker and lease, output, last error —
    /// are nowhere else. It is put in place when it is a whole item of that folder's status and
    /// newer than the file there. The rest is written again by whoever retries (an item not yet
    /// queued or going back to New, crops, the id sequence) and is removed.
    public func recoverInterruptedWrites() throws -> (recovered: Int, removed: Int) {
        try requireWritable()
        return try locked {
            var recovered = 0, removed = 0
            var otherFolders = [directory]
            for queue in QueueName.allCases {
                for status in ItemStatus.allCases {
                    for (temporary, target) in DurableFile.staleTemporaries(in: folder(queue, status)) {
                        if completes(temporary, target, status), try DurableFile.move(temporary, to: target) {
                            recovered += 1
                        } else {
                            removed += remove(temporary)
                        }
                    }
                }
                let attachments = "\(directory)/\(queue.rawValue)/attachments"
                otherFolders += try DurableFile.names(in: attachments, suffix: "").map { "\(attachments)/\($0)" }
            }
            for folder in otherFolders {
                for (temporary, _) in DurableFile.staleTemporaries(in: folder) { removed += remove(temporary) }
            }
            return (recovered, removed)
        }
    }

    /// SQLite refuses writes on a read-only connection by itself; a folder has to be told.
    private func requireWritable() throws {
        guard !options.readOnly else { throw BlankettError("store_read_only", "the outbox \(directory) was opened read-only") }
    }

    // MARK: - Inside the lock

    private func locked<T>(_ body: () throws -> T) throws -> T {
        try DurableFile.withLock("\(directory)/.lock", shared: options.readOnly, body)
    }

    private func folder(_ queue: QueueName, _ status: ItemStatus) -> String {
        let base = "\(directory)/\(queue.rawValue)"
        switch status {
        case .new: return base
        case .inProgress: return "\(base)/claimed"
        case .successful: return "\(base)/successful"
        case .failed: return "\(base)/failed"
        case .abandoned: return "\(base)/abandoned"
        case .returned: return "\(base)/returned"
        }
    }

    private func file(_ item: QueueItem) -> String {
        "\(folder(item.queue, item.status))/\(item.reference.sha256).json"
    }

    private func attachmentFolder(_ item: QueueItem) -> String {
        "\(directory)/\(item.queue.rawValue)/attachments/\(item.reference.sha256)"
    }

    private func write(_ item: QueueItem, at path: String? = nil) throws {
        try DurableFile.writeAtomically(Array((QueueJSON.line(item) + "\n").utf8), to: FilePath(path ?? file(item)))
    }

    private func store(_ item: QueueItem, _ name: String, _ png: [UInt8]) throws {
        let folder = attachmentFolder(item)
        try DurableFile.makeDirectory(folder)
        try DurableFile.writeAtomically(png, to: FilePath("\(folder)/\(name).png"))
    }

    private func completes(_ temporary: String, _ target: String, _ status: ItemStatus) -> Bool {
        guard let written = DurableFile.modificationTime(temporary), let current = DurableFile.modificationTime(target),
              written >= current, let bytes = try? DurableFile.read(temporary),
              let object = try? QueueJSON.object(Data(bytes), field: "item"), object["status"] as? String == status.rawValue,
              let item = try? QueueJSON.item(Data(bytes), status: status, file: temporary) else { return false }
        return "\(item.reference.sha256).json" == (target as NSString).lastPathComponent
    }

    private func remove(_ path: String) -> Int {
        (try? FileManager.default.removeItem(atPath: path)) == nil ? 0 : 1
    }

    /// The items in one folder; a file a robot takes away while we read is skipped.
    private func items(_ queue: QueueName, _ status: ItemStatus) throws -> [QueueItem] {
        let folder = folder(queue, status)
        return try DurableFile.names(in: folder, suffix: ".json").compactMap { name in
            try DurableFile.read("\(folder)/\(name)").map { try QueueJSON.item(Data($0), status: status, file: name) }
        }
    }

    private func find(_ reference: QueueReference) throws -> QueueItem? {
        for queue in QueueName.allCases {
            for status in ItemStatus.allCases {
                let name = "\(reference.sha256).json"
                if let bytes = try DurableFile.read("\(folder(queue, status))/\(name)") {
                    return try QueueJSON.item(Data(bytes), status: status, file: name)
                }
            }
        }
        return nil
    }

    /// By reading the files; InProgress first, where complete and fail look.
    private func find(_ id: Int64) throws -> QueueItem {
        for status in [ItemStatus.inProgress, .new, .successful, .failed, .abandoned, .returned] {
            for queue in QueueName.allCases {
                if let item = try items(queue, status).first(where: { $0.id == id }) { return item }
            }
        }
        throw Transition.notFound(id)
    }

    /// The last id is kept in DIR/.sequence; on first use (or if it was lost) the largest id on disk.
    private func nextID() throws -> Int64 {
        let path = "\(directory)/.sequence"
        let last: Int64
        if let bytes = try DurableFile.read(path) {
            guard let value = Int64(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw BlankettError("store_corrupt", "\(path) does not hold an item id")
            }
            last = value
        } else {
            last = try QueueName.allCases.flatMap { q in try ItemStatus.allCases.flatMap { try items(q, $0) } }.map(\.id).max() ?? 0
        }
        try DurableFile.writeAtomically(Array("\(last + 1)\n".utf8), to: FilePath(path))
        return last + 1
    }

    @discardableResult
    private func sweep(_ now: Date) throws -> Int {
        guard !options.readOnly else { return 0 }
        var count = 0
        for queue in QueueName.allCases {
            for item in try items(queue, .inProgress) where (item.leaseExpiresAt.map { $0 <= now } ?? false) {
                if try move(item, to: Transition.expire(item)) { count += 1 }
            }
        }
        return count
    }

    package func transition(_ id: Int64, _ change: (QueueItem) throws -> QueueItem) throws -> QueueItem {
        try requireWritable()
        let now = Timestamp.rounded(options.clock())
        return try locked {
            try sweep(now)
            let item = try find(id)
            let updated = try change(item)
            guard try move(item, to: updated) else {
                throw BlankettError("queue_invalid_transition", "item \(id) was moved by another robot meanwhile")
            }
            return updated
        }
    }

    /// Moves the item's file into the folder of its new status with the new fields; false when the
    /// file was gone. Robots take files from the New folder the moment they appear there, so an item
    /// going back to New is rewritten first (in claimed/, which only its claimer touches) and then
    /// moved. Otherwise the move goes first — it is the atomic step that decides a race — and the
    /// file is rewritten in a folder no robot takes from.
    private func move(_ item: QueueItem, to updated: QueueItem) throws -> Bool {
        if updated.status == .new {
            try write(updated, at: file(item))
            return try DurableFile.move(file(item), to: file(updated))
        }
        guard try DurableFile.move(file(item), to: file(updated)) else { return false }
        try write(updated)
        return true
    }
}
