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
    /// The top class's probability for each sample.
    public let confidences: [Float]
    let correctness: [Bool]

    public var accuracy: Double { Double(correct) / Double(max(count, 1)) }

    public init(network: some Classifier, samples: [Float], labels: [Int]) {
        precondition(samples.count == labels.count * network.inputSize)
        let classes = network.classes
        let probabilities = network.probabilities(samples)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var predictions: [Int] = [], confidences: [Float] = []
        for (r, label) in labels.enumerated() {
            let p = probabilities[(r * classes)..<(r * classes + classes)]
            let best = p.indices.max { p[$0] < p[$1] }!
            predictions.append(best - r * classes)
            confidences.append(p[best])
            confusion[label][best - r * classes] += 1
        }
        count = labels.count
        correctness = zip(predictions, labels).map { $0 == $1 }
        correct = correctness.filter { $0 }.count
        self.confusion = confusion
        self.predictions = predictions
        self.confidences = confidences
        (ece, bins) = Calibration.expectedCalibrationError(probabilities: probabilities, labels: labels, classes: classes)
    }
}

extension Evaluation {
    /// How many samples reach each confidence level, and how many of those are wrong: the
    /// digit-level error–reject trade-off. A field without a check digit is accepted only when
    /// each of its digits is this sure, so the share covered at 0.9999 and beyond bounds what
    /// the reader can accept without a person.
    public struct Coverage: Sendable {
        public let level: Double, covered: Int, wrong: Int
        /// Σ (1 − confidence) over the covered samples: the errors calibrated confidences predict.
        public let predictedWrong: Double
    }

    public func coverage(levels: [Double]) -> [Coverage] {
        levels.map { level in
            let kept = zip(confidences, correctness).filter { Double($0.0) >= level }
            return Coverage(level: level, covered: kept.count, wrong: kept.filter { !$0.1 }.count,
                            predictedWrong: kept.reduce(0) { $0 + (1 - Double($1.0)) })
        }
    }

    public static let coverageLevels = [0.9, 0.99, 0.999, 0.9999, 0.99999]
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
