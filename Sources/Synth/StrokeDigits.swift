// The digits 0–9 as pen strokes: for each digit several allographs (the style variants people
// actually write), each a list of strokes given by control points that a Catmull-Rom spline
// passes through, in a box one unit high (y down, x from 0 to about 0.6).
//
// Why skeletons and not images or fonts: the reader must learn digit *shapes*, drawn the way a
// hand draws them (stroke order, pen lifts, loops that close or not), and MNIST's American
// writers rarely used the continental forms Swedes born before 1935 learnt at school: the 1
// with a flag or a long up-stroke and a foot, the crossed 7 with a hooked top, the open 4, the
// 9 with a straight tail, the flat-topped 3. A font would be a printed shape, and forms written
// in fonts must stay a fair test, so nothing here comes from a font or any file. Points marked
// as corners end one spline piece and start the next, where the pen turns sharply without
// lifting (the top of a 7, the tip of a flag).
import Foundation

struct Allograph: Sendable {
    /// "7-crossed", …: recorded in the truth per digit written.
    let name: String
    /// Pen-down strokes in writing order; each is split into smooth pieces at its corners.
    let strokes: [[StrokePoint]]
}

struct StrokePoint: Sendable {
    var x: Double
    var y: Double
    /// The pen turns sharply here: the spline does not run smoothly through.
    var corner = false
}

enum StrokeDigits {
    /// allographs[d]: the styles of digit d.
    static let allographs: [[Allograph]] = [zeros, ones, twos, threes, fours, fives, sixes, sevens, eights, nines]

    private static func s(_ x: Double, _ y: Double) -> StrokePoint { StrokePoint(x: x, y: y) }
    private static func c(_ x: Double, _ y: Double) -> StrokePoint { StrokePoint(x: x, y: y, corner: true) }

    /// An elliptic loop from angle `from` (radians, 0 = right, y down so +π/2 is the bottom)
    /// through `turn` radians, in steps of about 45°.
    private static func loop(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, from: Double, turn: Double) -> [StrokePoint] {
        let steps = max(2, Int((abs(turn) / (.pi / 4)).rounded()))
        return (0...steps).map { i in
            let a = from + turn * Double(i) / Double(steps)
            return s(cx + rx * cos(a), cy + ry * sin(a))
        }
    }

    private static let zeros = [
        // Counter-clockwise from the top, closing with a small overlap.
        Allograph(name: "0-oval", strokes: [loop(0.30, 0.5, 0.28, 0.48, from: -.pi / 2 - 0.2, turn: -2 * .pi - 0.5)]),
        // Narrow and not quite closed at the top, as a quick hand leaves it.
        Allograph(name: "0-open", strokes: [loop(0.24, 0.5, 0.21, 0.49, from: -.pi / 2 + 0.25, turn: -2 * .pi + 0.45)]),
    ]

    private static let ones = [
        Allograph(name: "1-plain", strokes: [[s(0.06, 0), s(0.05, 1)]]),
        // A short flag up to the top, then straight down.
        Allograph(name: "1-flag", strokes: [[s(0, 0.24), c(0.17, 0), s(0.16, 0.5), s(0.15, 1)]]),
        Allograph(name: "1-flag-foot", strokes: [[s(0, 0.24), c(0.17, 0), s(0.16, 0.5), s(0.15, 1)], [s(-0.02, 1), s(0.33, 0.99)]]),
        // The long up-stroke from mid-height, a stem and a foot.
        Allograph(name: "1-upstroke-foot", strokes: [[s(0, 0.48), c(0.3, 0), s(0.3, 0.5), s(0.29, 1)], [s(0.1, 1), s(0.48, 0.99)]]),
        // Up-stroke almost as long as the stem: an inverted V.
        Allograph(name: "1-inverted-v", strokes: [[s(0, 0.68), s(0.12, 0.32), c(0.25, 0), s(0.3, 0.5), s(0.33, 1)]]),
    ]

    private static let twos = [
        Allograph(name: "2-plain", strokes: [[s(0.04, 0.24), s(0.22, 0.02), s(0.46, 0.1), s(0.5, 0.32), s(0.3, 0.62),
                                              c(0.02, 0.98), s(0.3, 0.97), s(0.6, 0.98)]]),
        // A small loop where the diagonal meets the base.
        Allograph(name: "2-loop", strokes: [[s(0.04, 0.24), s(0.22, 0.02), s(0.46, 0.1), s(0.5, 0.32), s(0.3, 0.62), s(0.1, 0.86),
                                             s(0.08, 0.98), s(0.2, 0.97), s(0.22, 0.86), s(0.13, 0.84), s(0.12, 0.94),
                                             s(0.36, 0.99), s(0.6, 0.96)]]),
        // Round top, straight diagonal, sharp turn into the base.
        Allograph(name: "2-straight", strokes: [[s(0.02, 0.2), s(0.22, 0.02), s(0.46, 0.06), c(0.52, 0.24), c(0.04, 0.98), s(0.6, 0.98)]]),
    ]

    private static let threes = [
        Allograph(name: "3-round", strokes: [[s(0.06, 0.14), s(0.28, 0), s(0.48, 0.12), s(0.44, 0.34), c(0.22, 0.47), s(0.48, 0.6),
                                              s(0.54, 0.8), s(0.34, 0.98), s(0.04, 0.9)]]),
        // The continental 3 with a flat top, like a ʒ.
        Allograph(name: "3-flat-top", strokes: [[c(0.04, 0.02), c(0.52, 0.02), c(0.2, 0.4), s(0.46, 0.5), s(0.55, 0.74),
                                                 s(0.38, 0.97), s(0.04, 0.9)]]),
    ]

    private static let fours = [
        // Open at the top: an L, then the upright crossing its foot.
        Allograph(name: "4-open", strokes: [[c(0.06, 0), c(0.04, 0.62), s(0.62, 0.62)], [s(0.44, 0.14), s(0.44, 1)]]),
        Allograph(name: "4-open-slanted", strokes: [[c(0.24, 0), c(0.02, 0.64), s(0.62, 0.63)], [s(0.46, 0.2), s(0.45, 1)]]),
        // Closed: the diagonal starts at the top of the upright.
        Allograph(name: "4-closed", strokes: [[c(0.44, 0), c(0.02, 0.66), s(0.62, 0.65)], [s(0.44, 0), s(0.44, 1)]]),
    ]

    private static let fivesBowl = [c(0.07, 0.44), s(0.3, 0.37), s(0.52, 0.5), s(0.55, 0.76), s(0.36, 0.97), s(0.03, 0.88)]
    private static let fives = [
        // Stem and bowl, then the flag as a second stroke.
        Allograph(name: "5-plain", strokes: [[s(0.12, 0)] + fivesBowl, [s(0.12, 0.01), s(0.58, 0)]]),
        // The flag first, right to left, without lifting the pen.
        Allograph(name: "5-one-stroke", strokes: [[s(0.58, 0), c(0.12, 0.02)] + fivesBowl]),
    ]

    private static let sixes = [
        Allograph(name: "6-round", strokes: [[s(0.48, 0.03), s(0.22, 0.18), s(0.06, 0.52), s(0.12, 0.88), s(0.3, 0.99), s(0.5, 0.86),
                                              s(0.5, 0.64), s(0.3, 0.52), s(0.1, 0.62)]]),
        // A straight stroke down into the loop.
        Allograph(name: "6-straight", strokes: [[s(0.46, 0), s(0.08, 0.66), s(0.14, 0.92), s(0.32, 0.99), s(0.5, 0.86), s(0.48, 0.64),
                                                 s(0.28, 0.55), s(0.09, 0.66)]]),
    ]

    private static let sevenTop = [c(0.03, 0.03), c(0.58, 0.02), s(0.4, 0.45), s(0.24, 1)]
    private static let sevenHooked = [s(0, 0.2)] + sevenTop
    private static let sevenBar = [s(0.16, 0.52), s(0.56, 0.5)]
    private static let sevens = [
        Allograph(name: "7-plain", strokes: [sevenTop]),
        Allograph(name: "7-crossed", strokes: [sevenTop, sevenBar]),
        // A short down-stroke at the left end of the top bar.
        Allograph(name: "7-hooked", strokes: [sevenHooked]),
        Allograph(name: "7-crossed-hooked", strokes: [sevenHooked, sevenBar]),
    ]

    private static let eights = [
        // One stroke: an S down and back up again.
        Allograph(name: "8-one-stroke", strokes: [[s(0.48, 0.12), s(0.28, 0), s(0.08, 0.14), s(0.14, 0.36), s(0.46, 0.6),
                                                   s(0.52, 0.84), s(0.3, 0.99), s(0.06, 0.84), s(0.14, 0.6), s(0.44, 0.36),
                                                   s(0.48, 0.14), s(0.36, 0.03)]]),
        // Two stacked loops, the smaller on top.
        Allograph(name: "8-two-loops", strokes: [loop(0.3, 0.23, 0.2, 0.22, from: .pi / 2, turn: -2 * .pi - 0.3),
                                                 loop(0.3, 0.72, 0.27, 0.26, from: -.pi / 2, turn: 2 * .pi + 0.3)]),
    ]

    private static let ninesHead = [s(0.5, 0.16), s(0.3, 0.02), s(0.08, 0.14), s(0.08, 0.38), s(0.28, 0.48), s(0.48, 0.38), c(0.53, 0.05)]
    private static let nines = [
        // The head, then a straight tail down the right side.
        Allograph(name: "9-straight", strokes: [ninesHead + [s(0.52, 0.5), s(0.5, 1)]]),
        Allograph(name: "9-curved", strokes: [ninesHead + [s(0.53, 0.55), s(0.45, 0.88), s(0.27, 1), s(0.08, 0.92)]]),
        Allograph(name: "9-slanted", strokes: [ninesHead + [s(0.44, 0.55), s(0.32, 1)]]),
    ]
}
