// ReLU. Backward reads the output rather than the input (y > 0 ⇔ x > 0), which lets the
// network keep one buffer per layer boundary.
public struct ReLU: Layer {
    public let input: Shape
    public var output: Shape { input }
    public var flops: Int { 0 }
    public init(input: Shape) { self.input = input }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                        parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass) {
        for i in 0..<batch * input.count { y[i] = max(x[i], 0) }
    }

    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                         gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard let dx else { return }
        for i in 0..<batch * input.count { dx[i] = y[i] > 0 ? dy[i] : 0 }
    }
}
