import ArgumentParser
import BlankettSupport
import ConvNet
import Dispatch
import FormReader
import Foundation

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read scanned PM 7001 forms and print every field with its confidence and a decision.",
        discussion: """
            Each file ends as accepted (every required field valid and at least --accept-threshold sure), needs_verification (with machine-readable reasons and up to 3 alternatives per doubtful field) or rejected (unreadable file, no registration marks, another blank …, with error.code). The personnummer is masked in the summary; --json prints it in full, one JSON object per file per line, for the work queue. The exit code is 0 whenever every file was processed, whatever its status.
            """
    )

    @OptionGroup var reader: ReaderOptions
    @Flag(help: "One JSON object per file per line instead of the summary.") var json = false
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
        let makeReader = try reader.readerFactory()
        let readers = try (0..<min(workers, paths.count)).map { _ in try makeReader() }
        let printer = OrderedPrinter(json: json)
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: readers.count) { w in
            while let index = next.take(below: paths.count) {
                printer.emit(index, readers[w].read(path: paths[index]))
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
    private var pending: [Int: ReadResult] = [:]
    private var nextIndex = 0
    private let json: Bool

    init(json: Bool) { self.json = json }

    func emit(_ index: Int, _ result: ReadResult) {
        lock.lock(); defer { lock.unlock() }
        pending[index] = result
        while let ready = pending.removeValue(forKey: nextIndex) {
            FileHandle.standardOutput.write(Data(((json ? ready.jsonLine : ready.summary) + "\n").utf8))
            nextIndex += 1
        }
    }
}
