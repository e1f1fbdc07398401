// Mini-batch training with AdamW and a cosine learning-rate schedule. Each batch is split into
// one shard per thread; every shard runs forward/backward in its own Workspace with one BLAS
// thread, and the shard gradients are summed in a fixed order. Samples are produced by a pure
// function of (index, epoch), so augmentation runs on the workers too and the result depends
// only on the seed and the thread count, never on scheduling.
import BlankettSupport
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct TrainingOptions: Sendable {
    public var epochs = 30
    public var batchSize = 128
    public var learningRate: Float = 2e-3
    public var finalLearningRate: Float = 1e-5
    public var weightDecay: Float = 5e-5
    public var threads = 2
    public var seed: UInt64 = 1
    public init() {}
}

public struct TrainingProgress: Sendable {
    public let epoch: Int, epochs: Int
    public let batch: Int, batches: Int
    public let meanLoss: Double, accuracy: Double
    public let learningRate: Float
}

public final class Trainer {
    public typealias SampleSource = @Sendable (_ index: Int, _ epoch: Int, _ into: UnsafeMutablePointer<Float>) -> Void

    public private(set) var network: Network
    let options: TrainingOptions
    private var m: [Float], v: [Float]
    private var step = 0

    public init(network: Network, options: TrainingOptions) {
        self.network = network
        self.options = options
        m = [Float](repeating: 0, count: network.parameters.count)
        v = m
    }

    /// Trains over `labels.count` samples for the configured epochs; `progress` is called after every batch.
    public func train(labels: [Int32], sample: SampleSource, progress: (TrainingProgress) -> Void) {
        BLAS.useSingleThread()
        let threads = max(1, options.threads), batchSize = options.batchSize
        let shardCapacity = (batchSize + threads - 1) / threads
        let workspaces = (0..<threads).map { _ in Workspace(architecture: network.architecture, capacity: shardCapacity) }
        let batches = labels.count / batchSize  // a ragged last batch would weigh its samples differently
        let totalSteps = options.epochs * batches
        var order = Array(0..<labels.count)
        var rng = SeededGenerator(seed: options.seed)

        for epoch in 0..<options.epochs {
            order.shuffle(using: &rng)
            var lossSum = 0.0, correct = 0, seen = 0
            for b in 0..<batches {
                let indices = Array(order[(b * batchSize)..<((b + 1) * batchSize)])
                // Each shard writes only its own slot.
                nonisolated(unsafe) let results = UnsafeMutableBufferPointer<(Double, Int)>.allocate(capacity: threads)
                defer { results.deallocate() }
                let network = self.network, noise = options.seed &+ UInt64(step * threads)
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    let shard = Array(indices[(t * shardCapacity)..<min(indices.count, (t + 1) * shardCapacity)])
                    results[t] = Self.gradient(network, shard: shard, labels: labels, epoch: epoch, batchSize: batchSize,
                                               sample: sample, workspace: workspaces[t], noise: noise &+ UInt64(t))
                }
                for t in 1..<threads {
                    let g = workspaces[0].gradients, other = workspaces[t].gradients
                    for i in 0..<g.count { g[i] += other[i] }
                }
                let lr = learningRate(at: step, of: totalSteps)
                update(gradient: workspaces[0].gradients, learningRate: lr)
                for r in results { lossSum += r.0; correct += r.1 }
                seen += batchSize
                progress(TrainingProgress(epoch: epoch + 1, epochs: options.epochs, batch: b + 1, batches: batches,
                                          meanLoss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                                          learningRate: lr))
            }
        }
    }

    private static func gradient(_ network: Network, shard: [Int], labels: [Int32], epoch: Int, batchSize: Int,
                                 sample: SampleSource, workspace: Workspace, noise: UInt64) -> (Double, Int) {
        let size = network.inputSize
        var shardLabels = [Int32]()
        for (row, index) in shard.enumerated() {
            sample(index, epoch, workspace.input + row * size)
            shardLabels.append(labels[index])
        }
        workspace.gradients.update(repeating: 0)
        return network.accumulateGradient(labels: shardLabels, scale: batchSize, in: workspace, noise: noise)
    }

    func learningRate(at step: Int, of total: Int) -> Float {
        let progress = Float(step) / Float(max(total, 1))
        return options.finalLearningRate
            + (options.learningRate - options.finalLearningRate) * 0.5 * (1 + cosf(.pi * progress))
    }

    /// AdamW: decoupled weight decay, bias-corrected moments.
    private func update(gradient g: UnsafeMutableBufferPointer<Float>, learningRate lr: Float) {
        step += 1
        let b1: Float = 0.9, b2: Float = 0.999, eps: Float = 1e-8
        let c1 = 1 - powf(b1, Float(step)), c2 = 1 - powf(b2, Float(step))
        let decay = options.weightDecay
        network.parameters.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                p[i] -= lr * ((m[i] / c1) / ((v[i] / c2).squareRoot() + eps) + decay * p[i])
            }
        }
    }
}
