// `blankett watch`: the production watch-folder daemon, and `blankett status`: the queue's counts.
import ArgumentParser
import BlankettSupport
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation
import Watch

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch an inbox folder: read every scan dropped into it and deliver it to the work queue.",
        discussion: """
            Under --inbox the daemon keeps processing/, archive/ and quarantine/. A file is taken once its size and mtime have not changed for --settle-ms and nobody has it open for writing; it is claimed by renaming it into processing/, read, delivered (accepted to the applications queue, needs_verification to verification with crops of the doubtful fields), and moved to archive/<sha256>.png; rejected files and non-PNG files go to quarantine/<sha256>.<ext> with a JSON record beside them. Files left in processing/ by a crash are read again at start; re-delivery is a no-op; temporary files a crash left in quarantine/ or the outbox are put in place or removed once a minute old. SIGTERM or SIGINT: no new files, those in flight are finished, exit 0. Logs go to stderr; the personnummer is never logged, and in file names every run of ten or more digits is masked.
            """
    )

    @OptionGroup var reader: ReaderOptions
    @Option(help: "The folder scans are dropped into.") var inbox: String
    @Option(help: "The queue: sqlite:PATH or outbox:DIR.") var store = "sqlite:./blankett-queue.sqlite"
    @Option(help: "Files read in parallel, one reader and one BLAS thread each.")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "How long a file's size and mtime must stay unchanged before it is taken.") var settleMs = 500
    @Option(help: "Seconds between heartbeat log lines with the counters.") var heartbeatS = 10.0
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        guard settleMs >= 0 else { throw ValidationError("--settle-ms must not be negative") }
        guard heartbeatS > 0 else { throw ValidationError("--heartbeat-s must be positive") }
        guard WatchDaemon.isLogLevel(logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        BLAS.useSingleThread()
        // The verification queue gets pictures of the doubtful fields.
        let makeReader = try reader.readerFactory(keepDoubtfulFieldCrops: true)
        let readers = try (0..<workers).map { _ in try makeReader() }
        let configuration = WatchConfiguration(inbox: inbox, store: store, settleMilliseconds: settleMs,
                                               heartbeatSeconds: heartbeatS, engineVersion: Blankett.version,
                                               modelSHA256: try reader.modelSHA256())
        do {
            try WatchDaemon.runUntilStopped(configuration: configuration, readers: readers, logLevel: logLevel)
        } catch {
            throw ExitCode.failure   // already logged
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the work queue's item counts per queue and status.")

    @Option(help: "The queue: sqlite:PATH or outbox:DIR.") var store = "sqlite:./blankett-queue.sqlite"

    func run() throws {
        print(try QueueStatus.report(store: store))
    }
}
