import ArgumentParser
import BlankettSupport
import ConvNet
import Delivery
import Dispatch
import FormReader
import Foundation
import WorkQueue

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read scanned PM 7001 forms and print every field with its confidence and a decision.",
        discussion: """
            Each file ends as accepted (every required field valid and at least --accept-threshold sure), needs_verification (with machine-readable reasons and up to 3 alternatives per doubtful field) or rejected (unreadable file, no registration marks, another blank …, with error.code). The personnummer is masked in the summary; --json prints it in full, one JSON object per file per line, for the work queue. The exit code is 0 whenever every file was processed, whatever its status.
            """
    )

    @OptionGroup var reader: ReaderOptions
    @Flag(help: "One JSON object per file per line instead of the summary.") var json = false
    @Option(help: "Also deliver every result to this work queue: sqlite:PATH (e.g. sqlite:./blankett-queue.sqlite) or outbox:DIR. Accepted forms go to 'applications', the rest that was read to 'verification' with pictures of the doubtful fields; a file delivered again is 'already queued'.")
    var store: String?
    @Option(help: "Files read in parallel, one reader and one BLAS thread each.")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Argument(help: "PNG files, or folders of them.") var files: [String]

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        let paths = try expandInputs(files)
        guard !paths.isEmpty else { throw ValidationError("no PNG files among the inputs") }
        BLAS.useSingleThread()
        let queue = try store.map { try StoreURL($0).open() }
        let modelSHA256 = try reader.modelSHA256()
        let makeReader = try reader.readerFactory(keepDoubtfulFieldCrops: queue != nil)
        let readers = try (0..<min(workers, paths.count)).map { _ in try makeReader() }
        let printer = OrderedPrinter(json: json)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: readers.count) { w in
            while let index = next.take(below: paths.count) {
                let result = readers[w].read(path: paths[index])
                var delivery: String?
                if let queue {
                    do {
                        switch try Delivery.deliver(result, to: queue, engineVersion: Blankett.version, modelSHA256: modelSHA256) {
                        case .queued(let name, let id): delivery = "queued as \(name.rawValue) item \(id)"
                        case .alreadyQueued(let name, let id): delivery = "already queued as \(name.rawValue) item \(id)"
                        case .rejected: delivery = "not queued (rejected)"
                        }
                    } catch {
                        delivery = "NOT QUEUED: \(error)"
                    }
                }
                printer.emit(index, result, delivery: delivery)
            }
        }
    }
}

/// Hands out indices to workers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        defer { value += 1 }
        return value
    }
}

/// Prints results in input order as soon as every earlier one is out.
final class OrderedPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Int: (ReadResult, String?)] = [:]
    private var nextIndex = 0
    private let json: Bool

    init(json: Bool) { self.json = json }

    func emit(_ index: Int, _ result: ReadResult, delivery: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        pending[index] = (result, delivery)
        while let (ready, delivery) = pending.removeValue(forKey: nextIndex) {
            let line = json ? ready.jsonLine : ready.summary + (delivery.map { " · \($0)" } ?? "")
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
            nextIndex += 1
        }
    }
}
