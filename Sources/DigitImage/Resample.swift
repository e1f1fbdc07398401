// Scaling with a sub-pixel offset, separable: each axis gets a small table of (first source
// pixel, weights) per destination pixel, then rows and columns are filtered in two passes.
//
// Why two filters: shrinking (a 100-px scan crop down to 20 px) must average every source
// pixel under a destination pixel (box filter, exact area coverage), otherwise thin strokes
// alias into broken dots; enlarging (a small crop up to 20 px) must interpolate (bilinear),
// otherwise strokes turn into staircases. Both spread an edge over about one destination
// pixel, which is the anti-aliasing MNIST has, and both keep the centre of mass where the
// mapping sends it, so the digit can be placed by its centre of mass while it is resampled,
// in one pass. Either way the source covers exactly its scaled rectangle, so "longer side
// 20 px" means the same thing for small and large crops.
enum Resample {
    /// Renders `source` scaled by `scale` with its top-left corner at (`originX`, `originY`)
    /// (continuous coordinates, pixel i spans [i, i+1)) into a `side` x `side` image.
    static func place(_ source: InkImage, scale: Float, originX: Float, originY: Float, side: Int) -> [Float] {
        let across = AxisWeights(sourceCount: source.width, count: side, scale: scale, origin: originX)
        let down = AxisWeights(sourceCount: source.height, count: side, scale: scale, origin: originY)
        let w = source.width, h = source.height
        var rows = [Float](repeating: 0, count: h * side)
        var out = [Float](repeating: 0, count: side * side)
        source.ink.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { rows in
                across.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<h {
                        for j in 0..<side {
                            var sum: Float = 0
                            for t in 0..<across.taps where weights[j * across.taps + t] != 0 {
                                sum += weights[j * across.taps + t] * src[y * w + across.first[j] + t]
                            }
                            rows[y * side + j] = sum
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { out in
                down.weights.withUnsafeBufferPointer { weights in
                    for j in 0..<side {
                        for t in 0..<down.taps {
                            let i = down.first[j] + t
                            let wt = weights[j * down.taps + t]
                            guard wt != 0 else { continue }
                            for x in 0..<side { out[j * side + x] += wt * rows[i * side + x] }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Weights of source pixels [first[j], first[j] + taps) for destination pixel j along one axis;
/// indices outside the source carry weight 0.
private struct AxisWeights {
    var first: [Int]
    var weights: [Float]
    var taps: Int

    init(sourceCount n: Int, count m: Int, scale s: Float, origin o: Float) {
        first = [Int](repeating: 0, count: m)
        if s <= 1 {
            // Box filter: destination pixel j covers source [(j - o) / s, (j + 1 - o) / s).
            taps = Int((1 / s).rounded(.up)) + 1
            weights = [Float](repeating: 0, count: m * taps)
            for j in 0..<m {
                let a = (Float(j) - o) / s, b = (Float(j + 1) - o) / s
                let i0 = Int(a.rounded(.down))
                first[j] = i0
                for t in 0..<taps where i0 + t >= 0 && i0 + t < n {
                    let lo = max(a, Float(i0 + t)), hi = min(b, Float(i0 + t + 1))
                    if hi > lo { weights[j * taps + t] = (hi - lo) * s }
                }
            }
        } else {
            // Bilinear between source pixel centres, clamped at the outermost ones and cut off
            // where the source rectangle ends (the boundary pixel weighted by its coverage).
            taps = 2
            weights = [Float](repeating: 0, count: m * 2)
            let end = o + Float(n) * s
            for j in 0..<m {
                let cover = min(Float(j + 1), end) - max(Float(j), o)
                guard cover > 0 else { continue }
                let u = min(max((Float(j) + 0.5 - o) / s - 0.5, 0), Float(n - 1))
                let i0 = Int(u.rounded(.down))
                let f = u - Float(i0)
                first[j] = i0
                weights[j * 2] = cover * (1 - f)
                weights[j * 2 + 1] = cover * f
            }
        }
    }
}
