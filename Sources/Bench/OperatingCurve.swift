// The page-level trade-off: how many valid forms pass without a person, and how many wrong values
// slip through, at other thresholds than the reader's. The per-field error–reject curves cannot
// answer that, since a page passes only when all its required fields do.
//
// Why rows by predicted rate: "wrong acceptances below 1 in 10,000 fields" is the criterion for
// the defaults, so each row takes, for every digit field, the smallest threshold at which the
// confidences predict fewer wrong acceptances than that rate (ErrorRejectCurve), and shows what
// that costs in forms to verify and what it lets through in this run. A page is re-decided from
// the confidences as read: only a digit field's doubt ("…_low_confidence", "…_ambiguous") depends
// on the thresholds; any other reason (invalid, missing, a mark) holds the page at every row.
// The reader consults its committee only on fields doubtful at its own thresholds, so rows far
// from them are estimates; the reader's own row reproduces the run exactly.
//
// One more row answers the question the other way round: how many wrong acceptances per field
// the confidences must be allowed to predict before 95 % of the valid forms pass (the form-reader
// issue's target), so the distance between that target and the 1e-4 criterion is a figure of the
// run, not a guess.
import Foundation

/// One page as the operating curve needs it.
public struct PageScore: Sendable, Equatable {
    public var expectedStatus: String
    /// Held at any digit threshold: refused, or flagged for something other than a digit field's doubt.
    public var heldRegardless: Bool
    /// The required fields that hold the page at the reader's thresholds, in page order.
    public var heldBy: [String]
    /// Each digit field read: confidence (nil without a value) and whether it may be accepted.
    public var digitFields: [String: ScoredField]
    /// The digit fields whose doubt holds the page.
    public var decidingDigitFields: [String]

    public init(expectedStatus: String, heldRegardless: Bool, heldBy: [String], digitFields: [String: ScoredField],
                decidingDigitFields: [String] = ["personnummer", "datum"]) {
        self.expectedStatus = expectedStatus
        self.heldRegardless = heldRegardless
        self.heldBy = heldBy
        self.digitFields = digitFields
        self.decidingDigitFields = decidingDigitFields
    }

    /// Passed on without a person at these thresholds (one per deciding digit field; a missing one accepts nothing).
    func accepted(at thresholds: [String: Double]) -> Bool {
        !heldRegardless && decidingDigitFields.allSatisfy { field in
            guard let confidence = digitFields[field]?.confidence else { return false }
            return confidence >= thresholds[field] ?? .infinity
        }
    }
}

public struct OperatingCurve: Sendable {
    public struct Row: Sendable, Equatable {
        public var label: String
        /// The predicted wrong acceptances per field read that the thresholds were chosen to stay below, if any.
        public var rate: Double?
        /// Per digit field; nil when no threshold up to 0.9999 meets the row's rate.
        public var thresholds: [String: Double?]
        public var validAccepted: Int
        public var validPages: Int
        /// Applicant mistakes (pages that must go to a person) passed on.
        public var mistakesAccepted: Int
        /// Digit fields passed on unflagged with a wrong value, on any page read.
        public var wrongDigitFields: Int
        /// What the confidences predict of those: Σ 1 − confidence over the digit fields passed on.
        public var predictedWrong: Double

        public var autoAcceptRate: Double { ratio(validAccepted, validPages) }
    }

    public let pages: [PageScore]
    public let curves: [String: ErrorRejectCurve]

    public init(pages: [PageScore], curves: [String: ErrorRejectCurve]) {
        self.pages = pages
        self.curves = curves
    }

    /// Predicted wrong acceptances per field read, from lenient to strict; 1e-4 is the criterion.
    public static let rates = [1e-2, 1e-3, 1e-4, 1e-5]

    public func row(_ label: String, thresholds: [String: Double?]) -> Row {
        let applied = thresholds.compactMapValues { $0 }
        var row = Row(label: label, rate: nil, thresholds: thresholds, validAccepted: 0, validPages: 0, mistakesAccepted: 0,
                      wrongDigitFields: 0, predictedWrong: 0)
        for page in pages {
            let passed = page.accepted(at: applied)
            switch page.expectedStatus {
            case "accepted":
                row.validPages += 1
                if passed { row.validAccepted += 1 }
            case "needs_verification":
                if passed { row.mistakesAccepted += 1 }
            default: break
            }
            for (field, score) in page.digitFields {
                guard let confidence = score.confidence, confidence >= applied[field] ?? .infinity else { continue }
                if !score.correct { row.wrongDigitFields += 1 }
                row.predictedWrong += 1 - confidence
            }
        }
        return row
    }

    /// Every digit field at the smallest threshold whose predicted wrong acceptances per field read stay below `rate`.
    public func row(predictingBelow rate: Double) -> Row {
        var chosen = row("predicted < \(sci(rate)) per field", thresholds: curves.mapValues { $0.threshold(predictingBelow: rate) })
        chosen.rate = rate
        return chosen
    }

    /// The auto-accept rate of valid forms the reader is asked to reach.
    public static let autoAcceptTarget = 0.95

    /// The strictest predicted rate whose row accepts at least `share` of the valid forms, to
    /// within 1 % of the rate, searched over 1e-6 … 1 per field. A higher rate can only lower
    /// each field's threshold, so acceptance never falls as the rate rises and a bisection on
    /// log10(rate) finds it. Nil when even rate 1 (every threshold at 0.5) falls short.
    public func row(accepting share: Double) -> Row? {
        func reaches(_ exponent: Double) -> Bool { row(predictingBelow: pow(10, exponent)).autoAcceptRate >= share }
        var lo = -6.0, hi = 0.0
        guard reaches(hi) else { return nil }
        if reaches(lo) {
            hi = lo
        } else {
            while hi - lo > log10(1.01) {  // reaches(hi) and not reaches(lo)
                let mid = (lo + hi) / 2
                if reaches(mid) { hi = mid } else { lo = mid }
            }
        }
        var target = row(predictingBelow: pow(10, hi))
        target.label = "reaching \(Int((share * 100).rounded())) % of valid forms: " + target.label
        return target
    }

    /// One row per rate, the reader's own thresholds, each field's smallest threshold that
    /// accepted nothing wrong in this run, and the rate the auto-accept target needs.
    public func rows(reader: [String: Double]) -> [Row] {
        Self.rates.map(row(predictingBelow:))
            + [row("the reader's thresholds", thresholds: reader),
               row("none wrong in this run", thresholds: curves.mapValues(\.suggestedThreshold))]
            + [row(accepting: Self.autoAcceptTarget)].compactMap { $0 }
    }

    /// Valid forms the reader held at its thresholds, by the required fields that held them
    /// ("datum", "personnummer + datum", …), most first.
    public var validHeldBy: [(fields: String, pages: Int)] {
        var counts: [String: Int] = [:]
        for page in pages where page.expectedStatus == "accepted" && !page.heldBy.isEmpty {
            counts[page.heldBy.joined(separator: " + "), default: 0] += 1
        }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }
}
