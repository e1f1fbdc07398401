// From the network as trained to the network as the reader runs it. Batch normalisation at
// inference is a fixed affine map per channel, y = γ·(x − μ)/σ + β, and the layer before it is
// linear in its weights, so the two fold into one: each output channel's weights are scaled by
// γ/σ and its bias becomes (b − μ)·γ/σ + β. Dropout at inference is the identity. The folded
// network has the plain architecture and costs exactly what it would without either layer.
//
// μ and σ² are the population statistics, measured after training over many batches with
// dropout off (PreciseBN, Wu & Johnson 2021): E[x] is the mean of the batch means and E[x²] of
// the batch second moments, so each layer sees inputs normalised as in training.
import BlankettSupport

extension Network {
    /// The network without training-only layers; BatchNorm's statistics are measured on `count`
    /// samples that `sample(index, into)` writes, in batches of `batchSize`. A network without
    /// such layers comes back unchanged.
    public func forInference(measuringOn count: Int, batchSize: Int = 256,
                             sample: (_ index: Int, _ into: UnsafeMutablePointer<Float>) -> Void) throws -> Network {
        guard architecture.trainingOnly else { return self }
        let moments = architecture.layers.contains { $0 is BatchNorm } ? try measure(count: count, batchSize: batchSize, sample: sample) : [:]
        var folded: [Float] = []
        folded.reserveCapacity(parameters.count)
        let layers = architecture.layers, offsets = architecture.parameterOffsets
        for (i, layer) in layers.enumerated() where !(layer is BatchNorm || layer is Dropout) {
            var own = Array(parameters[offsets[i]..<offsets[i] + layer.parameterCount])
            if i + 1 < layers.count, let bn = layers[i + 1] as? BatchNorm, let m = moments[i + 1] {
                let c = bn.channels, gamma = parameters[offsets[i + 1]...], beta = parameters[(offsets[i + 1] + c)...]
                let scale = (0..<c).map { gamma[gamma.startIndex + $0] / (m.variance[$0] + BatchNorm.epsilon).squareRoot() }
                let weights = own.count - c
                for j in 0..<weights { own[j] *= scale[j % c] }
                for o in 0..<c { own[weights + o] = (own[weights + o] - m.mean[o]) * scale[o] + beta[beta.startIndex + o] }
            }
            folded += own
        }
        return try Network(architecture: try Architecture(architecture.inferenceSpec, input: architecture.input),
                           parameters: folded, temperature: temperature)
    }

    /// Each BatchNorm layer's population mean and variance, by layer index.
    private func measure(count: Int, batchSize: Int,
                         sample: (Int, UnsafeMutablePointer<Float>) -> Void) throws -> [Int: (mean: [Float], variance: [Float])] {
        guard count > 0 else { throw BlankettError("batchnorm_no_samples", "batch normalisation needs samples to measure its statistics on") }
        let workspace = Workspace(architecture: architecture, capacity: min(batchSize, count))
        let norms = architecture.layers.enumerated().compactMap { i, layer in (layer as? BatchNorm).map { (i, $0) } }
        var first = norms.map { [Double](repeating: 0, count: $0.1.channels) }, second = first
        var start = 0
        while start < count {
            let n = min(workspace.capacity, count - start)
            for row in 0..<n { sample(start + row, workspace.input + row * inputSize) }
            forward(batch: n, in: workspace, pass: .measuring)
            for (k, (i, bn)) in norms.enumerated() {
                let s = bn.statistics(scratch: workspace.scratch[i], batch: n)
                for ch in 0..<bn.channels {
                    let mean = Double(s.mean[ch])
                    first[k][ch] += Double(n) * mean
                    second[k][ch] += Double(n) * (Double(s.variance[ch]) + mean * mean)
                }
            }
            start += n
        }
        var out: [Int: (mean: [Float], variance: [Float])] = [:]
        for (k, (i, _)) in norms.enumerated() {
            let mean = first[k].map { $0 / Double(count) }
            out[i] = (mean.map(Float.init), zip(second[k], mean).map { Float(max($0 / Double(count) - $1 * $1, 0)) })
        }
        return out
    }
}
