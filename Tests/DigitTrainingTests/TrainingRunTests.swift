// Training and joining a committee as `blankett train` and `blankett ensemble` do, on a network
// small enough for a test: the same configuration must give the same model file bit for bit, the
// manifest must describe the file beside it, and the committee must re-make exactly the held-out
// scan cells its first member's manifest records (else its temperature is fitted on other cells).
import BlankettSupport
import BlankettTestSupport
import ConvNet
import DigitTraining
import Foundation
import XCTest

final class TrainingRunTests: XCTestCase {
    static let data = DigitData(mnist: BundledDigits.asTrainingSet,
                                template: BuiltExecutable.repositoryRoot.appendingPathComponent("Forms/pm7001/template.json").path)
    static let architecture = "c5x4,bn,relu,pool,d10"

    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("training-run-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func train(_ name: String) throws -> (manifest: ModelManifest, path: String) {
        var options = TrainingOptions()
        options.epochs = 1; options.batchSize = 32; options.threads = 2; options.seed = 5
        let path = (folder as NSString).appendingPathComponent(name)
        let configuration = TrainingConfiguration(architecture: Self.architecture, options: options, holdout: 200, strength: 1, limit: 700,
                                                  scanPages: 1, scanHoldoutPages: 1, scanWriters: .mnist, data: Self.data,
                                                  out: path, engineVersion: "test")
        return (try TrainingRun.run(configuration) { _ in }, path)
    }

    func testSameConfigurationSameModelAndItsManifest() throws {
        let (manifest, path) = try train("a.bkn")
        let (_, again) = try train("b.bkn")
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        XCTAssertEqual(bytes, FileManager.default.contents(atPath: again))

        XCTAssertEqual(manifest.modelSha256, SHA256.hex(bytes))
        XCTAssertEqual(try ModelManifest.read(ModelManifest.path(beside: path)).modelSha256, manifest.modelSha256)
        let model = try ModelFile.read(path)
        XCTAssertEqual(model.primary.architecture.spec, manifest.architecture)
        XCTAssertFalse(model.primary.architecture.trainingOnly)
        XCTAssertEqual(manifest.training.architecture, Self.architecture)
        XCTAssertEqual(manifest.training.trainDigits, 500)
        let held = try XCTUnwrap(manifest.training.scanHoldoutCells)
        XCTAssertEqual(held.mnistTrainDigits, "500..<700")
        XCTAssertEqual(manifest.scanHoldout?.count, held.cells)
        XCTAssertGreaterThan(held.cells, 0)
    }

    func testCommitteeRemakesTheFirstMembersHeldOutCells() throws {
        let first = try train("a.bkn"), second = try train("b.bkn")
        let out = (folder as NSString).appendingPathComponent("committee.bkn")
        let manifest = try CommitteeBuild.build(members: [first.path, second.path], out: out, data: Self.data, threads: 2,
                                                engineVersion: "test") { _ in }
        let held = try XCTUnwrap(first.manifest.training.scanHoldoutCells)
        XCTAssertEqual(manifest.scanHoldout?.count, held.cells)
        XCTAssertEqual(manifest.members.map(\.modelSha256), [first.manifest.modelSha256, second.manifest.modelSha256])
        let model = try ModelFile.read(out)
        XCTAssertEqual(model.members.count, 2)
        XCTAssertEqual(SHA256.hex(try XCTUnwrap(FileManager.default.contents(atPath: out))), manifest.modelSha256)
        XCTAssertEqual(model.temperature, manifest.temperature)
    }
}
