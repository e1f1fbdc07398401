// The watch-folder daemon: files dropped into the inbox are claimed once complete, read by N
// workers, delivered to the work queue by one more thread, and moved to archive/ (queued) or
// quarantine/ (rejected).
//
// Crash safety: a file is first renamed into processing/ (atomic, so one daemon owns it), then read,
// then inserted into the queue (committed), and only then moved out of processing/. A kill at any
// point leaves the file in the inbox or in processing/; processing/ is taken up again at start, and
// re-delivery is a no-op because the item's reference is the scan's SHA-256. Archive and quarantine
// names are that SHA-256 too, so a repeated move replaces a file by an identical one.
import BlankettSupport
import Delivery
import FieldRules
import FormReader
import Foundation
import Logging
import ServiceLifecycle
import SystemPackage
import QueueStores
import WorkQueue

public struct WatchConfiguration: Sendable {
    public var inbox: FilePath
    public var store: String
    public var settleMilliseconds: Int
    public var heartbeatSeconds: Double
    public var engineVersion: String
    public var modelSHA256: String
    /// The scan date of every file; nil (the default): the day each file is read.
    public var scanDate: CalendarDate?

    public init(inbox: FilePath, store: String, settleMilliseconds: Int = 500, heartbeatSeconds: Double = 10,
                engineVersion: String, modelSHA256: String, scanDate: CalendarDate? = nil) {
        self.inbox = inbox
        self.store = store
        self.settleMilliseconds = settleMilliseconds
        self.heartbeatSeconds = heartbeatSeconds
        self.engineVersion = engineVersion
        self.modelSHA256 = modelSHA256
        self.scanDate = scanDate
    }
}

public final class WatchDaemon: Service, @unchecked Sendable {
    private let configuration: WatchConfiguration
    private let readers: [FormReader]
    private let logger: Logger
    private let layout: InboxLayout
    private let counters = WatchCounters()
    private let store: any QueueStore
    private let stopping = StopSignal()

    /// The longest wait between two tries of a delivery: a full disk or a locked store is
    /// retried until it works again, without a restart.
    static let maxRetryWait = 30.0

    /// One reader per worker: a FormReader is not thread-safe.
    public init(configuration: WatchConfiguration, readers: [FormReader], logger: Logger) throws {
        precondition(!readers.isEmpty, "at least one reader")
        self.configuration = configuration
        self.readers = readers
        self.logger = logger
        self.layout = InboxLayout(inbox: configuration.inbox)
        try layout.create()
        self.store = try StoreURL(configuration.store).open()
    }

    public func run() async throws {
        let recovered = try removeCrashLeftovers()
        // One thread delivers what the readers hand over, so that no reader waits for an fsync.
        let deliverer = WorkerPool<ReadPage>(name: "blankett-deliver")
        deliverer.start([{ [self] page in self.deliver(page) }])
        let pool = WorkerPool<Job>(name: "blankett-read")
        pool.start(readers.map { reader in { [self] job in
            let started = Date()
            deliverer.submit(ReadPage(job: job, result: read(job, with: reader), started: started))
        } })
        let pending: @Sendable () -> Int = { pool.pending + deliverer.pending }

        // Entries a killed predecessor had claimed: read and deliver again (already queued is fine).
        for name in (try? layout.processing.entries())?.sorted(by: { $0.lexicographicallyPrecedes($1) }) ?? []
        where name.first != UInt8(ascii: ".") {
            pool.submit(layout.resumed(name))
        }
        logger.info("watching", metadata: ["inbox": "\(layout.inbox.shown)", "store": "\(configuration.store)",
                                           "workers": "\(readers.count)", "settle_ms": "\(configuration.settleMilliseconds)",
                                           "scan_date": "\(configuration.scanDate.map { "\($0)" } ?? "the day each file is read")",
                                           "resumed": "\(pending())", "queue_writes_recovered": "\(recovered.recovered)",
                                           "temporaries_removed": "\(recovered.removed)"])

        let started = Date()
        let heartbeat = Task { [self] in
            var last = (time: started, pages: 0)
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(configuration.heartbeatSeconds))
                if Task.isCancelled { break }
                last = beat(since: started, last: last, pending: pending())
            }
        }

        let scanner = InboxScanner(layout: layout, settleMilliseconds: configuration.settleMilliseconds, logger: logger)
        let listEvery = Duration.milliseconds(max(20, min(250, configuration.settleMilliseconds / 4)))
        var listed = ContinuousClock.now - listEvery
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if ContinuousClock.now - listed >= listEvery {
                scanner.list()
                listed = ContinuousClock.now
            }
            scanner.claim(capacity: 2 * readers.count - pending()) { pool.submit($0) }
            // With settled files waiting, look again as soon as a worker may have finished one.
            try? await Task.sleep(for: scanner.hasSettledFiles ? .milliseconds(10) : listEvery)
        }

        // Bounded: at most 2 × workers files are claimed and not done, each read in well under a
        // second; a delivery that fails is not retried but stays in processing/, where the next
        // start takes it up.
        logger.info("stopping: no new files; finishing those in flight", metadata: ["in_flight": "\(pending())"])
        stopping.stop()
        pool.close()
        await pool.finished()
        deliverer.close()
        await deliverer.finished()
        heartbeat.cancel()
        _ = beat(since: started, last: (started, 0), pending: 0)
        logger.info("stopped")
    }

    /// Runs on a reader's thread. What is not a regular file is refused without being opened.
    private func read(_ job: Job, with reader: FormReader) -> ReadResult {
        if let refusal = FileSteps.refusal(job.path) { return ReadResult(file: job.originalName, rejectedWith: refusal) }
        return reader.read(path: job.path, scanDate: configuration.scanDate ?? .today(), name: job.originalName)
    }

    @discardableResult
    private func beat(since started: Date, last: (time: Date, pages: Int), pending: Int) -> (time: Date, pages: Int) {
        let now = Date(), c = counters.snapshot
        let overall = Double(c.pages) / max(1e-9, now.timeIntervalSince(started))
        let recent = Double(c.pages - last.pages) / max(1e-9, now.timeIntervalSince(last.time))
        logger.info("heartbeat", metadata: [
            "pages": "\(c.pages)", "accepted": "\(c.accepted)", "verification": "\(c.verification)",
            "rejected": "\(c.rejected)", "already_queued": "\(c.alreadyQueued)", "errors": "\(c.errors)",
            "pending": "\(pending)",
            "pages_per_s": "\(String(format: "%.2f", recent))", "pages_per_s_overall": "\(String(format: "%.2f", overall))",
        ])
        return (now, c.pages)
    }

    /// Runs on the deliverer's thread. A failure (a full disk, a locked or broken store) is retried
    /// with growing waits until it works or the daemon stops; the scan stays in processing/ meanwhile.
    private func deliver(_ page: ReadPage) {
        let (job, result, start) = (page.job, page.result, page.started)
        let sha = result.sha256 ?? FileSteps.sha256(ofFile: job.path)
        let shaPrefix = sha.map { String($0.prefix(12)) } ?? "-"
        var attempt = 0
        while true {
            attempt += 1
            do {
                let archive = sha.map { layout.archive.appending($0 + ".png") }
                // Only the folder is shown through the redaction: a SHA-256 may hold ten digits in a row.
                let archiveFile = sha.map { layout.archive.shown + "/" + $0 + ".png" }
                let outcome = try Delivery.deliver(result, to: store, engineVersion: configuration.engineVersion,
                                                   modelSHA256: configuration.modelSHA256, archiveFile: archiveFile)
                let ms = String(format: "%.0f", Date().timeIntervalSince(start) * 1000)
                switch outcome {
                case .queued(let queue, let id), .alreadyQueued(let queue, let id):
                    guard let archive else { throw BlankettError("watch_no_sha256", "queued without a sha256") }
                    try FileSteps.move(job.path, to: archive)
                    let again: Bool
                    if case .alreadyQueued = outcome { again = true } else { again = false }
                    counters.update {
                        $0.pages += 1
                        if again { $0.alreadyQueued += 1 }
                        else if queue == .applications { $0.accepted += 1 } else { $0.verification += 1 }
                    }
                    logger.info(again ? "already queued" : "queued", metadata: [
                        "sha256": "\(shaPrefix)", "file": "\(job.originalName)", "status": "\(result.status.rawValue)",
                        "reasons": "\(result.reasons.joined(separator: ","))", "queue": "\(queue.rawValue)",
                        "id": "\(id)", "ms": "\(ms)"])
                case .rejected(let code, let message):
                    try quarantine(job, sha: sha, code: code, message: message)
                    counters.update { $0.pages += 1; $0.rejected += 1 }
                    logger.notice("quarantined", metadata: [
                        "sha256": "\(shaPrefix)", "file": "\(job.originalName)", "code": "\(code)", "ms": "\(ms)"])
                }
                return
            } catch {
                let failure = error as? BlankettError ?? BlankettError("\(type(of: error))", "\(error)")
                counters.update { $0.errors += 1 }
                let metadata: Logger.Metadata = ["sha256": "\(shaPrefix)", "file": "\(job.originalName)",
                                                 "code": "\(failure.code)", "error": "\(failure.message)", "attempt": "\(attempt)"]
                guard FileSignature.of(job.path) != nil else {
                    logger.error("delivery failed and the file is gone from processing/", metadata: metadata)
                    return
                }
                let wait = min(Self.maxRetryWait, Double(1 << min(attempt - 1, 5)))
                if !stopping.isStopped {
                    logger.warning("delivery failed; retrying", metadata: metadata.merging(["retry_in_s": "\(Int(wait))"]) { $1 })
                }
                if stopping.isStopped || stopping.wait(seconds: wait) {
                    logger.notice("stopping: left in processing/ for the next start", metadata: metadata)
                    return
                }
            }
        }
    }

    /// The scan and a JSON record beside it, both named after the scan's SHA-256 and the claim's
    /// token: one record per input, even for inputs with the same bytes, and a move repeated
    /// after a crash replaces a file by the same one.
    private func quarantine(_ job: Job, sha: String?, code: String, message: String) throws {
        let name = quarantineName(sha: sha, token: job.token, original: job.originalName)
        let record: [String: Any] = [
            "error": ["code": code, "message": Personnummer.redacted(message)],
            "original_name": job.originalName, "sha256": sha ?? NSNull(),
            "quarantined_at": ISO8601DateFormatter().string(from: Date()), "file": name,
        ]
        let json = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .prettyPrinted])
        try DurableFile.writeAtomically(Array(json) + Array("\n".utf8), to: layout.quarantine.appending(name + ".json"))
        try FileSteps.move(job.path, to: layout.quarantine.appending(name))
    }

    /// Temporaries a killed predecessor left. A quarantine record's is never the only copy: the
    /// scan stays in processing/ until its record is in place, and is read again. The queue's are
    /// its own business.
    private func removeCrashLeftovers() throws -> (recovered: Int, removed: Int) {
        let records = DurableFile.staleTemporaries(in: layout.quarantine.string).filter { unlink($0.temporary) == 0 }.count
        let queue = try store.recoverInterruptedWrites()
        return (queue.recovered, queue.removed + records)
    }

    /// `<sha256>-<token>.<ext>` when the original had a plain short extension; `unreadable-…` for
    /// what could not be hashed (not a regular file). Never the original name, which might hold anything.
    private func quarantineName(sha: String?, token: String?, original: String) -> String {
        let token = token ?? UUID().uuidString.lowercased()
        let base = (sha ?? "unreadable") + "-" + token
        let ext = (original as NSString).pathExtension.lowercased()
        guard (1...8).contains(ext.count), ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return base }
        return base + "." + ext
    }
}

/// `blankett status`: the queue's counts per queue and status.
public enum QueueStatus {
    /// Read-only: a store that does not exist is an error, never a new empty queue.
    public static func report(store: String) throws -> String {
        let counts = try StoreURL(store).open(options: QueueOptions(readOnly: true)).counts()
        var lines: [String] = []
        for queue in QueueName.allCases {
            let total = ItemStatus.allCases.reduce(0) { $0 + counts[queue, $1] }
            lines.append("\(queue.rawValue): \(total)")
            for status in ItemStatus.allCases { lines.append("  \(status.rawValue): \(counts[queue, status])") }
        }
        return lines.joined(separator: "\n")
    }
}
