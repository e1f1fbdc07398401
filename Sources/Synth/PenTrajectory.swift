// The path a pen tip travels for one stroke, in page pixels: a centripetal Catmull-Rom spline
// through the stroke's control points, sampled densely, displaced by the writer's tremor, with
// the pen's pressure at every sample.
//
// Why centripetal Catmull-Rom: it passes through every control point (so a skeleton reads as
// its points) and, unlike the uniform form, never overshoots into cusps or little loops where
// control points are unevenly spaced, which would turn a 1 into something else. Corners split
// the stroke into pieces that meet at the corner point. Why tremor as a sum of a few sine
// waves along the path: a hand's tremor and drift are smooth on the scale of a millimetre, not
// pixel noise, so the wobble must be low-frequency, and sines of random phase are smooth,
// cheap and deterministic. Pressure rises as the pen lands, swells and eases along the stroke
// and falls as it lifts; it sets the stroke's width and how dark the ink is.
import BlankettSupport
import Foundation

struct PenSample {
    var x: Double
    var y: Double
    /// 0...about 1.3: 1 is the writer's usual pressure.
    var pressure: Double
}

/// A smooth random displacement along a path: a few sine waves of random phase per axis.
struct Wobble {
    /// Peak displacement (pixels) and wavelength (pixels of path) of each wave, and its phase.
    private var waves: [(amplitude: Double, wavenumber: Double, phaseX: Double, phaseY: Double)]

    init(amplitude: Double, wavelength: Double, using rng: inout SeededGenerator) {
        waves = (0..<3).map { i in
            // Each wave half as strong as the last and somewhat shorter: drift plus tremor.
            let length = wavelength * rng.between(0.6, 1.4) / Double(1 + i)
            return (amplitude * rng.between(0.6, 1.0) / Double(1 << i), 2 * .pi / max(length, 1),
                    rng.between(0, 2 * .pi), rng.between(0, 2 * .pi))
        }
    }

    func offset(at s: Double) -> (dx: Double, dy: Double) {
        waves.reduce((0.0, 0.0)) { sum, w in
            (sum.0 + w.amplitude * sin(w.wavenumber * s + w.phaseX), sum.1 + w.amplitude * sin(w.wavenumber * s + w.phaseY))
        }
    }
}

enum PenTrajectory {
    /// The stroke through `points` (pixels; `corner` as in StrokePoint) sampled about every
    /// `step` pixels, with `tremor` applied along the path and pressure from `pressure`.
    static func path(_ points: [StrokePoint], step: Double, tremor: Wobble, pressure: Wobble) -> [PenSample] {
        var pieces: [[StrokePoint]] = [[]]
        for (i, p) in points.enumerated() {
            pieces[pieces.count - 1].append(p)
            if p.corner, i > 0, i < points.count - 1 { pieces.append([p]) }
        }
        var line: [(x: Double, y: Double)] = []
        for piece in pieces {
            let sampled = spline(piece, step: step)
            line += line.isEmpty ? sampled : Array(sampled.dropFirst())
        }
        var lengths = [0.0]
        for (a, b) in zip(line, line.dropFirst()) { lengths.append(lengths.last! + hypot(b.x - a.x, b.y - a.y)) }
        let total = max(lengths.last!, 1)
        return zip(line, lengths).map { p, s in
            let wobble = tremor.offset(at: s)
            // Landing and lifting take about a millimetre's worth of path, at most a fifth of it.
            let ramp = min(total / 5, 12)
            let taper = min(1, 0.55 + 0.45 * s / ramp) * min(1, 0.6 + 0.4 * (total - s) / ramp)
            // One axis of a wobble is a smooth swing of pressure along the stroke.
            return PenSample(x: p.x + wobble.dx, y: p.y + wobble.dy, pressure: taper * max(0.3, 1 + pressure.offset(at: s).dx))
        }
    }

    /// Centripetal Catmull-Rom through `points`, the ends extended by reflection.
    static func spline(_ points: [StrokePoint], step: Double) -> [(x: Double, y: Double)] {
        let p = points.map { (x: $0.x, y: $0.y) }
        guard p.count > 1 else { return p }
        let first = (x: 2 * p[0].x - p[1].x, y: 2 * p[0].y - p[1].y)
        let last = (x: 2 * p[p.count - 1].x - p[p.count - 2].x, y: 2 * p[p.count - 1].y - p[p.count - 2].y)
        let q = [first] + p + [last]
        var out = [p[0]]
        for i in 1..<(q.count - 2) {
            let (p0, p1, p2, p3) = (q[i - 1], q[i], q[i + 1], q[i + 2])
            func knot(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double { max(hypot(b.x - a.x, b.y - a.y), 1e-6).squareRoot() }
            let t1 = knot(p0, p1), t2 = t1 + knot(p1, p2), t3 = t2 + knot(p2, p3)
            let n = max(1, Int((hypot(p2.x - p1.x, p2.y - p1.y) / step).rounded(.up)))
            for k in 1...n {
                let t = t1 + (t2 - t1) * Double(k) / Double(n)
                func mix(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), _ ta: Double, _ tb: Double) -> (x: Double, y: Double) {
                    let u = (t - ta) / (tb - ta)
                    return (a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u)
                }
                let a1 = mix(p0, p1, 0, t1), a2 = mix(p1, p2, t1, t2), a3 = mix(p2, p3, t2, t3)
                out.append(mix(mix(a1, a2, 0, t2), mix(a2, a3, t1, t3), t1, t2))
            }
        }
        return out
    }
}
