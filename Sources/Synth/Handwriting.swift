// Handwritten digits in comb cells, made from MNIST digits.
//
// Each digit is an affine warp of one MNIST image into the cell: scaled so its ink is 55–90 %
// of the cell's height, slanted (the writer's slant plus a little per digit), turned slightly,
// and placed with some jitter around the cell centre; about one digit in twelve strays far
// enough to cross the grey cell line. The warp is inverse-mapped: every page pixel near the
// cell looks up the MNIST grey level bilinearly, and a threshold on it sets the stroke weight
// (a low threshold widens the stroke, as a softer pen does), with a soft anti-aliased edge.
//
// Why MNIST test digits for every page that measures the reader (SynthOptions.digits): the
// network learns from training digits, and a digit it has seen would make the synthetic
// evaluation flatter than real scans.
import BlankettSupport
import DigitImage
import Foundation
import MNIST

struct Handwriting {
    let digits: MNISTSet
    /// MNIST indices of each label, to draw "a 7" at random.
    let byLabel: [[Int]]

    init(digits: MNISTSet, indices: Range<Int>) {
        self.digits = digits
        var byLabel = [[Int]](repeating: [], count: 10)
        for i in indices { byLabel[Int(digits.labels[i])].append(i) }
        self.byLabel = byLabel
    }

    /// Writes `values` into `cells` ([x, y, w, h] mm) in order; returns the MNIST indices used.
    func write(_ values: [Int], in cells: ArraySlice<[Double]>, on canvas: inout PageCanvas, pen: Pen,
               using rng: inout SeededGenerator) -> [Int] {
        zip(values, cells).map { value, cell in
            let index = rng.pick(byLabel[value])
            draw(InkImage(mnist: digits.image(index), side: MNISTSet.side), in: cell, on: &canvas, pen: pen, using: &rng)
            return index
        }
    }

    private func draw(_ digit: InkImage, in cell: [Double], on canvas: inout PageCanvas, pen: Pen,
                      using rng: inout SeededGenerator) {
        guard let box = Self.inkBox(digit) else { return }
        let s = canvas.pixelsPerMM
        let (cellW, cellH) = (cell[2] * s, cell[3] * s)
        var (cx, cy) = ((cell[0] + cell[2] / 2) * s + rng.normal(0.05 * cellW), (cell[1] + cell[3] / 2) * s + rng.normal(0.05 * cellH))
        if rng.chance(1.0 / 12) {
            cx += (rng.chance(0.5) ? 1 : -1) * rng.between(0.1, 0.18) * cellW
            cy += rng.between(-0.05, 0.15) * cellH
        }
        // Ink 55–90 % of the cell's height, unless that would make a wide digit overfill the cell.
        let scale = min(rng.between(0.55, 0.90) * cellH / (box.y1 - box.y0), rng.between(0.75, 1.0) * cellW / (box.x1 - box.x0))
        let (sx, sy) = (scale * rng.between(0.88, 1.12), scale)
        let shear = min(max(pen.slant + rng.normal(0.08), -0.45), 0.45)
        let angle = rng.normal(2.5) * .pi / 180
        // Page = centre + R · Shear · S · (digit − digit centre); the inverse maps back.
        let (co, si) = (cos(angle), sin(angle))
        let (a, b, c, d) = (co * sx, (co * -shear - si) * sy, si * sx, (si * -shear + co) * sy)
        let det = a * d - b * c
        let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det)
        let (mx, my) = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        let corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)].map { x, y in
            (cx + a * (x - mx) + b * (y - my), cy + c * (x - mx) + d * (y - my))
        }
        let threshold = min(max(pen.digitThreshold + rng.normal(0.04), 0.1), 0.7)
        // The soft edge is two page pixels wide whatever the enlargement from 28 pixels (MNIST's
        // own edge ramps from 0 to 1 over about one of its pixels), but never reaches down to
        // level 0, so the paper around the digit stays untouched.
        let halfEdge = min(1 / scale, 0.9 * threshold)
        canvas.darken(x0: Int(corners.map(\.0).min()!) - 2, y0: Int(corners.map(\.1).min()!) - 2,
                      x1: Int(corners.map(\.0).max()!) + 3, y1: Int(corners.map(\.1).max()!) + 3, tone: pen.tone) { x, y in
            let (u, v) = (x - cx, y - cy)
            let level = Self.bilinear(digit, ia * u + ib * v + mx, ic * u + id * v + my)
            return (level - threshold) / (2 * halfEdge) + 0.5
        }
    }

    /// Bounds of the digit's ink in continuous pixel coordinates (pixel i spans [i, i + 1)),
    /// one pixel of margin included so the bilinear fringe is not cut.
    private static func inkBox(_ digit: InkImage) -> (x0: Double, y0: Double, x1: Double, y1: Double)? {
        var (x0, y0, x1, y1) = (Int.max, Int.max, Int.min, Int.min)
        for y in 0..<digit.height {
            for x in 0..<digit.width where digit[x, y] > 0.2 {
                (x0, y0, x1, y1) = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
            }
        }
        guard x0 <= x1 else { return nil }
        return (Double(x0) - 0.5, Double(y0) - 0.5, Double(x1) + 1.5, Double(y1) + 1.5)
    }

    /// The ink level at continuous position (x, y); 0 outside the image.
    private static func bilinear(_ digit: InkImage, _ x: Double, _ y: Double) -> Double {
        let (fx, fy) = (x - 0.5, y - 0.5)
        let (x0, y0) = (Int(fx.rounded(.down)), Int(fy.rounded(.down)))
        let (tx, ty) = (fx - Double(x0), fy - Double(y0))
        func at(_ x: Int, _ y: Int) -> Double {
            x >= 0 && y >= 0 && x < digit.width && y < digit.height ? Double(digit[x, y]) : 0
        }
        let top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * tx
        let bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * tx
        return top + (bottom - top) * ty
    }
}
