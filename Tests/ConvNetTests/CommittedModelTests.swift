// The committed model (an ensemble) must be the one its manifest describes, member by member,
// and must score, on the MNIST test digits bundled in SampleScans/digits, exactly what the
// manifest records for them.
import BlankettSupport
import ConvNet
import Foundation
import MNIST
import XCTest

final class CommittedModelTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func testCommittedModelMatchesItsManifest() throws {
        let modelPath = Self.root.appendingPathComponent("Models/digits.bkn").path
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: modelPath), "Models/digits.bkn is missing")
        let manifestData = try Data(contentsOf: Self.root.appendingPathComponent("Models/digits.manifest.json"))
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        XCTAssertEqual(SHA256.hex(bytes), manifest["model_sha256"] as? String)

        // Every member is the very network its own training manifest describes.
        let model = try ModelFile.decode([UInt8](bytes))
        let members = try XCTUnwrap(manifest["members"] as? [[String: Any]])
        XCTAssertEqual(model.members.count, members.count)
        XCTAssertGreaterThan(model.members.count, 1)
        for (network, member) in zip(model.members, members) {
            XCTAssertEqual(SHA256.hex(ModelFile.encode(network)), member["model_sha256"] as? String)
            XCTAssertEqual(network.architecture.spec, member["architecture"] as? String)
            XCTAssertEqual(network.architecture.spec, Architecture.digits)
            XCTAssertEqual(Double(network.temperature), try XCTUnwrap(member["temperature"] as? Double), accuracy: 1e-6)
        }
        XCTAssertEqual(Double(model.temperature), try XCTUnwrap(manifest["temperature"] as? Double), accuracy: 1e-6)

        let subset = try XCTUnwrap((manifest["bundled_subset"] as? [String: Any])?["figures"] as? [String: Any])
        let set = try MNISTSet(directory: Self.root.appendingPathComponent("SampleScans/digits").path, prefix: "t10k")
        let data = set.normalizedSamples(0..<set.count)
        let evaluation = Evaluation(network: model, samples: data.samples, labels: data.labels)
        XCTAssertEqual(evaluation.count, subset["count"] as? Int)
        XCTAssertEqual(evaluation.correct, subset["correct"] as? Int)
        XCTAssertGreaterThanOrEqual(evaluation.accuracy, 0.99)
        let test = try XCTUnwrap(manifest["mnist_test"] as? [String: Any])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(test["accuracy"] as? Double), 0.995)
        XCTAssertLessThanOrEqual(try XCTUnwrap(test["ece"] as? Double), 0.01)
    }

    /// The error–reject table of `digits eval`: every digit is covered at level 0, fewer (and
    /// never more wrong ones) at each higher level, and the errors it predicts are Σ (1 − p).
    func testCoverageTableCountsDigitsAndErrors() throws {
        let network = try ModelFile.read(Self.root.appendingPathComponent("Models/digits.bkn").path)
        let set = try MNISTSet(directory: Self.root.appendingPathComponent("SampleScans/digits").path, prefix: "t10k")
        let data = set.normalizedSamples(0..<set.count)
        let evaluation = Evaluation(network: network, samples: data.samples, labels: data.labels)
        let table = evaluation.coverage(levels: [0] + Evaluation.coverageLevels)
        XCTAssertEqual(table[0].covered, evaluation.count)
        XCTAssertEqual(table[0].wrong, evaluation.count - evaluation.correct)
        XCTAssertEqual(table[0].predictedWrong, evaluation.confidences.reduce(0) { $0 + 1 - Double($1) }, accuracy: 1e-9)
        for (lower, higher) in zip(table, table.dropFirst()) {
            XCTAssertLessThanOrEqual(higher.covered, lower.covered)
            XCTAssertLessThanOrEqual(higher.wrong, lower.wrong)
            XCTAssertLessThanOrEqual(higher.predictedWrong, lower.predictedWrong)
        }
        let sure = try XCTUnwrap(table.last)
        XCTAssertEqual(sure.covered, evaluation.confidences.filter { Double($0) >= 0.99999 }.count)
        XCTAssertGreaterThan(table[2].covered, evaluation.count / 2, "most digits should be read at ≥ 0.99")
    }
}
