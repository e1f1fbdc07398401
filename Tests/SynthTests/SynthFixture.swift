// One synthetic set shared by the tests: every case once (coverEveryCase), at 200 dpi, from the
// MNIST test digits bundled in SampleScans/digits, so the suite needs nothing outside the repo
// and renders each page once however many tests look at it.
import BlankettSupport
import Foundation
import Synth

enum SynthFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let templatePath = root.appendingPathComponent("Forms/pm7001/template.json").path
    static let digits = root.appendingPathComponent("SampleScans/digits").path
    static let scanDate = "2025-11-20"

    static func options(count: Int, seed: UInt64 = 20_251_120, threads: Int = 2) -> SynthOptions {
        var o = SynthOptions(count: count, seed: seed, scanDate: scanDate, mnistDirectory: digits,
                             templatePath: templatePath, threads: threads)
        o.coverEveryCase = true
        o.scan.dpis = [200]
        return o
    }

    /// All output of this test process goes under one folder, removed when the process exits.
    static let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("synth-tests-\(ProcessInfo.processInfo.processIdentifier)").path
    private static let cleanup: Void = { atexit { try? FileManager.default.removeItem(atPath: SynthFixture.scratch) } }()

    static func temporaryDirectory(_ label: String) -> String {
        _ = cleanup
        let dir = (scratch as NSString).appendingPathComponent(label)
        try? FileManager.default.removeItem(atPath: dir)
        return dir
    }

    /// Every case once: generated on first use.
    nonisolated(unsafe) private static var cached: (directory: String, records: [TruthRecord])?
    private static let lock = NSLock()

    static func everyCase() throws -> (directory: String, records: [TruthRecord]) {
        try lock.withLock {
            if let cached { return cached }
            let directory = temporaryDirectory("every-case")
            let records = try Synthesizer.generate(options: options(count: PageCase.cases(campaign: false).count), into: directory)
            cached = (directory, records)
            return (directory, records)
        }
    }

    static func bytes(_ directory: String, _ file: String) -> Data? {
        FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(file))
    }
}
