import BlankettSupport
import ConvNet
import XCTest

final class TrainingTests: XCTestCase {
    /// Four classes of 6×6 images, each a bar in a different place, with noise: learnable in a few epochs.
    static let labels: [Int32] = (0..<256).map { Int32($0 % 4) }
    static let source: Trainer.SampleSource = { index, epoch, out in
        var rng = SeededGenerator(seed: UInt64(index * 1000 + epoch))
        let label = index % 4
        for i in 0..<36 {
            let (y, x) = (i / 6, i % 6)
            let on = label == 0 ? y == 1 : label == 1 ? y == 4 : label == 2 ? x == 1 : x == 4
            out[i] = (on ? 1 : 0) + 0.3 * rng.gaussian()
        }
    }

    func train(threads: Int) throws -> Network {
        let arch = try Architecture("c3x4p1,relu,pool,d4", input: Shape(6, 6, 1))
        var options = TrainingOptions()
        options.epochs = 8
        options.learningRate = 1e-2
        options.batchSize = 32
        options.threads = threads
        options.seed = 9
        let trainer = Trainer(network: Network(architecture: arch, seed: 9), options: options)
        var last: TrainingProgress?
        trainer.train(labels: Self.labels, sample: Self.source) { last = $0 }
        XCTAssertEqual(last?.epoch, 8)
        XCTAssertGreaterThan(last?.accuracy ?? 0, 0.95)
        return trainer.network
    }

    func testTrainingLearnsAndIsDeterministic() throws {
        let a = try train(threads: 2), b = try train(threads: 2)
        XCTAssertEqual(a.parameters, b.parameters)
        var hits = 0
        for i in 0..<64 {
            var x = [Float](repeating: 0, count: 36)
            x.withUnsafeMutableBufferPointer { Self.source(10_000 + i, 0, $0.baseAddress!) }
            let p = a.probabilities(x)
            if p.indices.max(by: { p[$0] < p[$1] }) == i % 4 { hits += 1 }
        }
        XCTAssertGreaterThanOrEqual(hits, 60)
    }

    func testTemperatureFitRecoversKnownTemperature() {
        // Labels drawn from softmax(z / 2): the fitted temperature must come out near 2.
        var rng = SeededGenerator(seed: 1)
        var logits: [Float] = [], labels: [Int] = []
        for _ in 0..<4000 {
            let z = (0..<10).map { _ in 3 * rng.gaussian() }
            logits += z
            let p = z.map { expf($0 / 2) }
            var u = rng.unit() * p.reduce(0, +), label = 0
            while label < 9, u > p[label] { u -= p[label]; label += 1 }
            labels.append(label)
        }
        let t = Calibration.fitTemperature(logits: logits, labels: labels, classes: 10)
        XCTAssertEqual(t, 2, accuracy: 0.15)
        var probs = [Float](repeating: 0, count: logits.count)
        Softmax.apply(logits, &probs, rows: labels.count, classes: 10, temperature: t)
        XCTAssertLessThan(Calibration.expectedCalibrationError(probabilities: probs, labels: labels, classes: 10).ece, 0.03)
    }
}
