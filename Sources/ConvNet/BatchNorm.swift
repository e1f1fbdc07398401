// Batch normalisation (Ioffe & Szegedy, 2015): each channel is normalised by the mean and
// variance over every position of every sample in the batch (in NHWC the channel is the fastest
// index, so one pass over the rows gathers all channels at once), then scaled by γ and shifted
// by β, both learnt. It lets the small 3×3 stacks train fast and generalise with dropout.
//
// A training-only layer: it always uses the batch's own statistics. What inference needs is
// measured once after training (BatchStatistics, as PreciseBN does) and folded into the
// convolution or dense layer before it, so a model file never holds this layer and a page pays
// nothing for it.
import BlankettSupport

public struct BatchNorm: Layer {
    public let input: Shape
    public var output: Shape { input }
    static let epsilon: Float = 1e-5

    public init(input: Shape) { self.input = input }

    var channels: Int { input.channels }
    /// γ for every channel, then β.
    public var parameterCount: Int { 2 * channels }
    public var flops: Int { 4 * input.count }
    /// The normalised input x̂ for backward; after the batch's x̂ come its mean and variance.
    public var scratchPerSample: Int { input.count + 2 * channels }

    public func initialize(_ parameters: UnsafeMutableBufferPointer<Float>, using rng: inout SeededGenerator) {
        for i in 0..<channels { parameters[i] = 1; parameters[channels + i] = 0 }
    }

    /// The mean and (biased) variance of each channel over the last forward's batch.
    public func statistics(scratch: UnsafePointer<Float>, batch: Int) -> (mean: UnsafePointer<Float>, variance: UnsafePointer<Float>) {
        let at = scratch + batch * input.count
        return (at, at + channels)
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                        parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass) {
        let c = channels, rows = batch * input.count / c
        let mean = scratch + batch * input.count, variance = mean + c
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * c) { sums in
            sums.initialize(repeating: 0)
            for r in 0..<rows {
                let row = x + r * c
                for ch in 0..<c { sums[ch] += Double(row[ch]) }
            }
            for ch in 0..<c { mean[ch] = Float(sums[ch] / Double(rows)) }
            for r in 0..<rows {
                let row = x + r * c
                for ch in 0..<c { let d = Double(row[ch] - mean[ch]); sums[c + ch] += d * d }
            }
            for ch in 0..<c { variance[ch] = Float(sums[c + ch] / Double(rows)) }
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: c) { inverse in
            for ch in 0..<c { inverse[ch] = 1 / (variance[ch] + Self.epsilon).squareRoot() }
            let gamma = parameters, beta = parameters + c
            for r in 0..<rows {
                let row = x + r * c, xhat = scratch + r * c, out = y + r * c
                for ch in 0..<c {
                    xhat[ch] = (row[ch] - mean[ch]) * inverse[ch]
                    out[ch] = gamma[ch] * xhat[ch] + beta[ch]
                }
            }
        }
    }

    /// ∂L/∂x = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)), the means over the channel's positions.
    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                         gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let c = channels, rows = batch * input.count / c
        let variance = scratch + batch * input.count + c
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * c) { sums in
            sums.initialize(repeating: 0)
            for r in 0..<rows {
                let g = dy + r * c, xhat = scratch + r * c
                for ch in 0..<c { sums[ch] += Double(g[ch]); sums[c + ch] += Double(g[ch] * xhat[ch]) }
            }
            for ch in 0..<c {
                gradients[ch] += Float(sums[c + ch])
                gradients[c + ch] += Float(sums[ch])
            }
            guard let dx else { return }
            for ch in 0..<c {
                // From here on the sums are means over the channel's positions.
                sums[ch] /= Double(rows)
                sums[c + ch] /= Double(rows)
            }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: c) { factor in
                for ch in 0..<c { factor[ch] = parameters[ch] / (variance[ch] + Self.epsilon).squareRoot() }
                for r in 0..<rows {
                    let g = dy + r * c, xhat = scratch + r * c, out = dx + r * c
                    for ch in 0..<c {
                        out[ch] = factor[ch] * (g[ch] - Float(sums[ch]) - xhat[ch] * Float(sums[c + ch]))
                    }
                }
            }
        }
    }
}
