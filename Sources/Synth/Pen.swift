// The pen one applicant fills the whole page with: its colour, how bold it writes, and the
// writer's slant.
//
// Why one pen per page: people fill a form in one sitting with one pen, so a page whose digits
// switch between black and blue, or between hairline and felt tip, would be easier than real
// pages for nothing. Digits still vary one by one around the pen's values (Handwriting.swift).
// Tones are on the page's scale, paper 255: black ink 20–50, blue ballpoint 80–120 as it comes
// out of a grey scan.
import BlankettSupport

struct Pen {
    private(set) var tone: UInt8
    /// Stroke width of check marks and the signature, mm.
    let width: Double
    /// Ink threshold on the MNIST grey levels (0...1): lower writes bolder digits.
    let digitThreshold: Double
    /// Horizontal shear of digits and signature, x per unit of height up.
    let slant: Double

    init(using rng: inout SeededGenerator) {
        tone = rng.chance(0.6) ? UInt8(20 + rng.below(31)) : UInt8(80 + rng.below(41))
        width = rng.between(0.35, 0.8)
        digitThreshold = rng.between(0.2, 0.6)
        slant = rng.normal(0.12)
    }

    /// A pencil, as the harsh scanner profile draws one: light grey and thin.
    init(pencilUsing rng: inout SeededGenerator) {
        tone = UInt8(95 + rng.below(41))
        width = rng.between(0.3, 0.5)
        digitThreshold = rng.between(0.4, 0.65)
        slant = rng.normal(0.12)
    }

    /// The same pen filled with other ink (the stroke writer's pencil, say).
    func with(tone: UInt8) -> Pen {
        var pen = self
        pen.tone = tone
        return pen
    }
}
