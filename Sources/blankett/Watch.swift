// `blankett watch`: the production watch-folder daemon, and `blankett status`: the queue's counts.
import ArgumentParser
import BlankettSupport
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation
import SystemPackage
import Watch

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch an inbox folder: read every scan dropped into it and deliver it to the work queue.",
        discussion: """
            Under --inbox the daemon keeps processing/, archive/ and quarantine/. A file is taken once its size and mtime have not changed for --settle-ms and nobody has it open for writing; it is claimed by renaming it into processing/<token>--<name> (the name masked and shortened), read, delivered (accepted to the applications queue, needs_verification to verification with crops of the doubtful fields), and moved to archive/<sha256>.png; rejected files and non-PNG files go to quarantine/<sha256>-<token>.<ext> with a JSON record beside them, one per input. Every entry of the inbox is taken except names starting with a dot (files still being copied, logged once and taken when renamed): a FIFO, socket, device, folder or symbolic link is never opened or followed but quarantined with a record (code not_a_regular_file); to feed the daemon a scan, move or copy the file itself in. Names are bytes: a name that is not UTF-8 (Latin-1 from an SMB share) is taken like any other and shown with \\xHH escapes. Each file's scan date is the day it is read, unless --scan-date fixes one. A delivery that fails (a full disk, a locked store, a PostgreSQL server that is down or restarting) is logged with its cause and retried, with waits growing to 30 s, until it works. Files left in processing/ by a crash are read again at start; re-delivery is a no-op; temporary files a crash left in quarantine/ or the outbox are put in place or removed once a minute old. SIGTERM or SIGINT: no new files; the reads in flight are finished and delivered, within a few seconds; what is not done stays in processing/ for the next start; exit 0. Logs go to stderr; the personnummer is never logged: in every logged name, path and error, every run of ten or more digits is masked and control characters are escaped.
            """
    )

    @OptionGroup var reader: ReaderOptions
    @Option(help: "The folder scans are dropped into.") var inbox: String
    @Option(help: "The queue: \(StoreHelp.kinds).") var store = "sqlite:./blankett-queue.sqlite"
    @Option(parsing: .unconditional, help: "Files read in parallel, one reader and one BLAS thread each; at most \(WorkerCount.limit), and never more than the cores, since more readers only cost memory (default: the cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(parsing: .unconditional, help: "How long a file's size and mtime must stay unchanged before it is taken, 0 to \(Self.maxSettleMs) ms.")
    var settleMs = 500
    @Option(parsing: .unconditional, help: "Seconds between heartbeat log lines with the counters, \(Self.heartbeatRange.lowerBound) to \(Int(Self.heartbeatRange.upperBound)).")
    var heartbeatS = 10.0
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    static let maxSettleMs = 3_600_000
    static let heartbeatRange = 0.1...86_400.0

    func validate() throws {
        try WorkerCount.validate(workers)
        try OptionRange.check(settleMs, 0...Self.maxSettleMs, "--settle-ms")
        try OptionRange.check(heartbeatS, Self.heartbeatRange, "--heartbeat-s", unit: " seconds")
        guard WatchDaemon.isLogLevel(logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        BLAS.useSingleThread()
        // The verification queue gets pictures of the doubtful fields.
        let makeReader = try reader.readerFactory(keepDoubtfulFieldCrops: true)
        let readers = try (0..<WorkerCount.effective(workers)).map { _ in try makeReader() }
        // Absolute, so that the queue items' archive paths name the scan from anywhere.
        let inbox = FilePath(FileManager.default.currentDirectoryPath).pushing(InputFiles.rawArguments([inbox])[0]).lexicallyNormalized()
        let configuration = WatchConfiguration(inbox: inbox, store: store,
                                               settleMilliseconds: settleMs, heartbeatSeconds: heartbeatS,
                                               engineVersion: Blankett.version, modelSHA256: try reader.modelSHA256(),
                                               scanDate: reader.scanDateOverride)
        do {
            try WatchDaemon.runUntilStopped(configuration: configuration, readers: readers, logLevel: logLevel)
        } catch {
            throw ExitCode.failure   // already logged
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the work queue's item counts per queue and status.",
        discussion: "Only reads: the store must exist, and no write access to it is needed.")

    @Option(help: "The queue: \(StoreHelp.kinds).") var store = "sqlite:./blankett-queue.sqlite"

    func run() throws {
        print(try QueueStatus.report(store: store))
    }
}
