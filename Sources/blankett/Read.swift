import ArgumentParser
import BlankettSupport
import ConvNet
import Delivery
import Dispatch
import FieldRules
import FormReader
import Foundation
import SystemPackage
import QueueStores
import WorkQueue

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read scanned PM 7001 forms and print every field with its confidence and a decision.",
        discussion: """
            Each file ends as accepted (every required field valid and at least --accept-threshold sure), needs_verification (with machine-readable reasons and up to 3 alternatives per doubtful field) or rejected (unreadable file, not a regular file, no registration marks, another blank …, with error.code). The personnummer is masked in the summary; --json prints it in full, one JSON object per file per line, for the work queue. File names are shown with every run of ten or more digits masked and control characters escaped, in both. A symbolic link is followed; a FIFO, socket, device or folder named *.png is refused without being opened. With --store, each JSON object has a "delivery" object (status queued, already_queued, not_queued or failed) and each summary line says the same. Exit code: 0 when every file was processed (whatever its status) and, with --store, every delivery that was due succeeded; 3 when a delivery failed.
            """
    )

    static let deliveryFailed = ExitCode(3)

    @OptionGroup var reader: ReaderOptions
    @Flag(help: "One JSON object per file per line instead of the summary.") var json = false
    @Option(help: "Also deliver every result to this work queue: \(StoreHelp.kinds), e.g. sqlite:./blankett-queue.sqlite. Accepted forms go to 'applications', the rest that was read to 'verification' with pictures of the doubtful fields; a file delivered again is 'already queued'.")
    var store: String?
    @Option(parsing: .unconditional, help: "Files read in parallel, one reader and one BLAS thread each; at most \(WorkerCount.limit), and never more than the cores or the files, since more readers only cost memory (default: the cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Argument(help: "PNG files, or folders of them.") var files: [String]

    func validate() throws {
        try WorkerCount.validate(workers)
    }

    func run() throws {
        let paths = try InputFiles.expand(files)
        guard !paths.isEmpty else { throw ValidationError("no PNG files among the inputs") }
        BLAS.useSingleThread()
        let queue = try store.map { try StoreURL($0).open() }
        let modelSHA256 = try reader.modelSHA256()
        let makeReader = try reader.readerFactory(keepDoubtfulFieldCrops: queue != nil)
        let readers = try (0..<WorkerCount.effective(workers, jobs: paths.count)).map { _ in try makeReader() }
        let scanDate = reader.scanDateOverride
        let printer = OrderedPrinter(json: json)
        let next = IndexDealer()
        DispatchQueue.concurrentPerform(iterations: readers.count) { w in
            while let index = next.take(below: paths.count) {
                let result = readers[w].read(path: paths[index], scanDate: scanDate ?? .today())
                let delivery = queue.map { ReadDelivery(result, to: $0, modelSHA256: modelSHA256) }
                printer.emit(index, result, delivery: delivery)
            }
        }
        if printer.deliveryFailed { throw Self.deliveryFailed }
    }
}

/// What became of one result's delivery, for the summary line and the JSON object.
struct ReadDelivery {
    let json: [String: Any]
    let summary: String
    let failed: Bool

    init(_ result: ReadResult, to queue: any QueueStore, modelSHA256: String) {
        do {
            switch try Delivery.deliver(result, to: queue, engineVersion: Blankett.version, modelSHA256: modelSHA256) {
            case .queued(let name, let id):
                (json, summary) = (["status": "queued", "queue": name.rawValue, "id": id], "queued as \(name.rawValue) item \(id)")
            case .alreadyQueued(let name, let id):
                (json, summary) = (["status": "already_queued", "queue": name.rawValue, "id": id],
                                   "already queued as \(name.rawValue) item \(id)")
            case .rejected:
                (json, summary) = (["status": "not_queued"], "not queued (rejected)")
            }
            failed = false
        } catch {
            let error = error as? BlankettError ?? BlankettError("delivery_failed", "\(error)")
            let message = Personnummer.redacted(error.message)
            json = ["status": "failed", "error": ["code": error.code, "message": message]]
            summary = "NOT QUEUED: \(error.code): \(message)"
            failed = true
        }
    }
}

/// Prints results in input order as soon as every earlier one is out.
final class OrderedPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Int: (ReadResult, ReadDelivery?)] = [:]
    private var nextIndex = 0
    private let json: Bool
    private var failed = false

    init(json: Bool) { self.json = json }

    var deliveryFailed: Bool {
        lock.lock(); defer { lock.unlock() }
        return failed
    }

    func emit(_ index: Int, _ result: ReadResult, delivery: ReadDelivery? = nil) {
        lock.lock(); defer { lock.unlock() }
        pending[index] = (result, delivery)
        if delivery?.failed == true { failed = true }
        while let (ready, delivery) = pending.removeValue(forKey: nextIndex) {
            let line = json ? ready.jsonLine(adding: delivery.map { ["delivery": $0.json] } ?? [:])
                : ready.summary + (delivery.map { " · \($0.summary)" } ?? "")
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            nextIndex += 1
        }
    }
}
