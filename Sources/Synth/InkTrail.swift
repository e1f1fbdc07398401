// A pen trajectory laid onto the page as ink: round-capped segments whose width and darkness
// follow the pen's pressure, with anti-aliased edges, and for pencil a graphite grain.
//
// Why segment by segment with darken: each short segment is a capsule whose radius runs from
// one sample's to the next, so the stroke swells and thins smoothly, and darken keeps the
// darker of overlapping capsules, so joints and crossings never double the ink (as with a
// real pen). Why the grain is a hash of the page pixel: graphite catches on the paper's tooth,
// a texture fixed to the paper and finer than the stroke, so light pencil strokes come out
// speckled and, once scanned and thresholded, broken: exactly the faint strokes the reader
// must learn to join. The same pixel always gets the same grain, so crossings stay consistent.
extension PageCanvas {
    /// `width` (mm) and `tone` are the writer's at pressure 1; `grain` 0 (ink) to 1 (patchy pencil).
    mutating func inkTrail(_ path: [PenSample], width: Double, tone: UInt8, grain: Double, grainSeed: UInt64) {
        let radius = width * pixelsPerMM / 2
        let depth = 255 - Double(tone)
        func r(_ p: PenSample) -> Double { radius * min(max(p.pressure, 0.3), 1.4).squareRoot() }
        for (a, b) in zip(path, path.count == 1 ? path : Array(path.dropFirst())) {
            let (ra, rb) = (r(a), r(b))
            let (dx, dy) = (b.x - a.x, b.y - a.y)
            let length2 = max(dx * dx + dy * dy, 1e-9)
            // Light pressure leaves less ink as well as a thinner line.
            let segmentTone = UInt8((255 - depth * (0.7 + 0.3 * min((a.pressure + b.pressure) / 2, 1))).rounded())
            let reach = max(ra, rb) + 1
            darken(x0: Int(min(a.x, b.x) - reach), y0: Int(min(a.y, b.y) - reach),
                   x1: Int(max(a.x, b.x) + reach) + 1, y1: Int(max(a.y, b.y) + reach) + 1, tone: segmentTone) { x, y in
                let t = min(max(((x - a.x) * dx + (y - a.y) * dy) / length2, 0), 1)
                let (ex, ey) = (x - a.x - t * dx, y - a.y - t * dy)
                let coverage = ra + (rb - ra) * t + 0.5 - (ex * ex + ey * ey).squareRoot()
                guard grain > 0, coverage > 0 else { return coverage }
                return min(coverage, 1) * (1 - grain * Self.tooth(Int(x), Int(y), grainSeed))
            }
        }
    }

    /// The paper's tooth at a pixel, 0...1, fixed for the page by `seed`.
    private static func tooth(_ x: Int, _ y: Int, _ seed: UInt64) -> Double {
        var h = seed ^ (UInt64(truncatingIfNeeded: x) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(truncatingIfNeeded: y) &* 0xC2B2_AE3D_27D4_EB4F)
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return Double(h >> 11) / Double(1 << 53)
    }
}
