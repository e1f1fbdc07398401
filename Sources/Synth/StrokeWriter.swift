// One applicant's hand, writing digits into comb cells with the pen-trajectory model: the
// writer's habits (which allograph of each digit, slant, size, width to height, stroke width,
// pressure swing, tremor, ballpoint or pencil, and their own version of every shape) are drawn
// once per page; every digit then varies a little around them (position, size, slant, angle,
// each control point), so no two digits are alike.
//
// Why habits per writer: a person writes the same 7 throughout a form, and a page whose digits
// switch style would be both unlike real pages and easier (one unusual digit among familiar
// ones). The ranges cover what elderly writers produce: steady or shaky (tremor of a few tenths
// of a millimetre), upright or slanted, cramped or large enough to cross the cell lines, fine
// ballpoint to heavy pen that fills small loops, and light, grainy pencil.
import BlankettSupport
import Foundation

struct StrokeWriter {
    /// allograph[d]: the index into StrokeDigits.allographs[d] this writer habitually uses.
    let allograph: [Int]
    let slant: Double
    /// Digit height as a share of the cell's height.
    let size: Double
    /// Width relative to the skeleton's.
    let aspect: Double
    /// Stroke width at usual pressure, mm.
    let width: Double
    let tone: UInt8
    /// 0 for ink; up to about 0.45 for patchy pencil.
    let grain: Double
    let pressureSwing: Double
    /// Tremor peak (mm) and wavelength along the path (mm).
    let tremor: Double
    let tremorWavelength: Double
    /// How far (in skeleton units) the writer's own shapes depart from the skeletons.
    let habitJitter: Double
    private let habitSeed: UInt64

    /// Drawn after `pen`, whose tone, width and slant the writer starts from.
    init(pen: Pen, using rng: inout SeededGenerator) {
        allograph = StrokeDigits.allographs.map { rng.below($0.count) }
        slant = min(max(pen.slant + rng.normal(0.1), -0.3), 0.55)
        switch rng.below(6) {
        case 0: (size, aspect) = (rng.between(0.42, 0.58), rng.between(0.7, 1.0))    // cramped
        case 1: (size, aspect) = (rng.between(0.85, 1.02), rng.between(0.9, 1.3))    // large
        default: (size, aspect) = (rng.between(0.58, 0.88), rng.between(0.75, 1.25))
        }
        if rng.chance(0.2) {
            // Pencil: grey graphite, a finer line, grain from the paper's tooth. As dark as blue
            // ballpoint at most (60–110): lighter than the comb's grey lines (110), a whole page
            // of digits would vanish with them, which no applicant's pencil does.
            tone = UInt8(60 + rng.below(51))
            width = rng.between(0.25, 0.55)
            grain = rng.between(0.15, 0.45)
        } else {
            tone = pen.tone
            width = min(pen.width * rng.between(0.6, 1.5), 1.1)
            grain = 0
        }
        pressureSwing = rng.between(0, 0.35)
        let shaky = rng.chance(0.3)
        tremor = shaky ? rng.between(0.06, 0.18) : rng.between(0.01, 0.05)
        tremorWavelength = shaky ? rng.between(1.5, 3.5) : rng.between(3, 8)
        habitJitter = rng.between(0.01, 0.035)
        habitSeed = rng.next()
    }

    /// The pen with this writer's ink, for the check marks and the signature on the same page.
    func pen(_ pen: Pen) -> Pen { pen.with(tone: tone) }

    /// Writes `values` into `cells` ([x, y, w, h] mm) in order; returns the allograph names used.
    func write(_ values: [Int], in cells: ArraySlice<[Double]>, on canvas: inout PageCanvas,
               using rng: inout SeededGenerator) -> [String] {
        zip(values, cells).map { value, cell in
            // Now and then a writer slips into another form of the digit.
            let styles = StrokeDigits.allographs[value]
            let index = rng.chance(0.08) ? rng.below(styles.count) : allograph[value]
            draw(styles[index], habit: UInt64(value * 16 + index), in: cell, on: &canvas, using: &rng)
            return styles[index].name
        }
    }

    func draw(_ glyph: Allograph, habit: UInt64, in cell: [Double], on canvas: inout PageCanvas,
              using rng: inout SeededGenerator) {
        let s = canvas.pixelsPerMM
        // The writer's own version of this shape, the same every time they write it.
        var own = SeededGenerator(seed: habitSeed).derived(habit)
        let jitter = habitJitter, extra = 0.012
        let strokes = glyph.strokes.map { stroke in
            stroke.map { p in
                StrokePoint(x: p.x + own.normal(jitter) + rng.normal(extra), y: p.y + own.normal(jitter) + rng.normal(extra), corner: p.corner)
            }
        }
        let all = strokes.joined()
        let (minX, maxX) = (all.map(\.x).min()!, all.map(\.x).max()!)
        let (minY, maxY) = (all.map(\.y).min()!, all.map(\.y).max()!)
        let (cellW, cellH) = (cell[2] * s, cell[3] * s)
        var (cx, cy) = ((cell[0] + cell[2] / 2) * s + rng.normal(0.05 * cellW), (cell[1] + cell[3] / 2) * s + rng.normal(0.05 * cellH))
        if rng.chance(1.0 / 12) {
            cx += (rng.chance(0.5) ? 1 : -1) * rng.between(0.1, 0.18) * cellW
            cy += rng.between(-0.05, 0.15) * cellH
        }
        // Height as the writer writes, unless that would make a wide digit overfill the cell.
        let height = min(size * (1 + rng.normal(0.06)) * cellH, rng.between(0.8, 1.05) * cellW / max((maxX - minX) * aspect, 0.2))
        let (sx, sy) = (height / max(maxY - minY, 0.2) * aspect * (1 + rng.normal(0.05)), height / max(maxY - minY, 0.2))
        let shear = slant + rng.normal(0.05)
        let angle = rng.normal(2.5) * .pi / 180
        let (co, si) = (cos(angle), sin(angle))
        let (mx, my) = ((minX + maxX) / 2, (minY + maxY) / 2)
        let grainSeed = habitSeed ^ 0x5EED
        for stroke in strokes {
            let page = stroke.map { p -> StrokePoint in
                let (dy, dx0) = ((p.y - my) * sy, (p.x - mx) * sx)
                let dx = dx0 - shear * dy  // y grows downwards: the top leans right for a positive slant
                return StrokePoint(x: cx + co * dx - si * dy, y: cy + si * dx + co * dy, corner: p.corner)
            }
            let tremorPath = Wobble(amplitude: tremor * s, wavelength: tremorWavelength * s, using: &rng)
            let pressure = Wobble(amplitude: pressureSwing, wavelength: rng.between(4, 10) * s, using: &rng)
            let path = PenTrajectory.path(page, step: 1.5, tremor: tremorPath, pressure: pressure)
            canvas.inkTrail(path, width: width, tone: tone, grain: grain, grainSeed: grainSeed)
        }
    }
}
