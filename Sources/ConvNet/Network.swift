// The network: an architecture, its flat parameter array and the softmax temperature fitted
// after training. A value type, so it can be shared read-only by every worker; each worker
// brings its own Workspace.
import BlankettSupport

public struct Network: Sendable {
    public let architecture: Architecture
    public internal(set) var parameters: [Float]
    public var temperature: Float

    /// A freshly initialised network; the same seed gives the same weights.
    public init(architecture: Architecture, seed: UInt64) {
        self.architecture = architecture
        temperature = 1
        var rng = SeededGenerator(seed: seed)
        var parameters = [Float](repeating: 0, count: architecture.parameterCount)
        parameters.withUnsafeMutableBufferPointer { all in
            for (layer, offset) in zip(architecture.layers, architecture.parameterOffsets) {
                layer.initialize(UnsafeMutableBufferPointer(rebasing: all[offset..<offset + layer.parameterCount]),
                                 using: &rng)
            }
        }
        self.parameters = parameters
    }

    public init(architecture: Architecture, parameters: [Float], temperature: Float) throws {
        guard parameters.count == architecture.parameterCount else {
            throw BlankettError("model_architecture_mismatch",
                                "\(parameters.count) parameters given, architecture '\(architecture)' has \(architecture.parameterCount)")
        }
        self.architecture = architecture
        self.parameters = parameters
        self.temperature = temperature
    }

    public var classes: Int { architecture.classes }
    public var inputSize: Int { architecture.input.count }

    /// Runs forward on the first `batch` samples already in `workspace.input`; logits land in
    /// `workspace.logits`. Each layer gets a noise seed of its own from a learning pass's.
    public func forward(batch: Int, in workspace: Workspace, pass: Pass = .measuring) {
        precondition(batch <= workspace.capacity)
        parameters.withUnsafeBufferPointer { p in
            for (i, (layer, offset)) in zip(architecture.layers, architecture.parameterOffsets).enumerated() {
                var layerPass = pass
                if case .learning(let noise) = pass { layerPass = .learning(noise: noise ^ (UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15)) }
                layer.forward(workspace.activations[i], workspace.activations[i + 1], batch: batch,
                              parameters: p.baseAddress! + offset, scratch: workspace.scratch[i], pass: layerPass)
            }
        }
    }

    /// Forward and backward of the mean cross-entropy for the `labels.count` samples in
    /// `workspace.input`, as a shard of a batch of `scale` samples: adds ∂L/∂parameters into
    /// `workspace.gradients` (which the caller zeroes) and returns the shard's summed loss and hits.
    /// `noise` seeds the shard's dropout masks.
    public func accumulateGradient(labels: [Int32], scale: Int, in workspace: Workspace, noise: UInt64 = 0) -> (loss: Double, correct: Int) {
        forward(batch: labels.count, in: workspace, pass: .learning(noise: noise))
        let result = labels.withUnsafeBufferPointer {
            Softmax.crossEntropyGradient(workspace.logits, labels: $0.baseAddress!, rows: labels.count,
                                         classes: classes, scale: scale, into: workspace.deltas.0)
        }
        backward(batch: labels.count, in: workspace)
        return result
    }

    /// Backward from ∂L/∂logits (in `workspace.deltas.0`), adding into `workspace.gradients`.
    private func backward(batch: Int, in workspace: Workspace) {
        var (dy, dx) = workspace.deltas
        parameters.withUnsafeBufferPointer { p in
            for i in stride(from: architecture.layers.count - 1, through: 0, by: -1) {
                let layer = architecture.layers[i], offset = architecture.parameterOffsets[i]
                layer.backward(workspace.activations[i], workspace.activations[i + 1], dy, i == 0 ? nil : dx,
                               batch: batch, parameters: p.baseAddress! + offset,
                               gradients: workspace.gradients.baseAddress! + offset, scratch: workspace.scratch[i])
                swap(&dy, &dx)
            }
        }
    }

    /// Runs `count` samples laid end to end in batches of the workspace's capacity (one GEMM per
    /// layer per batch) and hands each batch's logits to `body` with the batch's first index.
    private func forEachBatch(_ samples: UnsafeBufferPointer<Float>, count: Int, workspace: Workspace,
                              _ body: (_ start: Int, _ rows: Int, _ logits: UnsafePointer<Float>) -> Void) {
        precondition(samples.count >= count * inputSize)
        precondition(!architecture.trainingOnly, "a network with bn or dropout layers is folded by forInference before it reads")
        var start = 0
        while start < count {
            let n = min(workspace.capacity, count - start)
            workspace.input.update(from: samples.baseAddress! + start * inputSize, count: n * inputSize)
            forward(batch: n, in: workspace)
            body(start, n, workspace.logits)
            start += n
        }
    }

    /// Calibrated class probabilities (softmax at the fitted temperature), `classes` per sample.
    public func probabilities(_ samples: UnsafeBufferPointer<Float>, count: Int, workspace: Workspace) -> [Float] {
        var out = [Float](repeating: 0, count: count * classes)
        out.withUnsafeMutableBufferPointer { o in
            forEachBatch(samples, count: count, workspace: workspace) { start, rows, logits in
                Softmax.apply(logits, o.baseAddress! + start * classes, rows: rows, classes: classes, temperature: temperature)
            }
        }
        return out
    }

    /// Raw logits, `classes` per sample, as temperature fitting and ensembles need them.
    public func logits(_ samples: UnsafeBufferPointer<Float>, count: Int, workspace: Workspace) -> [Float] {
        var out = [Float](repeating: 0, count: count * classes)
        out.withUnsafeMutableBufferPointer { o in
            forEachBatch(samples, count: count, workspace: workspace) { start, rows, logits in
                (o.baseAddress! + start * classes).update(from: logits, count: rows * classes)
            }
        }
        return out
    }

    public func logits(_ samples: [Float]) -> [Float] {
        let count = samples.count / inputSize
        return samples.withUnsafeBufferPointer { logits($0, count: count, workspace: defaultWorkspace(count)) }
    }

    public func probabilities(_ samples: [Float], workspace: Workspace? = nil) -> [Float] {
        let count = samples.count / inputSize
        return samples.withUnsafeBufferPointer { probabilities($0, count: count, workspace: workspace ?? defaultWorkspace(count)) }
    }

    private func defaultWorkspace(_ count: Int) -> Workspace {
        Workspace(architecture: architecture, capacity: max(1, min(count, 256)))
    }
}
