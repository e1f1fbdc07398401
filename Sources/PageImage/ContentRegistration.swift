// Registration from the printed content, for a page whose registration marks are lost (cut off
// by the image border, or lying in a shadow too dark to see them): the blank's print (comb
// boxes, rules, header text) is matched against the page's ink.
//
// Algorithm. The blank is reduced once, when the reader starts, to weighted points in template
// mm at three scales (cells of 2, 1 and 0.25 mm), each weighing by how dark the blank is there.
// The page is reduced once per call to a darkness map with cells of about 0.25 mm: box means of
// the image, judged against their local paper (LocalBackground: a closing over 6 mm squares,
// so a scanner-lid shadow is paper, not ink), and averaged again into 1 and 2 mm cells. A
// transform's score is the weighted mean darkness of the page where it puts the blank's points:
// near 1 where the print of the blank lies on the page's print, near the page's mean ink cover
// elsewhere; handwriting only adds ink where the blank has none, so it barely moves it. The
// search is coarse to fine: every rotation within ±7° in 1° steps, upright and upside down, and
// every shift within ±30 mm in 2 mm steps, on the 2 mm cells; then the best few distinct
// placements are refined by coordinate ascent (steps halved until none improves) on the 1 mm
// cells over rotation and shift, and the best of them last on the 0.25 mm cells over all six
// parameters of the affine map (each axis's scale, shear). The page is accepted only when the final score is
// high both absolutely and against its mean ink, so a page that is not the blank (a letter, a
// blank sheet) stays `no_registration_marks`.
//
// Why points and not whole-image correlation: the blank's print covers a few per cent of the
// page, so scoring a transform at its points costs that share of a correlation, and the coarse
// search (about 25,000 transforms) stays within some tens of milliseconds. Why only as a
// fallback: marks give the transform in about a millisecond and sub-pixel exact.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct ContentReference: Sendable {
    struct Point { let x: Float, y: Float, weight: Float }

    let pageWidthMM: Double, pageHeightMM: Double
    /// Per level of `cellsMM`: the blank's inked cells, at most `maxPoints` of them.
    let levels: [[Point]]
    static let cellsMM = [2.0, 1.0, 0.25]
    static let maxPoints = [1500, 4000, 12000]
    /// The final score must reach this, and this many times the page's mean ink darkness.
    static let minimumScore = 0.3
    static let minimumContrast = 3.0

    /// `blank`: the empty form as printed, covering the whole page.
    public init(blank: GrayImage, pageWidthMM: Double, pageHeightMM: Double) {
        self.pageWidthMM = pageWidthMM
        self.pageHeightMM = pageHeightMM
        let ppm = Double(blank.width) / pageWidthMM
        levels = zip(Self.cellsMM, Self.maxPoints).map { cellMM, maxPoints in
            let k = max(1, Int((cellMM * ppm).rounded()))
            let map = DarknessMap(blank, cell: k, backgroundRadiusMM: nil, pixelsPerMM: ppm)
            var points: [Point] = []
            for y in 0..<map.height {
                for x in 0..<map.width where map.values[y * map.width + x] > 0.05 {
                    points.append(Point(x: Float((Double(x) + 0.5) * Double(k) / ppm), y: Float((Double(y) + 0.5) * Double(k) / ppm),
                                        weight: map.values[y * map.width + x]))
                }
            }
            let stride = max(1, (points.count + maxPoints - 1) / maxPoints)
            return Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        }
    }

    /// The transform that lays the blank's print on the page's, or nil when none does well.
    func register(_ image: GrayImage, marksFound: Int) -> Registration? {
        let ppm = (Double(image.width) / pageWidthMM * Double(image.height) / pageHeightMM).squareRoot()
        let k = max(1, Int((Self.cellsMM[2] * ppm).rounded()))
        let fine = DarknessMap(image, cell: k, backgroundRadiusMM: 3, pixelsPerMM: ppm)
        let maps = [fine.averaged(8), fine.averaged(4), fine]
        let centre = (x: Double(image.width) / 2, y: Double(image.height) / 2)

        func transform(_ p: Parameters) -> PageTransform {
            let theta = p.degrees * .pi / 180, (co, si) = (cos(theta), sin(theta))
            let (sx, sy) = (ppm * exp(p.logScaleX), ppm * exp(p.logScaleY))
            let (a, b, c, d) = (co * sx, (co * p.shear - si) * sy, si * sx, (si * p.shear + co) * sy)
            let (u, v) = (centre.x + ppm * p.shiftX, centre.y + ppm * p.shiftY)
            let (mx, my) = (pageWidthMM / 2, pageHeightMM / 2)
            return PageTransform(a: a, b: b, c: c, d: d, tx: u - a * mx - b * my, ty: v - c * mx - d * my)
        }
        func score(_ p: Parameters, level: Int) -> Double { maps[level].score(levels[level], transform(p)) }

        var candidates: [(score: Double, p: Parameters)] = []
        for turn in [0.0, 180.0] {
            for degrees in stride(from: -7.0, through: 7, by: 1) {
                for dy in stride(from: -30.0, through: 30, by: 2) {
                    for dx in stride(from: -30.0, through: 30, by: 2) {
                        let p = Parameters(degrees: turn + degrees, shiftX: dx, shiftY: dy)
                        candidates.append((score(p, level: 0), p))
                    }
                }
            }
        }
        // Rows of text repeat at their line spacing, so on 2 mm cells a placement one line off can
        // score about as well as the right one: the best few distinct placements go on.
        var starts: [Parameters] = []
        for candidate in candidates.sorted(by: { $0.score > $1.score }) where starts.count < Self.startingPoints {
            if !starts.contains(where: { $0.isNear(candidate.p) }) { starts.append(candidate.p) }
        }
        let refined = starts.map { start -> (score: Double, p: Parameters) in
            var p = start
            p.descend(steps: [0.5, 0, 0, 0, 1, 1], halvings: 5) { score($0, level: 1) }
            return (score(p, level: 1), p)
        }
        guard var p = refined.max(by: { $0.score < $1.score })?.p else { return nil }
        p.descend(steps: [0.05, 0.002, 0.002, 0.001, 0.1, 0.1], halvings: 5) { score($0, level: 2) }
        let final = score(p, level: 2)
        guard final >= Self.minimumScore, final >= Self.minimumContrast * fine.mean else { return nil }
        let t = transform(p), turned = abs(p.degrees) > 90
        // As for marks: the mean of the two axes' turns; the y axis turns by the shear less.
        let skew = p.degrees - (turned ? 180 : 0) - atan(p.shear) * 90 / .pi
        return Registration(transform: t, dpi: t.pixelsPerMM * 25.4, skewDegrees: skew,
                            orientation: turned ? .upsideDown : .upright, marksFound: marksFound,
                            residualMM: 0, method: .content)
    }

    static let startingPoints = 6

    /// u = centre + ppm · shift + ppm · R(degrees) · [[sx, shear · sy], [0, sy]] · (p − page centre)
    struct Parameters {
        var degrees = 0.0, logScaleX = 0.0, logScaleY = 0.0, shear = 0.0, shiftX = 0.0, shiftY = 0.0

        init(degrees: Double = 0, shiftX: Double = 0, shiftY: Double = 0) {
            (self.degrees, self.shiftX, self.shiftY) = (degrees, shiftX, shiftY)
        }

        /// Within 3° and 4 mm: the same start for the refinement.
        func isNear(_ other: Parameters) -> Bool {
            abs(degrees - other.degrees) <= 3 && abs(shiftX - other.shiftX) <= 4 && abs(shiftY - other.shiftY) <= 4
        }

        subscript(i: Int) -> Double {
            get { [degrees, logScaleX, logScaleY, shear, shiftX, shiftY][i] }
            set {
                switch i {
                case 0: degrees = newValue
                case 1: logScaleX = newValue
                case 2: logScaleY = newValue
                case 3: shear = newValue
                case 4: shiftX = newValue
                default: shiftY = newValue
                }
            }
        }

        /// Coordinate ascent: each parameter with a step tried both ways while that improves the
        /// score, then all steps halved, `halvings` times. Parameters with step 0 stay.
        mutating func descend(steps: [Double], halvings: Int, score: (Parameters) -> Double) {
            var current = score(self), steps = steps
            for _ in 0...halvings {
                var improved = true
                while improved {
                    improved = false
                    for i in 0..<6 where steps[i] > 0 {
                        for sign in [1.0, -1.0] {
                            var trial = self
                            trial[i] += sign * steps[i]
                            let s = score(trial)
                            if s > current { (self, current, improved) = (trial, s, true); break }
                        }
                    }
                }
                steps = steps.map { $0 / 2 }
            }
        }
    }
}

/// Ink darkness (0 paper ... 1 black) in cells of `cell` x `cell` image pixels.
struct DarknessMap {
    let width: Int, height: Int
    /// Image pixels per cell.
    let cell: Double
    let values: [Float]
    var mean: Double { Double(values.reduce(0, +)) / Double(max(values.count, 1)) }

    private init(width: Int, height: Int, cell: Double, values: [Float]) {
        (self.width, self.height, self.cell, self.values) = (width, height, cell, values)
    }

    /// Box means of `cell` x `cell` pixels, against the local paper over squares of
    /// `backgroundRadiusMM` (nil: against white, for the clean blank).
    init(_ image: GrayImage, cell k: Int, backgroundRadiusMM: Double?, pixelsPerMM: Double) {
        let (w, h) = (image.width / k, image.height / k)
        var means = [UInt8](repeating: 255, count: w * h)
        image.pixels.withUnsafeBufferPointer { px in
            for cy in 0..<h {
                for cx in 0..<w {
                    var sum = 0
                    for y in (cy * k)..<(cy * k + k) { for x in (cx * k)..<(cx * k + k) { sum += Int(px[y * image.width + x]) } }
                    means[cy * w + cx] = UInt8(sum / (k * k))
                }
            }
        }
        let paper = backgroundRadiusMM.map {
            LocalBackground.closing(means, width: w, height: h, radius: max(1, Int($0 * pixelsPerMM / Double(k))))
        } ?? [UInt8](repeating: 255, count: w * h)
        self.init(width: w, height: h, cell: Double(k),
                  values: zip(means, paper).map { v, b in b == 0 ? 0 : max(0, 1 - Float(v) / Float(b)) })
    }

    /// Means of `factor` x `factor` cells.
    func averaged(_ factor: Int) -> DarknessMap {
        let (w, h) = (width / factor, height / factor)
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<(h * factor) { for x in 0..<(w * factor) { out[(y / factor) * w + x / factor] += values[y * width + x] } }
        let scale = 1 / Float(factor * factor)
        return DarknessMap(width: w, height: h, cell: cell * Double(factor), values: out.map { $0 * scale })
    }

    /// Weighted mean darkness, bilinear between cell centres, where `t` puts the points; 0 off the map.
    func score(_ points: [ContentReference.Point], _ t: PageTransform) -> Double {
        let s = Float(1 / cell)
        let (a, b, c, d) = (Float(t.a) * s, Float(t.b) * s, Float(t.c) * s, Float(t.d) * s)
        let (tx, ty) = (Float(t.tx) * s - 0.5, Float(t.ty) * s - 0.5)
        var sum: Float = 0, total: Float = 0
        values.withUnsafeBufferPointer { v in
            for p in points {
                total += p.weight
                let x = a * p.x + b * p.y + tx, y = c * p.x + d * p.y + ty
                guard x >= 0, y >= 0, x < Float(width - 1), y < Float(height - 1) else { continue }
                let (xi, yi) = (Int(x), Int(y))
                let (fx, fy) = (x - Float(xi), y - Float(yi))
                let i = yi * width + xi
                let top = v[i] + (v[i + 1] - v[i]) * fx, bottom = v[i + width] + (v[i + width + 1] - v[i + width]) * fx
                sum += p.weight * (top + (bottom - top) * fy)
            }
        }
        return total > 0 ? Double(sum / total) : 0
    }
}
