// The page being filled in: the 300 dpi blank, addressed in template millimetres.
//
// Why ink darkens (the minimum of the page and the ink) instead of covering: ballpoint and felt
// pen are translucent over printed lines, so a digit written across a grey comb line leaves the
// line visible, and two strokes crossing do not get darker than one. Edges are anti-aliased by
// pixel coverage, which is what a 300 dpi optical render of a pen stroke looks like.
import PageImage

struct PageCanvas {
    var image: GrayImage
    let pixelsPerMM: Double

    init(_ image: GrayImage, pageWidthMM: Double) {
        self.image = image
        pixelsPerMM = Double(image.width) / pageWidthMM
    }

    /// Lays ink of `tone` over the pixels of the rectangle (pixel indices, clipped to the page)
    /// with the coverage (0...1) `coverage` gives for each pixel centre in pixel coordinates.
    mutating func darken(x0: Int, y0: Int, x1: Int, y1: Int, tone: UInt8,
                         _ coverage: (_ x: Double, _ y: Double) -> Double) {
        let (w, h) = (image.width, image.height)
        let (lx, ly, hx, hy) = (max(x0, 0), max(y0, 0), min(x1, w), min(y1, h))
        guard lx < hx, ly < hy else { return }
        let depth = 255 - Double(tone)
        image.pixels.withUnsafeMutableBufferPointer { px in
            for y in ly..<hy {
                for x in lx..<hx {
                    let c = coverage(Double(x) + 0.5, Double(y) + 0.5)
                    guard c > 0 else { continue }
                    let inked = UInt8((255 - depth * min(c, 1)).rounded())
                    if inked < px[y * w + x] { px[y * w + x] = inked }
                }
            }
        }
    }

    /// A pen stroke through `points` (mm), `width` mm wide with round ends and joints.
    mutating func stroke(_ points: [(x: Double, y: Double)], width: Double, tone: UInt8) {
        let s = pixelsPerMM, r = width * s / 2
        for (p, q) in zip(points, points.dropFirst()) {
            let (ax, ay, bx, by) = (p.x * s, p.y * s, q.x * s, q.y * s)
            let (dx, dy) = (bx - ax, by - ay)
            let length2 = max(dx * dx + dy * dy, 1e-9)
            darken(x0: Int(min(ax, bx) - r - 1), y0: Int(min(ay, by) - r - 1),
                   x1: Int(max(ax, bx) + r + 2), y1: Int(max(ay, by) + r + 2), tone: tone) { x, y in
                let t = min(max(((x - ax) * dx + (y - ay) * dy) / length2, 0), 1)
                let (ex, ey) = (x - ax - t * dx, y - ay - t * dy)
                return r + 0.5 - (ex * ex + ey * ey).squareRoot()
            }
        }
    }

    /// A solid rectangle (mm) of ink, with partly covered edge pixels shaded by their share.
    mutating func fill(x: Double, y: Double, width: Double, height: Double, tone: UInt8) {
        let s = pixelsPerMM
        let (ax, ay, bx, by) = (x * s, y * s, (x + width) * s, (y + height) * s)
        darken(x0: Int(ax), y0: Int(ay), x1: Int(bx) + 1, y1: Int(by) + 1, tone: tone) { px, py in
            let cx = min(px + 0.5, bx) - max(px - 0.5, ax), cy = min(py + 0.5, by) - max(py - 0.5, ay)
            return max(cx, 0) * max(cy, 0)
        }
    }

    /// Paints the rectangle (mm) over with paper white, the way a different blank simply has
    /// other print in that place.
    mutating func erase(x: Double, y: Double, width: Double, height: Double) {
        let s = pixelsPerMM, w = image.width
        let (x0, y0) = (max(Int(x * s), 0), max(Int(y * s), 0))
        let (x1, y1) = (min(Int((x + width) * s), w), min(Int((y + height) * s), image.height))
        guard x0 < x1, y0 < y1 else { return }
        image.pixels.withUnsafeMutableBufferPointer { px in
            for row in y0..<y1 { px[(row * w + x0)..<(row * w + x1)].update(repeating: 255) }
        }
    }
}
