// Inverted dropout (Srivastava et al., 2014): while learning, each activation is kept with
// probability 1 − rate and scaled by 1/(1 − rate), so that nothing needs rescaling afterwards.
// The mask comes from the pass's seed, not from state in the layer, so one description serves
// every thread and a training step is reproducible. Like BatchNorm it is training-only:
// `Network.forInference` drops it.
import BlankettSupport

public struct Dropout: Layer {
    public let input: Shape
    public let rate: Float
    public var output: Shape { input }
    public var flops: Int { 0 }
    /// The mask as the factor each activation was multiplied by (0 or 1/(1 − rate)).
    public var scratchPerSample: Int { input.count }

    public init(input: Shape, rate: Float) {
        precondition(rate >= 0 && rate < 1)
        self.input = input
        self.rate = rate
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                        parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass) {
        let count = batch * input.count
        guard case .learning(let noise) = pass else {
            y.update(from: x, count: count)
            scratch.update(repeating: 1, count: count)
            return
        }
        var rng = SeededGenerator(seed: noise)
        let kept = 1 / (1 - rate)
        for i in 0..<count {
            scratch[i] = rng.unit() < rate ? 0 : kept
            y[i] = x[i] * scratch[i]
        }
    }

    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                         gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard let dx else { return }
        for i in 0..<batch * input.count { dx[i] = dy[i] * scratch[i] }
    }
}
