// The training-only layers: how a spec with them parses, and that folding them away leaves the
// network's answers as training saw them.
import BlankettSupport
@testable import ConvNet
import XCTest

final class InferenceFoldingTests: XCTestCase {
    func testSpecsWithTrainingOnlyLayers() throws {
        let arch = try Architecture("c3x8p1,bn,relu,pool,drop0.25,c3x16,bn,relu,pool,d32,bn,relu,drop0.4,d10")
        XCTAssertTrue(arch.trainingOnly)
        XCTAssertEqual(arch.inferenceSpec, "c3x8p1,relu,pool,c3x16,relu,pool,d32,relu,d10")
        XCTAssertFalse(try Architecture(arch.inferenceSpec).trainingOnly)
        // Every BatchNorm adds γ and β per channel, nothing else has parameters.
        let plain = try Architecture(arch.inferenceSpec)
        XCTAssertEqual(arch.parameterCount, plain.parameterCount + 2 * (8 + 16 + 32))
        for bad in ["bn,c3x8,relu,pool,d10", "c3x8,relu,bn,pool,d10", "c3x8,drop1.2,pool,d10", "c3x8,drop0,pool,d10", "c3x8,dropx,pool,d10"] {
            XCTAssertThrowsError(try Architecture(bad), bad) { XCTAssertEqual(($0 as? BlankettError)?.code, "invalid_architecture") }
        }
    }

    /// With the statistics measured on the very batch it then reads, the folded network gives the
    /// logits the training network gives in a measuring pass.
    func testFoldingKeepsTheLogits() throws {
        let arch = try Architecture("c3x4p1,bn,relu,pool,drop0.3,c3x6,bn,relu,pool,d12,bn,relu,drop0.5,d10", input: Shape(12, 12, 1))
        var network = Network(architecture: arch, seed: 3)
        var rng = SeededGenerator(seed: 4)
        for i in network.parameters.indices { network.parameters[i] += rng.uniform(-0.3, 0.3) }  // γ ≠ 1, β ≠ 0
        let batch = 16
        let x = (0..<batch * arch.input.count).map { _ in rng.unit() * 2 + 0.5 }
        let ws = Workspace(architecture: arch, capacity: batch)
        ws.input.update(from: x, count: x.count)
        network.forward(batch: batch, in: ws, pass: .measuring)
        let trained = Array(UnsafeBufferPointer(start: ws.logits, count: batch * 10))

        let size = arch.input.count
        let folded = try network.forInference(measuringOn: batch, batchSize: batch) { i, into in
            x.withUnsafeBufferPointer { into.update(from: $0.baseAddress! + i * size, count: size) }
        }
        XCTAssertEqual(folded.architecture.spec, arch.inferenceSpec)
        let inferred = folded.logits(x)
        for (a, b) in zip(trained, inferred) { XCTAssertEqual(a, b, accuracy: 1e-3 + 1e-3 * abs(a)) }
        XCTAssertGreaterThan(trained.map(abs).max() ?? 0, 0.1, "logits big enough for the comparison to mean something")
    }

    func testStatisticsNeedSamples() throws {
        let network = Network(architecture: try Architecture("c3x4,bn,relu,pool,d10", input: Shape(8, 8, 1)), seed: 1)
        XCTAssertThrowsError(try network.forInference(measuringOn: 0) { _, _ in }) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "batchnorm_no_samples")
        }
    }

    /// Only dropout: nothing to measure, the layers simply go.
    func testDropoutAloneIsDropped() throws {
        let network = Network(architecture: try Architecture("c3x4,relu,pool,drop0.5,d10", input: Shape(8, 8, 1)), seed: 1)
        let folded = try network.forInference(measuringOn: 0) { _, _ in XCTFail("no samples are needed") }
        XCTAssertEqual(folded.architecture.spec, "c3x4,relu,pool,d10")
        XCTAssertEqual(folded.parameters, network.parameters)
    }

    func testModelFilesHoldNoTrainingOnlyLayers() throws {
        let network = Network(architecture: try Architecture("c3x4,bn,relu,pool,d10", input: Shape(8, 8, 1)), seed: 1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bn-\(UUID().uuidString).bkn").path
        XCTAssertThrowsError(try ModelFile.write(network, to: path)) { XCTAssertEqual(($0 as? BlankettError)?.code, "model_training_layers") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        // A file made by hand with such a layer is refused on reading, not run.
        let plain = Network(architecture: try Architecture("c3x4,relu,pool,d10", input: Shape(8, 8, 1)), seed: 1)
        var bytes = ModelFile.encode(plain)
        XCTAssertNoThrow(try ModelFile.decode(bytes))
        bytes = ModelFile.encode(network)  // encode itself does not check; decode must
        XCTAssertThrowsError(try ModelFile.decode(bytes)) { XCTAssertEqual(($0 as? BlankettError)?.code, "model_training_layers") }
    }
}
