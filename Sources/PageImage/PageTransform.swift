// The page transform: an affine map from template millimetres (origin at the page's top-left
// corner, y down) to continuous image pixel coordinates (see GrayImage), fitted by least
// squares to the registration marks.
//
// Why affine and not a similarity: scanners scale the two axes slightly differently (paper
// feed versus sensor) and skew the page a little while feeding it; six parameters absorb that,
// and three marks determine them exactly. A fourth mark over-determines the fit, and its
// residual is what tells a real PM 7001 from four dark squares that merely look like one.
// Why not a homography: a flatbed or feeder scan has no perspective, and the extra freedom
// would soak up measurement error that the residual check needs to see.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct PageTransform: Sendable, Equatable {
    // u = a x + b y + tx,  v = c x + d y + ty   (x, y in mm; u, v in pixels)
    public let a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.tx = tx; self.ty = ty
    }

    public func pixel(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }

    /// Pixels per millimetre, averaged over directions (the square root of the area scale).
    public var pixelsPerMM: Double { abs(a * d - b * c).squareRoot() }

    /// Length in pixels of one template millimetre along the template's x and y axes.
    var axisScales: (x: Double, y: Double) { (hypot(a, c), hypot(b, d)) }

    /// Directions of the template's x and y axes in the image, in degrees, clockwise on screen.
    var axisAngles: (x: Double, y: Double) { (atan2(c, a) * 180 / .pi, atan2(-b, d) * 180 / .pi) }

    /// Least squares over point pairs; nil for fewer than three points or collinear ones.
    /// Centring on the means first keeps the normal equations well conditioned (page
    /// coordinates are in the hundreds) and reduces them to one 2 x 2 solve shared by u and v.
    static func fit(mm: [(x: Double, y: Double)], pixels: [(x: Double, y: Double)]) -> PageTransform? {
        let n = Double(mm.count)
        guard mm.count >= 3, mm.count == pixels.count else { return nil }
        let mx = mm.map(\.x).reduce(0, +) / n, my = mm.map(\.y).reduce(0, +) / n
        let mu = pixels.map(\.x).reduce(0, +) / n, mv = pixels.map(\.y).reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0, sxu = 0.0, syu = 0.0, sxv = 0.0, syv = 0.0
        for (p, q) in zip(mm, pixels) {
            let x = p.x - mx, y = p.y - my, u = q.x - mu, v = q.y - mv
            sxx += x * x; sxy += x * y; syy += y * y
            sxu += x * u; syu += y * u; sxv += x * v; syv += y * v
        }
        let det = sxx * syy - sxy * sxy
        guard det > 1e-9 * max(sxx * syy, 1) else { return nil }
        let a = (sxu * syy - syu * sxy) / det, b = (syu * sxx - sxu * sxy) / det
        let c = (sxv * syy - syv * sxy) / det, d = (syv * sxx - sxv * sxy) / det
        return PageTransform(a: a, b: b, c: c, d: d, tx: mu - a * mx - b * my, ty: mv - c * mx - d * my)
    }
}
