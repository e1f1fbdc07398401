// 2×2 max-pooling with stride 2 (odd edges dropped, as in LeNet). Backward finds the winner
// again by comparing against the output instead of storing argmax indices: the window is
// four values, and it saves a scratch buffer per batch.
public struct MaxPool: Layer {
    public let input: Shape
    public var output: Shape { Shape(input.height / 2, input.width / 2, input.channels) }
    public var flops: Int { 0 }
    public init(input: Shape) { self.input = input }

    @inline(__always)
    private func window(_ n: Int, _ oy: Int, _ ox: Int, _ ch: Int) -> (out: Int, taps: (Int, Int, Int, Int)) {
        let c = input.channels, w = input.width
        let base = n * input.count + ((2 * oy) * w + 2 * ox) * c + ch
        let out = n * output.count + (oy * output.width + ox) * c + ch
        return (out, (base, base + c, base + w * c, base + w * c + c))
    }

    private func forEachWindow(batch: Int, _ body: (Int, (Int, Int, Int, Int)) -> Void) {
        for n in 0..<batch {
            for oy in 0..<output.height {
                for ox in 0..<output.width {
                    for ch in 0..<input.channels { let w = window(n, oy, ox, ch); body(w.out, w.taps) }
                }
            }
        }
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                        parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass) {
        forEachWindow(batch: batch) { out, t in y[out] = max(max(x[t.0], x[t.1]), max(x[t.2], x[t.3])) }
    }

    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                         gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard let dx else { return }
        dx.update(repeating: 0, count: batch * input.count)
        forEachWindow(batch: batch) { out, t in
            let winner = x[t.0] == y[out] ? t.0 : x[t.1] == y[out] ? t.1 : x[t.2] == y[out] ? t.2 : t.3
            dx[winner] += dy[out]
        }
    }
}
