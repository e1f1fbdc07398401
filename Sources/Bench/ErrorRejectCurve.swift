// The error–reject trade-off of one field over acceptance thresholds, from a single run: a
// field is accepted at threshold t when the reader gave a value with confidence ≥ t, which is
// exactly the reader's own rule, so nothing needs to be read again.
//
// Why the suggestion carries a bound: zero errors among n accepted fields does not mean a zero
// error rate; with 95 % confidence the rate is below about 3/n (the "rule of three"). A run of
// 2,000 pages cannot show a rate of 1 in 10,000 that way, so each point also gives the errors
// the confidences themselves predict (Σ 1 − confidence over the accepted fields): where the
// observed count agrees with it, the confidences are calibrated, and the prediction carries the
// estimate below what the run can count.

/// One field of one page: the reader's confidence (nil when it gave no value) and whether the
/// value is the one it may accept.
public struct ScoredField: Sendable, Equatable {
    public var confidence: Double?
    public var correct: Bool

    public init(confidence: Double?, correct: Bool) {
        self.confidence = confidence
        self.correct = correct
    }
}

public struct ErrorRejectCurve: Sendable {
    public struct Point: Sendable, Equatable {
        public var threshold: Double
        public var fields: Int
        public var accepted: Int
        public var wrong: Int
        /// Wrong acceptances the confidences predict: Σ (1 − confidence) over the accepted.
        public var expectedWrong: Double
        /// Wrong among accepted.
        public var errorRate: Double { ratio(wrong, accepted) }
        /// Not accepted, i.e. sent to a person, among all fields.
        public var verificationShare: Double { ratio(fields - accepted, fields) }
        /// The error rate among accepted that the confidences predict.
        public var expectedErrorRate: Double { accepted > 0 ? expectedWrong / Double(accepted) : 0 }
        /// 95 % upper bound of the error rate when none was seen (rule of three), else nil.
        public var upperBoundIfNoErrors: Double? { wrong == 0 && accepted > 0 ? 3 / Double(accepted) : nil }
    }

    /// From 0.5 to 0.9999, denser where the errors thin out.
    public static let thresholds = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9999]
    /// The suggestion is taken from the grid k / 10,000.
    static let grid = 10_000.0

    public let scores: [ScoredField]

    public init(_ scores: [ScoredField]) { self.scores = scores }

    public func point(at threshold: Double) -> Point {
        let accepted = scores.filter { ($0.confidence ?? -1) >= threshold }
        return Point(threshold: threshold, fields: scores.count, accepted: accepted.count,
                     wrong: accepted.filter { !$0.correct }.count,
                     expectedWrong: accepted.reduce(0) { $0 + 1 - ($1.confidence ?? 0) })
    }

    /// The table's points, with `current` (the run's threshold) among them.
    public func points(including current: Double) -> [Point] {
        Set(Self.thresholds + [current]).sorted().map(point(at:))
    }

    /// The smallest threshold on the 1e-4 grid in [0.5, 0.9999] that accepts no wrong value in this
    /// run; nil when even 0.9999 lets one through.
    public var suggestedThreshold: Double? {
        guard let worst = scores.filter({ !$0.correct }).compactMap(\.confidence).max() else { return Self.thresholds[0] }
        // The first grid step above the most confident wrong value (checked, not trusted to rounding).
        var k = max(Self.thresholds[0] * Self.grid, (worst * Self.grid).rounded(.down))
        while k / Self.grid <= worst { k += 1 }
        return k / Self.grid <= Self.thresholds.last! ? k / Self.grid : nil
    }

    /// The smallest threshold on the 1e-4 grid in [0.5, 0.9999] at which the confidences predict
    /// fewer than `rate` wrong acceptances per field (Σ 1 − confidence over the accepted ÷ all
    /// fields): the criterion for a default threshold, which a run this size cannot count.
    /// The prediction falls as the threshold rises, so a bisection finds it; nil when even 0.9999
    /// predicts more. Exact at the reader's own threshold; elsewhere the reader would have asked
    /// its committee about somewhat different fields, so confirm the choice with a run at it.
    public func threshold(predictingBelow rate: Double) -> Double? {
        func meets(_ k: Double) -> Bool {
            let p = point(at: k / Self.grid)
            return p.expectedWrong < rate * Double(max(p.fields, 1))
        }
        var lo = Self.thresholds[0] * Self.grid, hi = Self.thresholds.last! * Self.grid
        guard meets(hi) else { return nil }
        if meets(lo) { return lo / Self.grid }
        while hi - lo > 1 {  // meets(hi) and not meets(lo)
            let mid = ((lo + hi) / 2).rounded(.down)
            if meets(mid) { hi = mid } else { lo = mid }
        }
        return hi / Self.grid
    }
}
