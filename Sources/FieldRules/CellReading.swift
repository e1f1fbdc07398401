// What the reader knows about one comb cell: P(empty) from the extraction step and the CNN's
// calibrated distribution over the ten digits given that something is written.
//
// Why normalised on construction: the decoder's confidence relies on each cell's eleven outcomes
// (empty, 0…9) summing to one, so that the mass of all invalid readings is exactly one minus the
// mass of the valid ones. A cell whose numbers are unusable (NaN, all zero) is read as saying
// nothing, rather than crashing a batch or pretending to certainty.
public struct CellReading: Sendable {
    public let empty: Double
    /// P(digit d | something is written), d = 0…9; sums to 1.
    public let digits: [Double]

    public init(empty: Double, digits: [Double]) {
        precondition(digits.count == 10, "a cell has ten digit probabilities")
        let clean = digits.map { $0.isFinite ? max(0, $0) : 0 }
        let sum = clean.reduce(0, +)
        self.empty = empty.isNaN ? 0.5 : min(max(empty, 0), 1)
        self.digits = sum > 0 ? clean.map { $0 / sum } : Array(repeating: 0.1, count: 10)
    }

    /// P(cell = d) = (1 − empty) · digits[d].
    public func probability(ofDigit d: Int) -> Double { (1 - empty) * digits[d] }

    /// The cell's single most probable outcome on its own; symbol -1 is "empty".
    var mostLikely: (symbol: Int, probability: Double) {
        var best = (symbol: -1, probability: empty)
        for d in 0...9 where probability(ofDigit: d) > best.probability { best = (d, probability(ofDigit: d)) }
        return best
    }
}
