// What to synthesise: how many pages from which seed, scanned on which day, in which mix of
// cases and scan conditions, from which template, blank and digits.
//
// Why all of it is a parameter: the same generator feeds quick unit tests (a few 200 dpi
// pages), the bundled SampleScans (every case at least once) and large evaluation runs (the
// realistic mix), and each needs different settings from the same code.
import FieldRules
import Foundation

public struct SynthOptions: Sendable {
    public var count: Int
    public var seed: UInt64
    /// The day the pages were scanned, "YYYY-MM-DD": the latest date of signing that counts as
    /// valid. A string, so that callers need not depend on FieldRules for its date type.
    public var scanDate: String
    public var mix = CaseMix()
    /// Page i is case i mod n of `PageCase.allCases`, and the rare scan conditions take turns,
    /// so that a small set shows every case and condition at least once.
    public var coverEveryCase = false
    public var scan = ScanRanges()
    /// Folder with the MNIST IDX files.
    public var mnistDirectory: String
    /// Which MNIST digits are written: the test set for every page that measures the reader, a
    /// slice of the training set only for pages the network learns from.
    public var digits = DigitSource.test
    /// Who writes the digits: MNIST's writers, the pen-trajectory model, or half the pages each.
    public var writers = Writers.mnist
    public var templatePath: String
    /// The empty blank rendered at 300 dpi; nil means blank-300dpi.png beside the template.
    public var blankPath: String?
    /// Pages rendered at once; the output does not depend on it.
    public var threads: Int
    /// A mailing campaign: applicants drawn from a register, dates of signing after the mailing.
    public var campaign: Campaign?

    public init(count: Int, seed: UInt64, scanDate: String, mnistDirectory: String, templatePath: String,
                threads: Int = SynthOptions.defaultThreads) {
        self.count = count
        self.seed = seed
        self.scanDate = scanDate
        self.mnistDirectory = mnistDirectory
        self.templatePath = templatePath
        self.threads = threads
    }

    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Today in the local time zone, as `scanDate` wants it.
    public static func today() -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: c.year ?? 2025, month: c.month ?? 1, day: c.day ?? 1)?.description ?? "2025-01-01"
    }
}

/// What the agency knows about a mailing: when the blank went out and to whom.
public struct Campaign: Sendable, Equatable {
    /// "YYYY-MM-DD"; no valid date of signing is earlier.
    public var mailingDate: String
    /// Members of the register written beside truth.jsonl.
    public var registerSize: Int
    /// The share of valid applicants who are not in the register.
    public var notInRegister: Double
    /// Mean days from the mailing to the signing: most reply within a few weeks.
    public var meanReplyDays = 14.0

    public init(mailingDate: String, registerSize: Int, notInRegister: Double = 0.03) {
        self.mailingDate = mailingDate
        self.registerSize = registerSize
        self.notInRegister = notInRegister
    }
}

/// MNIST test digits keep evaluation pages unseen by the network, which is trained on the
/// training set; training pages draw from a range of training digits so that a held-out range
/// can calibrate the network on scans it has not learnt from.
public enum DigitSource: Sendable, Equatable {
    case test
    case train(Range<Int>)

    var prefix: String {
        switch self {
        case .test: "t10k"
        case .train: "train"
        }
    }
}

/// Shares of the three groups of cases (PageCase.Group; they need not add up to 1), and of the
/// variants inside the valid group. The mistakes and the rejects are split evenly among their
/// kinds; the rejects include the empty PM 7001, which is flagged rather than refused.
public struct CaseMix: Sendable, Equatable {
    public var valid: Double
    public var mistakes: Double
    public var rejects: Double
    /// Of the valid pages: written with a samordningsnummer (birth day + 60).
    public var samordningsnummer: Double
    /// Of the personnummer written (valid or not): in the 10-digit form ÅÅMMDD-NNNC with the
    /// century cells left empty, rather than all 12 digits.
    public var tenDigits: Double

    public init(valid: Double = 0.80, mistakes: Double = 0.12, rejects: Double = 0.08,
                samordningsnummer: Double = 0.10, tenDigits: Double = 0.5) {
        self.valid = valid
        self.mistakes = mistakes
        self.rejects = rejects
        self.samordningsnummer = samordningsnummer
        self.tenDigits = tenDigits
    }
}

/// The ranges scan conditions are drawn from (angles in degrees, lengths in mm, tones in grey
/// levels where 255 is white).
public struct ScanRanges: Sendable, Equatable {
    /// Drawn uniformly from this list, so repeating a value weights it.
    public var dpis: [Int] = [200, 240, 300]
    public var rotation = 3.0
    /// Share of pages fed more crookedly, up to `wideRotation`.
    public var wideRotationShare = 0.1
    public var wideRotation = 5.0
    public var shift = 4.0
    public var scale = 0.02
    public var shear = 0.3
    public var upsideDownShare = 0.05
    public var bilevelShare = 0.15
    /// Share of pages with one corner folded or cut off, taking a registration mark with it.
    public var clippedMarkShare = 0.03
    public var paperTone: ClosedRange<Double> = 225...250
    public var noise: ClosedRange<Double> = 1...4
    /// Extra blur radius in pixels of the 300 dpi page, on top of the resampling filter.
    public var blur: ClosedRange<Double> = 0...0.6
    /// The harsh profile's conditions (HarshScanner.swift); the normal profile has none. Marks
    /// kept wholly in the frame: nil keeps all four (three on a turned or folded page) by pulling
    /// the shift in; a number lets the drawn shift cut off all but that many.
    public var marksKept: Int?
    public var shadowShare = 0.0
    public var creaseShare = 0.0
    public var holeShare = 0.0
    public var pencilShare = 0.0

    public init() {}
}
