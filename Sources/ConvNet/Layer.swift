// The layer contract shared by every layer, after darknet/Caffe: a layer is a pure description
// (shapes, parameter count) and two functions over raw NHWC buffers. Weights, gradients and
// scratch are handed in, never owned, so one description serves any number of threads and
// the network's parameters stay one flat array (simple to save, checksum and optimise).
import BlankettSupport

public struct Shape: Equatable, Sendable, CustomStringConvertible {
    public let height: Int, width: Int, channels: Int
    public init(_ height: Int, _ width: Int, _ channels: Int) {
        self.height = height; self.width = width; self.channels = channels
    }
    public var count: Int { height * width * channels }
    public var description: String { "\(height)×\(width)×\(channels)" }
}

/// What a forward pass is for. Only the training-only layers (BatchNorm, Dropout) tell the two
/// apart: an inference network holds neither, because `Network.forInference` folds one into the
/// layer before it and drops the other.
public enum Pass: Sendable {
    /// Learning: dropout draws its mask from the seed `noise`, so a step is reproducible.
    case learning(noise: UInt64)
    /// Measuring the statistics inference will use, or running a network without training-only
    /// layers: dropout passes everything through.
    case measuring
}

public protocol Layer: Sendable {
    var input: Shape { get }
    var output: Shape { get }
    var parameterCount: Int { get }
    /// Multiply-adds ×2 per sample, for throughput reports.
    var flops: Int { get }
    /// Floats of scratch per sample that forward leaves for backward (e.g. im2col columns).
    var scratchPerSample: Int { get }

    func initialize(_ parameters: UnsafeMutableBufferPointer<Float>, using rng: inout SeededGenerator)

    /// y = f(x) for `batch` samples. `scratch` holds `scratchPerSample × batch` floats.
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                 parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass)

    /// Adds ∂L/∂parameters into `gradients` and, when `dx` is given, writes ∂L/∂x.
    /// x, y and scratch are as forward left them.
    func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                  _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                  gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)
}

extension Layer {
    public var parameterCount: Int { 0 }
    public var scratchPerSample: Int { 0 }
    public func initialize(_ parameters: UnsafeMutableBufferPointer<Float>, using rng: inout SeededGenerator) {}
}

import BlankettSupport
