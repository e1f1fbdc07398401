// The entry point: writes `count` synthetic scans scan-00001.png … and their answer key
// truth.jsonl into a folder.
//
// Why pages are made in parallel batches (one page per thread) on worker threads while the caller's thread
// writes the truth and reports progress: pages are independent (each has its own seed), so all
// cores can work, yet the progress callback and the truth file see pages strictly in order, and
// the caller's closure never runs on another thread. The output is the same for any number of
// threads. File names are numbers, never derived from what is written on the page.
import BlankettSupport
import Dispatch
import FieldRules
import Foundation
import PageImage

public enum Synthesizer {
    public static let truthFileName = "truth.jsonl"
    /// Beside the truth in a campaign: who the blank was mailed to.
    public static let registerFileName = "register.txt"

    /// Writes the files and truth.jsonl into `directory` (created if needed; files of the same
    /// names are replaced) and returns the truth records in page order.
    @discardableResult
    public static func generate(options: SynthOptions, into directory: String,
                                progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> [TruthRecord] {
        let maker = try PageMaker(options)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let truthPath = (directory as NSString).appendingPathComponent(truthFileName)
        guard FileManager.default.createFile(atPath: truthPath, contents: nil),
              let truth = FileHandle(forWritingAtPath: truthPath) else {
            throw BlankettError("synth_write_failed", "cannot write \(truthPath)")
        }
        defer { try? truth.close() }

        if let register = maker.resources.campaign?.register {
            // Synthetic, but written as a real register must be: readable by its owner only.
            let path = (directory as NSString).appendingPathComponent(registerFileName)
            guard FileManager.default.createFile(atPath: path, contents: Data(register.fileText.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw BlankettError("synth_write_failed", "cannot write \(path)")
            }
        }
        var records: [TruthRecord] = []
        progress(0, options.count)
        try inOrder(options) { plan in
            let page = try maker.make(plan)
            let path = (directory as NSString).appendingPathComponent(plan.fileName)
            guard FileManager.default.createFile(atPath: path, contents: Data(page.bytes)) else {
                throw BlankettError("synth_write_failed", "cannot write \(path)")
            }
            return page.record
        } consume: { record in
            try truth.write(contentsOf: Data((try record.jsonLine() + "\n").utf8))
            records.append(record)
            progress(records.count, options.count)
        }
        return records
    }

    /// The pages as scanned, never encoded or written: `work` runs on the thread that rendered
    /// the page (nil for a file that is not a scan), `consume` on the caller's, in page order.
    public static func scans<T: Sendable>(options: SynthOptions, work: @escaping @Sendable (TruthRecord, GrayImage?) throws -> T,
                                          consume: (T) throws -> Void) throws {
        let maker = try PageMaker(options)
        try inOrder(options) { plan in
            let (output, record) = try maker.render(plan)
            if case .scan(let image) = output { return try work(record, image) }
            return try work(record, nil)
        } consume: { try consume($0) }
    }

    /// One page per thread and batch (concurrentPerform runs as many at once as it is given);
    /// results reach `consume` strictly in page order.
    private static func inOrder<T: Sendable>(_ options: SynthOptions,
                                             work: @escaping @Sendable (PagePlan) throws -> T,
                                             consume: (T) throws -> Void) throws {
        let batch = max(1, options.threads)
        for start in stride(from: 0, to: options.count, by: batch) {
            let plans = (start..<min(start + batch, options.count)).map { PagePlan(index: $0, options: options) }
            let results = WorkerSlots<Result<T, Error>>(count: plans.count)
            DispatchQueue.concurrentPerform(iterations: plans.count) { i in
                results.set(i, Result { try work(plans[i]) })
            }
            for result in results.values { try consume(try result.get()) }
        }
    }

    /// The case of every page of a run, without rendering anything: what `generate` would make.
    public static func cases(options: SynthOptions) -> [PageCase] {
        (0..<options.count).map { PagePlan(index: $0, options: options).pageCase }
    }

    /// Refuses options that cannot make sense, and returns the parsed scan date.
    static func check(_ options: SynthOptions) throws -> CalendarDate {
        func bad(_ why: String) -> BlankettError { BlankettError("synth_invalid_options", why) }
        let m = options.mix, r = options.scan
        guard options.count >= 0 else { throw bad("count must not be negative") }
        guard [m.valid, m.mistakes, m.rejects, m.samordningsnummer, m.tenDigits].allSatisfy({ $0 >= 0 }),
              m.valid + m.mistakes + m.rejects > 0 else { throw bad("the case mix needs non-negative shares that are not all zero") }
        guard !r.dpis.isEmpty, r.dpis.allSatisfy({ (100...600).contains($0) }) else { throw bad("scan dpis must be 100 to 600") }
        guard r.paperTone.lowerBound > 128, r.paperTone.upperBound <= 255, r.noise.lowerBound >= 0, r.blur.lowerBound >= 0 else {
            throw bad("paper tone must lie in 129...255, noise and blur must not be negative")
        }
        guard let scanDate = CalendarDate(options.scanDate) else {
            throw bad("the scan date '\(options.scanDate)' is not a date of the form YYYY-MM-DD")
        }
        guard !(scanDate < DateField.defaultNotBefore) else {
            throw bad("the scan date \(scanDate) is before \(DateField.defaultNotBefore), the earliest valid date of signing")
        }
        if let c = options.campaign {
            guard let mailing = CalendarDate(c.mailingDate) else { throw bad("the mailing date '\(c.mailingDate)' is not a date of the form YYYY-MM-DD") }
            guard !(scanDate < mailing) else { throw bad("the mailing date \(mailing) is after the scan date \(scanDate)") }
            guard (1...5_000_000).contains(c.registerSize) else { throw bad("the register needs 1 to 5,000,000 members") }
            guard (0..<1).contains(c.notInRegister), c.meanReplyDays > 0 else {
                throw bad("the share not in the register must lie in [0, 1) and the mean reply time be positive")
            }
        }
        return scanDate
    }
}
