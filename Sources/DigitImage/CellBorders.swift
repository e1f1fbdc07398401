// Remnants of the printed comb lines: broken, faint, thin straight segments where the cell's
// border runs through the crop.
//
// Why: the form reader removes the mid-grey comb before it cuts out a cell, but removal is
// never complete: pieces survive where the line was printed darker, where the scan is skewed,
// or next to ink. The normaliser drops remnants that stay clear of the digit and keeps those a
// stroke touches (it cannot tell them apart). Training on crops with remnants teaches the
// network both: to ignore what survives the normaliser and to expect it.

import BlankettSupport

enum CellBorders {
    /// Line centres of the cell, in canvas coordinates (pixel i spans [i, i+1)).
    struct Cell {
        var left: Float, right: Float, top: Float, bottom: Float
    }

    /// Each of the four lines, with probability `share`, leaves 1-3 pieces of 10-60% of the
    /// crop's length, 0.15-0.35 mm thick, ink 0.3-0.7, displaced up to 0.25 mm. (The PM 7001
    /// comb is 0.25 mm of grey 110, ink 0.57; scanning blurs and darkens or lightens it.)
    static func drawRemnants(_ image: inout InkImage, cell: Cell, pixelsPerMM ppm: Float, share: Float,
                             using rng: inout SeededGenerator) {
        for (position, vertical) in [(cell.left, true), (cell.right, true), (cell.top, false), (cell.bottom, false)]
        where rng.unit() < share {
            let centre = position + rng.uniform(-0.25, 0.25) * ppm
            let half = max(0.3, rng.uniform(0.075, 0.175) * ppm)
            let level = rng.uniform(0.3, 0.7)
            let length = Float(vertical ? image.height : image.width)
            for _ in 0..<(1 + Int(rng.unit() * 3)) {
                let start = rng.uniform(-0.1, 0.9) * length
                let end = min(start + rng.uniform(0.1, 0.6) * length, length)
                draw(&image, centre: centre, half: half, from: max(start, 0), to: end, level: level, vertical: vertical)
            }
        }
    }

    /// An axis-aligned bar; across it, each pixel's ink is its coverage, so thin lines stay faint.
    private static func draw(_ image: inout InkImage, centre: Float, half: Float, from: Float, to: Float,
                             level: Float, vertical: Bool) {
        let across = vertical ? image.width : image.height
        let lo = centre - half, hi = centre + half
        let a0 = max(0, Int(lo.rounded(.down))), a1 = min(across, Int(hi.rounded(.up)))
        guard a0 < a1 else { return }
        for a in a0..<a1 {
            let value = level * (min(hi, Float(a + 1)) - max(lo, Float(a)))
            for b in Int(from)..<Int(to.rounded(.up)) {
                let (x, y) = vertical ? (a, b) : (b, a)
                image[x, y] = max(image[x, y], value)
            }
        }
    }
}
