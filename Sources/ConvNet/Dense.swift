// Fully connected layer: the batch is one [batch, in] × [in, out] GEMM. Weights are stored
// [in, out] so forward needs no transpose; the flattening of an NHWC input is free.
import BlankettSupport

public struct Dense: Layer {
    public let input: Shape, output: Shape
    public init(input: Shape, outputs: Int) {
        self.input = input
        output = Shape(1, 1, outputs)
    }

    public var parameterCount: Int { input.count * output.count + output.count }
    public var flops: Int { 2 * input.count * output.count }

    public func initialize(_ parameters: UnsafeMutableBufferPointer<Float>, using rng: inout SeededGenerator) {
        let scale = (2 / Float(input.count)).squareRoot()
        for i in 0..<input.count * output.count { parameters[i] = scale * rng.gaussian() }
        for i in input.count * output.count..<parameterCount { parameters[i] = 0 }
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                        parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass) {
        let i = input.count, o = output.count
        let bias = parameters + i * o
        for r in 0..<batch { (y + r * o).update(from: bias, count: o) }
        BLAS.gemm(m: batch, n: o, k: i, a: x, lda: i, b: parameters, ldb: o, beta: 1, c: y, ldc: o)
    }

    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                         gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let i = input.count, o = output.count
        BLAS.gemm(transA: true, m: i, n: o, k: batch, a: x, lda: i, b: dy, ldb: o, beta: 1, c: gradients, ldc: o)
        let biasGradient = gradients + i * o
        for r in 0..<batch {
            for c in 0..<o { biasGradient[c] += dy[r * o + c] }
        }
        if let dx {
            BLAS.gemm(transB: true, m: batch, n: i, k: o, a: dy, lda: o, b: parameters, ldb: o, beta: 0, c: dx, ldc: i)
        }
    }
}
