// `blankett bench`: accuracy against the answer key, the error–reject curves, auto-accept against
// wrong acceptances page by page, the Tesseract peer and throughput, all in one run on the same
// files, as a Markdown report and one JSON object.
//
// Why every pass reads the same files in one process: accuracy, speed and the decode-only floor
// are only comparable when they come from the same pages on the same machine at the same time.
// Passes, in order: warm the page cache, PNG decoding alone on 1 and K threads, reading on 1
// thread, reading on K threads (which the accuracy is scored from), and the Tesseract peer on
// the first --peer-forms files with readers that keep their cells.
import ArgumentParser
import Bench
import ConvNet
import FormReader
import FormTemplate
import Foundation
import PageImage
import Synth

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the reader on labelled scans: wrong acceptances, error–reject curves, auto-accept against wrong acceptances, Tesseract peer, throughput.",
        discussion: """
            Reads every file of --scans DIR (with its truth.jsonl) or of --synth N fresh synthetic pages \
            (in a temporary folder, removed afterwards unless --keep), scores the results against the truth \
            and times the same files on 1 and --threads threads, beside PNG decoding alone (the two in alternating blocks of 50 files, so that a drift in the machine's speed falls on both). The scan date \
            (--scan-date, default \(defaultScanDate)) is used for synthesis and reading alike. Prints the \
            Markdown report, which also decides the pages again at the thresholds looser or stricter \
            predicted rates of wrong acceptance would need (what more auto-accept would cost), and finds \
            the rate at which 95 % of the valid forms would pass; --report \
            also writes it, with the error–reject plot beside it as <name>.svg, and --json writes every figure. No personnummer appears unmasked in either.

            A campaign uses what the agency knows of its mailing: --synth N --mailing-date D --register-size M \
            synthesises one (register.txt beside the pages, applicants drawn from it, --not-in-register of them \
            outside it) and reads it with that register and window; with --scans DIR give --register FILE and \
            --mailing-date yourself. The report then counts the applicants outside the register sent to a person, \
            the fields delivered flagged (and wrong among them) beside those passed on as certain, and the \
            register's memory and cost per page.
            """
    )

    static let defaultScanDate = "2025-11-20"

    @OptionGroup var reader: ReaderOptions
    @Option(help: "Folder of scans and their truth.jsonl, as `blankett synth` writes them.") var scans: String?
    @Option(parsing: .unconditional, help: "Synthesise this many pages (1 to 1,000,000) into a temporary folder and measure on those.") var synth: Int?
    @Option(parsing: .unconditional, help: "Seed of the synthetic pages.") var seed: UInt64 = 20_261_124
    @Flag(help: "Keep the synthetic pages (the folder is printed).") var keep = false
    @Option(help: "With --synth: the scanner profile, normal or harsh (see `blankett synth --help`).") var scanner = ScannerProfile.normal
    @Option(parsing: .unconditional, help: "Threads of the parallel passes and of synthesis, 1 to 256.") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(parsing: .unconditional, help: "Tesseract reads the personnummer of the valid forms among the first N files (about 0.4 s per form), at most 1,000,000.")
    var peerForms = 200
    @Option(help: "Write every figure as one JSON object to this file.") var json: String?
    @Option(help: "Write the Markdown report to this file, and the error–reject plot beside it.") var report: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("With --synth and --mailing-date: synthesise a campaign with a register of this many members and read it with that register.", valueName: "n"))
    var registerSize: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("With --register-size: the share of valid applicants not in the register.", valueName: "share"))
    var notInRegister = 0.03
    @Option(help: "With --synth: who writes the digits, \(Writers.helpText)") var writers = Writers.mnist

    func validate() throws {
        guard (scans == nil) != (synth == nil) else { throw ValidationError("give either --scans DIR or --synth N") }
        if let synth { try OptionRange.check(synth, 1...OptionRange.pages.upperBound, "--synth") }
        guard synth != nil || writers == .mnist else { throw ValidationError("--writers chooses the writers of --synth pages; --scans are written already") }
        try OptionRange.check(threads, OptionRange.threads, "--threads")
        try OptionRange.check(peerForms, OptionRange.pages, "--peer-forms")
        if let registerSize {
            guard synth != nil, reader.mailingDate != nil, reader.register == nil else {
                throw ValidationError("--register-size synthesises a campaign: it needs --synth and --mailing-date, and no --register")
            }
            try OptionRange.check(registerSize, 1...5_000_000, "--register-size")
            guard (0..<1).contains(notInRegister) else { throw ValidationError("--not-in-register must be at least 0 and below 1") }
        }
    }

    func run() throws {
        var options = reader
        let scanDate = options.scanDate ?? Self.defaultScanDate
        options.scanDate = scanDate
        setenv("OMP_THREAD_LIMIT", "1", 1)
        BLAS.useSingleThread()
        let machine = Machine.current()
        let (directory, records) = try inputs(scanDate: scanDate)
        if registerSize != nil { options.register = (directory as NSString).appendingPathComponent(Synthesizer.registerFileName) }
        let template = try FormTemplate.load(options.template ?? ProjectPaths.defaultTemplate)
        let campaign = try options.register.map { try CampaignFigures.measure(register: $0, template: template, options: options) }
        defer {
            if synth != nil, keep { printError("bench: kept the scans in \(directory)") }
            if synth != nil, !keep { try? FileManager.default.removeItem(atPath: directory) }
        }
        let readingOnly = Machine.resetPeakRSS()
        let paths = records.map { (directory as NSString).appendingPathComponent($0.file) }
        let expected = records.map(ExpectedPage.init)
        for path in paths { _ = FileManager.default.contents(atPath: path) }  // into the page cache: no pass pays for the disk

        let makeReader = try options.readerFactory()
        var decode: [PassTiming] = []
        var reads: [(timing: PassTiming, pages: [ObservedPage])] = []
        for k in [1, threads] {
            let readers = try (0..<k).map { _ in try makeReader() }
            let (alone, read) = TimedPasses.alternating(paths.count, threads: k, progress: Self.bar("decode and read \(k)t"),
                                                 { _, i in _ = try? PNGCodec.decode(path: paths[i]) },
                                                 { w, i in readers[w].read(path: paths[i]) })
            decode.append(PassTiming(threads: k, seconds: alone.seconds, latencies: alone.results.map(\.ms), stages: []))
            reads.append((PassTiming(threads: k, seconds: read.seconds, latencies: read.results.map(\.ms),
                                     stages: read.results.map { $0.value.timingsMs }),
                          read.results.map { ObservedPage($0.value) }))
        }
        if !zip(reads[0].pages, reads[1].pages).allSatisfy({ $0.decides(like: $1) }) {
            printError("bench: warning: 1 and \(threads) threads decided some files differently")
        }
        var accuracy = AccuracyTally(decidingDigitFields: template.fields.filter { $0.kind == .digits && $0.costClass == .critical }.map(\.name))
        for (truth, page) in zip(expected, reads[1].pages) { accuracy.add(truth, page) }
        let (peakRSS, loadAfterReading) = (Machine.peakRSSMegabytes(), Machine.loadAverage())
        let peerFiles = min(peerForms, paths.count)
        let peer = try peerPass(Array(paths.prefix(peerFiles)), expected: expected, options: options)

        let run = BenchRun(source: synth.map { "\($0) synthetic pages, seed \(seed)" } ?? "\(paths.count) scans from \(directory)",
                           scanDate: scanDate, acceptThreshold: options.personnummerThreshold,
                           uncheckedAcceptThreshold: options.acceptThresholdUnchecked, markAcceptThreshold: options.acceptThresholdMarks,
                           machine: machine, accuracy: accuracy,
                           decodeOne: decode[0], decodeMany: decode[1], readOne: reads[0].timing, readMany: reads[1].timing,
                           peer: peer, peerFiles: peerFiles, peakRSSMegabytes: peakRSS, loadAfterReading: loadAfterReading,
                           peakCoversReadingOnly: readingOnly, campaign: campaign)
        try write(run)
    }

    /// The scans and their truth: synthesised now, or read from --scans.
    private func inputs(scanDate: String) throws -> (directory: String, records: [TruthRecord]) {
        guard let count = synth else {
            let truth = (scans! as NSString).appendingPathComponent(Synthesizer.truthFileName)
            return (scans!, try TruthRecord.decodeLines(String(contentsOfFile: truth, encoding: .utf8)))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("blankett-bench-\(UUID().uuidString)").path
        var options = SynthOptions(count: count, seed: seed, scanDate: scanDate, mnistDirectory: ProjectPaths.defaultMNIST,
                                   templatePath: reader.template ?? ProjectPaths.defaultTemplate, threads: threads)
        options.writers = writers
        options.scan = scanner.ranges
        if let registerSize, let mailingDate = reader.mailingDate {
            options.campaign = Campaign(mailingDate: mailingDate, registerSize: registerSize, notInRegister: notInRegister)
        }
        printError("bench: synthesising \(count) pages into \(directory), seed \(seed), scan date \(scanDate), \(writers.rawValue) writers, \(scanner) scanner"
                   + (options.campaign.map { ", a campaign mailed \($0.mailingDate) to \($0.registerSize) people" } ?? ""))
        let bar = ProgressBar(total: count, label: "synth")
        do {
            let records = try Synthesizer.generate(options: options, into: directory) { done, total in bar.update(done, "\(done)/\(total)") }
            return (directory, records)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Tesseract on the personnummer cells of the valid forms among `paths`, beside Blankett's value.
    private func peerPass(_ paths: [String], expected: [ExpectedPage], options: ReaderOptions) throws -> PeerTally {
        let template = try FormTemplate.load(options.template ?? ProjectPaths.defaultTemplate)
        let makeReader = try options.readerFactory(keepCellImages: true)
        let cellWidth = template.fields.first { $0.name == "personnummer" }?.cells?.first?[2] ?? 7
        let workers = min(threads, max(paths.count, 1))
        let readers = try (0..<workers).map { _ in try makeReader() }
        let peers = try (0..<workers).map { _ in try TesseractPeer() }
        let pass = TimedPasses.pass(paths.count, threads: workers, progress: Self.bar("tesseract")) { w, i -> (written: [Int?], PeerReading, blankett: String?)? in
            let result = readers[w].read(path: paths[i])
            guard let truth = expected[i].field("personnummer"), truth.value != nil, result.status != .rejected,
                  let cells = result.cellImages["personnummer"], let dpi = result.form?.dpi else { return nil }
            // The reader cuts cells at the scan's resolution, at most 300 dpi.
            let reading = peers[w].read(cells: cells, written: truth.cells, dpi: Int(min(dpi, 300).rounded()), cellWidthMM: cellWidth)
            return (truth.cells, reading, ObservedPage(result).field("personnummer")?.value)
        }
        var tally = PeerTally()
        for case let (written, reading, blankett)? in pass.results.map(\.value) { tally.add(written: written, peer: reading, blankett: blankett) }
        return tally
    }

    private func write(_ run: BenchRun) throws {
        for file in [report, json].compactMap({ $0 }) {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        }
        var chartFile: String?
        if let report {
            let svg = (report as NSString).deletingPathExtension + ".svg"
            try run.chartSVG.write(toFile: svg, atomically: true, encoding: .utf8)
            chartFile = (svg as NSString).lastPathComponent
        }
        let markdown = run.markdown(chartFile: chartFile)
        print(markdown, terminator: "")
        if let report {
            try markdown.write(toFile: report, atomically: true, encoding: .utf8)
            printError("bench: wrote \(report) and \(chartFile!)")
        }
        if let json {
            let data = try JSONSerialization.data(withJSONObject: run.json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: json))
            printError("bench: wrote \(json)")
        }
    }

    /// A progress bar for a timed pass, drawn from its first report (0 done) on.
    private static func bar(_ label: String) -> (Int, Int) -> Void {
        var bar: ProgressBar?
        return { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: label) }
            bar!.update(done, "\(done)/\(total)")
        }
    }
}
