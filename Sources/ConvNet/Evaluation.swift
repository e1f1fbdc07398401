// Accuracy, confusion matrix and calibration of a classifier on labelled samples, and its
// single-core throughput measured on those same samples. Shared by `digits eval`, the trainer's
// manifest and the benchmark, so every report computes these figures the same way.
import BlankettSupport

public struct Evaluation: Sendable {
    public let count: Int
    public let correct: Int
    public let confusion: [[Int]]  // [true][predicted]
    public let ece: Double
    public let bins: [Calibration.Bin]
    public let predictions: [Int]

    public var accuracy: Double { Double(correct) / Double(max(count, 1)) }

    public init(network: Network, samples: [Float], labels: [Int]) {
        precondition(samples.count == labels.count * network.inputSize)
        let classes = network.classes
        let probabilities = network.probabilities(samples)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var predictions: [Int] = []
        for (r, label) in labels.enumerated() {
            let p = probabilities[(r * classes)..<(r * classes + classes)]
            let best = p.indices.max { p[$0] < p[$1] }! - r * classes
            predictions.append(best)
            confusion[label][best] += 1
        }
        count = labels.count
        correct = zip(predictions, labels).filter { $0 == $1 }.count
        self.confusion = confusion
        self.predictions = predictions
        (ece, bins) = Calibration.expectedCalibrationError(probabilities: probabilities, labels: labels, classes: classes)
    }
}

public struct Throughput: Sendable {
    public let batch: Int
    public let samplesPerSecond: Double
    public let gflops: Double

    /// Classifies `samples` in batches of `batch` on the calling thread with one BLAS thread,
    /// repeating until at least `minimumSeconds` have passed; the best of three such runs.
    public init(network: Network, samples: [Float], batch: Int, minimumSeconds: Double = 0.4) {
        BLAS.useSingleThread()
        let count = samples.count / network.inputSize
        let workspace = Workspace(architecture: network.architecture, capacity: batch)
        var best = 0.0
        for _ in 0..<3 {
            var done = 0
            let start = ContinuousClock.now
            var elapsed = 0.0
            repeat {
                _ = samples.withUnsafeBufferPointer { network.probabilities($0, count: count, workspace: workspace) }
                done += count
                elapsed = (ContinuousClock.now - start).seconds
            } while elapsed < minimumSeconds
            best = max(best, Double(done) / elapsed)
        }
        self.batch = batch
        samplesPerSecond = best
        gflops = best * Double(network.architecture.flopsPerSample) / 1e9
    }
}
