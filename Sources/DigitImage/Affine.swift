// Affine rendering by inverse mapping: for every canvas pixel, find where it comes from in the
// source digit and sample there bilinearly, optionally displaced by an elastic field.
//
// Why inverse: forward mapping (splatting source pixels) leaves holes when enlarging, and the
// augmenter enlarges a 28-px digit two to five times. Bilinear, because it is the cheapest
// sampler without blockiness; the normaliser shrinks the result again, which hides its
// softness. Only the canvas rectangle the digit can reach is visited: the rest is paper.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

struct Affine2D {
    // x' = a x + b y + tx,  y' = c x + d y + ty
    var a: Float, b: Float, c: Float, d: Float, tx: Float, ty: Float

    /// Rotation by `angle` (radians) after horizontal shear (slant) after scaling.
    init(scaleX: Float, scaleY: Float, shear: Float, angle: Float) {
        let co = cosf(angle), si = sinf(angle)
        // R * [[1, shear], [0, 1]] * diag(scaleX, scaleY)
        a = co * scaleX; b = (co * shear - si) * scaleY
        c = si * scaleX; d = (si * shear + co) * scaleY
        tx = 0; ty = 0
    }

    private init(a: Float, b: Float, c: Float, d: Float, tx: Float, ty: Float) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.tx = tx; self.ty = ty
    }

    func apply(_ x: Float, _ y: Float) -> (x: Float, y: Float) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }

    var inverse: Affine2D {
        let det = a * d - b * c
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return Affine2D(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }
}

enum AffineRender {
    /// Renders `digit` onto a blank `width` x `height` canvas through `forward` (digit pixel
    /// coordinates to canvas pixel coordinates, both at pixel centres). `ink` bounds the
    /// digit's non-zero pixels. Returns the canvas and the bounding box of its ink (empty if none).
    static func render(_ digit: InkImage, ink: PixelRect, forward: Affine2D, elastic: ElasticField?,
                       width: Int, height: Int) -> (InkImage, PixelRect) {
        var canvas = InkImage.zeros(width: width, height: height)
        // Source points that can sample ink: bilinear reaches one pixel, the field `reach` more.
        let reach = elastic?.maxDisplacement ?? 0
        let lo = (x: Float(ink.x0) - 1 - reach, y: Float(ink.y0) - 1 - reach)
        let hi = (x: Float(ink.x1) + reach, y: Float(ink.y1) + reach)
        let corners = [forward.apply(lo.x, lo.y), forward.apply(hi.x, lo.y),
                       forward.apply(lo.x, hi.y), forward.apply(hi.x, hi.y)]
        let region = PixelRect(x0: max(0, Int(corners.map { $0.x }.min()!.rounded(.down))),
                               y0: max(0, Int(corners.map { $0.y }.min()!.rounded(.down))),
                               x1: min(width, Int(corners.map { $0.x }.max()!.rounded(.up)) + 1),
                               y1: min(height, Int(corners.map { $0.y }.max()!.rounded(.up)) + 1))
        guard !region.isEmpty else { return (canvas, .empty) }

        // Zero-padded copy so a bilinear footprint may hang one pixel off any side unchecked.
        let sw = digit.width, sh = digit.height, pw = sw + 2
        var padded = [Float](repeating: 0, count: pw * (sh + 2))
        for y in 0..<sh {
            for x in 0..<sw { padded[(y + 1) * pw + x + 1] = digit.ink[y * sw + x] }
        }
        let back = forward.inverse
        // The field along the current row, if there is one.
        let d = UnsafeMutablePointer<Float>.allocate(capacity: elastic?.rowLength ?? 0)
        defer { d.deallocate() }
        let step = elastic.map { 1 / $0.spacing } ?? 0
        var inked = PixelRect(x0: width, y0: height, x1: 0, y1: 0)
        padded.withUnsafeBufferPointer { src in
            canvas.ink.withUnsafeMutableBufferPointer { dst in
                // Inlined twice, with `warped` a constant, so the plain affine loop pays nothing
                // for the field.
                @inline(__always) func row(_ y: Int, warped: Bool) {
                    let (px, py) = back.apply(0, Float(y))
                    // Along a canvas row the source point moves on a line; clip it to the box.
                    guard let (x0, x1) = span(px, back.a, lo.x, hi.x, py, back.c, lo.y, hi.y,
                                              within: region.x0, region.x1) else { return }
                    var first = x1, last = x0 - 1
                    for x in x0..<x1 {
                        var sx = px + back.a * Float(x), sy = py + back.c * Float(x)
                        if warped {
                            let g = Float(x) * step
                            let j = 2 &* Int(g)
                            let t = g - Float(j / 2)
                            sx += d[j] + t * (d[j &+ 2] - d[j])
                            sy += d[j &+ 1] + t * (d[j &+ 3] - d[j &+ 1])
                        }
                        // Source pixel -1 and `sw` are the zero padding; +1 makes truncation floor.
                        guard sx > -1 && sy > -1 && sx < Float(sw) && sy < Float(sh) else { continue }
                        let ix = Int(sx + 1), iy = Int(sy + 1)
                        let u = sx + 1 - Float(ix), v = sy + 1 - Float(iy)
                        let i = iy &* pw &+ ix
                        let top = src[i] + u * (src[i &+ 1] - src[i])
                        let bottom = src[i &+ pw] + u * (src[i &+ pw &+ 1] - src[i &+ pw])
                        let value = top + v * (bottom - top)
                        guard value > 0 else { continue }
                        dst[y &* width &+ x] = value
                        first = min(first, x); last = x
                    }
                    if first <= last {
                        inked = PixelRect(x0: min(inked.x0, first), y0: min(inked.y0, y),
                                          x1: max(inked.x1, last + 1), y1: y + 1)
                    }
                }
                for y in region.y0..<region.y1 {
                    if let field = elastic {
                        field.row(y, into: d)
                        row(y, warped: true)
                    } else {
                        row(y, warped: false)
                    }
                }
            }
        }
        return (canvas, inked)
    }

    /// Integer x in [from, to) with p + dp x in [lo, hi] and q + dq x in [qlo, qhi], or nil.
    private static func span(_ p: Float, _ dp: Float, _ lo: Float, _ hi: Float,
                             _ q: Float, _ dq: Float, _ qlo: Float, _ qhi: Float,
                             within from: Int, _ to: Int) -> (Int, Int)? {
        var a = Float(from), b = Float(to - 1)
        func clip(_ start: Float, _ step: Float, _ low: Float, _ high: Float) -> Bool {
            if abs(step) < 1e-6 { return start >= low && start <= high }
            let t0 = (low - start) / step, t1 = (high - start) / step
            a = max(a, min(t0, t1)); b = min(b, max(t0, t1))
            return true
        }
        guard clip(p, dp, lo, hi) && clip(q, dq, qlo, qhi) else { return nil }
        guard a <= b else { return nil }
        let x0 = Int(a.rounded(.up)), x1 = Int(b.rounded(.down)) + 1
        return x0 < x1 ? (x0, x1) : nil
    }
}
