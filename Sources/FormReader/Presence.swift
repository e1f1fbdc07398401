// Turning an ink area into a probability that something was written. Empty cells, unmarked
// boxes and unsigned boxes still carry specks, noise and remnants of their lines; a digit, a
// cross or a signature leaves far more ink. A logistic curve between the two keeps the decision
// soft, so the field decoder can weigh an unsure cell instead of trusting a hard threshold.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Presence: Sendable {
    /// Ink area (mm²) at which presence is even odds, and how sharply it turns.
    let midpointMM2: Double
    let spreadMM2: Double

    func probability(area: Double) -> Double { 1 / (1 + exp(-(area - midpointMM2) / spreadMM2)) }

    /// A digit stroke of 5 mm at 0.3 mm leaves 1.5 mm², a faint thin "1" still ~0.8 mm²; what an
    /// empty cell keeps after its lines are erased and specks filtered is dust, under 0.15 mm².
    static let digit = Presence(midpointMM2: 0.35, spreadMM2: 0.06)
    /// A tick of two short strokes leaves ~2 mm²; a box's line remnants well under 0.5 mm².
    static let checkMark = Presence(midpointMM2: 1.0, spreadMM2: 0.15)
    /// A signature is tens of mm² of strokes; noise on 36 cm² of paper stays under a few.
    static let signature = Presence(midpointMM2: 6, spreadMM2: 1)
}
