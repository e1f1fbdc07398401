// Synthetic handwritten digits for tests: polylines with a round pen, rendered with 4 x 4
// supersampled coverage. There are no MNIST files in the test bundle, so these stand in for
// them: `mnist` lays a glyph out the way MNIST did (longer side 20 px, centre of mass moved to
// pixel (14, 14) by a whole-pixel shift), `onCanvas` writes one into a scan-sized crop.
import BlankettSupport
import DigitImage
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

struct Glyph {
    /// Strokes in a box about 1 unit tall, y down.
    var strokes: [[(x: Float, y: Float)]]
    /// Pen radius in units of the glyph's height.
    var pen: Float

    static func digit(_ d: Int) -> Glyph {
        Glyph(strokes: shapes[d], pen: 0.065)
    }

    /// `d` with its points jittered, slanted and its pen varied, like another writer's.
    static func digit(_ d: Int, varied rng: inout SeededGenerator) -> Glyph {
        let slant = rng.uniform(-0.25, 0.25)
        let strokes = shapes[d].map { stroke in
            stroke.map { p in
                (x: p.x + slant * (0.5 - p.y) + 0.03 * rng.gaussian(), y: p.y + 0.03 * rng.gaussian())
            }
        }
        return Glyph(strokes: strokes, pen: rng.uniform(0.05, 0.085))
    }

    private static func ellipse(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float) -> [(x: Float, y: Float)] {
        (0...24).map { i in
            let t = Float(i) / 24 * 2 * .pi
            return (x: cx + rx * sinf(t), y: cy - ry * cosf(t))
        }
    }

    private static let shapes: [[[(x: Float, y: Float)]]] = [
        [ellipse(0.5, 0.5, 0.3, 0.5)],
        [[(0.3, 0.18), (0.52, 0), (0.52, 1)]],
        [[(0.2, 0.22), (0.32, 0.05), (0.5, 0), (0.7, 0.05), (0.8, 0.24), (0.7, 0.45), (0.2, 1), (0.85, 1)]],
        [[(0.2, 0.06), (0.5, 0), (0.75, 0.1), (0.75, 0.33), (0.45, 0.48)],
         [(0.45, 0.48), (0.8, 0.64), (0.8, 0.88), (0.5, 1), (0.18, 0.94)]],
        [[(0.55, 0), (0.15, 0.66), (0.85, 0.66)], [(0.66, 0.3), (0.66, 1)]],
        [[(0.8, 0), (0.32, 0), (0.27, 0.45), (0.55, 0.4), (0.78, 0.52), (0.8, 0.78), (0.58, 0.98), (0.32, 1),
          (0.15, 0.9)]],
        [[(0.72, 0), (0.42, 0.18), (0.22, 0.55), (0.25, 0.86), (0.5, 1), (0.75, 0.86), (0.78, 0.62), (0.5, 0.5),
          (0.24, 0.62)]],
        [[(0.15, 0), (0.85, 0), (0.4, 1)]],
        [ellipse(0.5, 0.24, 0.22, 0.24), ellipse(0.5, 0.73, 0.28, 0.27)],
        [ellipse(0.5, 0.28, 0.27, 0.28), [(0.77, 0.28), (0.7, 1)]],
    ]

    /// Bounds of the pen's path, pen included.
    var bounds: (x0: Float, y0: Float, x1: Float, y1: Float) {
        let points = strokes.flatMap { $0 }
        return (points.map { $0.x }.min()! - pen, points.map { $0.y }.min()! - pen,
                points.map { $0.x }.max()! + pen, points.map { $0.y }.max()! + pen)
    }

    /// Draws the glyph into `image` with ink `level`, mapping glyph point p to pixel-space
    /// (continuous, pixel i spans [i, i+1)) `origin + scale * p`.
    func draw(into image: inout InkImage, scale: Float, originX: Float, originY: Float, level: Float = 1) {
        typealias Point = (Float, Float)
        let placed: [[Point]] = strokes.map { s in
            s.map { p -> Point in (originX + scale * p.x, originY + scale * p.y) }
        }
        var segments: [(Point, Point)] = []
        for s in placed { segments += zip(s, s.dropFirst()).map { ($0, $1) } }
        let r = pen * scale
        let xs = placed.flatMap { $0.map { $0.0 } }, ys = placed.flatMap { $0.map { $0.1 } }
        let x0 = max(0, Int(xs.min()! - r) - 1), x1 = min(image.width - 1, Int(xs.max()! + r) + 1)
        let y0 = max(0, Int(ys.min()! - r) - 1), y1 = min(image.height - 1, Int(ys.max()! + r) + 1)
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                var hits = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let px = Float(x) + (Float(sx) + 0.5) / 4, py = Float(y) + (Float(sy) + 0.5) / 4
                        if segments.contains(where: { distance(px, py, $0.0, $0.1) <= r }) { hits += 1 }
                    }
                }
                image[x, y] = max(image[x, y], level * Float(hits) / 16)
            }
        }
    }

    /// MNIST layout: longer side 20 px, then a whole-pixel shift putting the centre of mass at (14, 14).
    func mnist() -> InkImage {
        let b = bounds
        let scale = 20 / max(b.x1 - b.x0, b.y1 - b.y0)
        let ox = 4 + (20 - scale * (b.x1 - b.x0)) / 2 - scale * b.x0
        let oy = 4 + (20 - scale * (b.y1 - b.y0)) / 2 - scale * b.y0
        var first = InkImage.zeros(width: 28, height: 28)
        draw(into: &first, scale: scale, originX: ox, originY: oy)
        let (cx, cy) = centreOfMass(first.ink, width: 28)
        var image = InkImage.zeros(width: 28, height: 28)
        draw(into: &image, scale: scale, originX: ox + (14 - cx).rounded(), originY: oy + (14 - cy).rounded())
        return image
    }

    /// The glyph `height` px tall with its box's top-left at (x, y) on a blank `width` x `canvasHeight` crop.
    func onCanvas(width: Int, height canvasHeight: Int, x: Float, y: Float, height: Float,
                  level: Float = 1) -> InkImage {
        var image = InkImage.zeros(width: width, height: canvasHeight)
        let b = bounds
        let scale = height / (b.y1 - b.y0)
        draw(into: &image, scale: scale, originX: x - scale * b.x0, originY: y - scale * b.y0, level: level)
        return image
    }
}

private func distance(_ px: Float, _ py: Float, _ a: (Float, Float), _ b: (Float, Float)) -> Float {
    let dx = b.0 - a.0, dy = b.1 - a.1
    let len2 = dx * dx + dy * dy
    let t = len2 > 0 ? min(max(((px - a.0) * dx + (py - a.1) * dy) / len2, 0), 1) : 0
    let ex = px - a.0 - t * dx, ey = py - a.1 - t * dy
    return (ex * ex + ey * ey).squareRoot()
}

/// Centre of mass in pixel-index coordinates (pixel i's centre is at i).
func centreOfMass(_ ink: [Float], width: Int) -> (x: Float, y: Float) {
    var m: Float = 0, mx: Float = 0, my: Float = 0
    for (i, v) in ink.enumerated() {
        m += v; mx += v * Float(i % width); my += v * Float(i / width)
    }
    return (mx / m, my / m)
}

/// Width and height of the box holding every value above `floor`.
func inkBoxSize(_ ink: [Float], width: Int, floor: Float = 0) -> (width: Int, height: Int) {
    let on = ink.indices.filter { ink[$0] > floor }
    let xs = on.map { $0 % width }, ys = on.map { $0 / width }
    return (xs.max()! - xs.min()! + 1, ys.max()! - ys.min()! + 1)
}

func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
}
