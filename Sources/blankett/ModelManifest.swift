// The manifest written beside the weights: everything needed to reproduce the model (seed,
// data hashes, options) and the figures it reached, so a reader can check both.
import Foundation
import ScanCells
import Synth

struct ModelManifest: Codable, ManifestFile {
    struct Training: Codable {
        /// The architecture as trained, when it had layers folded away for inference.
        var architecture: String?
        var seed: UInt64
        var epochs: Int
        var batchSize: Int
        var optimizer: String
        var learningRate: Float
        var finalLearningRate: Float
        var weightDecay: Float
        var threads: Int
        var augmentationStrength: Float
        var trainDigits: Int
        var holdoutDigits: Int
        var scanCells: ScanCellSet?
        var scanHoldoutCells: ScanCellSet?
        var finalLoss: Double
        var finalAugmentedAccuracy: Double
        var seconds: Double
    }
    /// Cells the reader cut out of synthetic scans written with MNIST training digits or by the
    /// pen-trajectory model.
    struct ScanCellSet: Codable {
        var pages: Int
        var seed: UInt64
        var scanDate: String
        /// "mnist", "strokes" or "mixed" (Writers); absent in manifests written before: MNIST.
        var writers: String?
        var mnistTrainDigits: String
        var cells: Int
        var writtenCellsWithoutInk: Int
        var pagesNotRegistered: Int

        init?(_ set: ScanCells, seed: UInt64, digits: Range<Int>, writers: Writers) {
            guard set.pages > 0 else { return nil }
            pages = set.pages
            self.seed = seed
            scanDate = ScanCells.scanDate
            self.writers = writers.rawValue
            mnistTrainDigits = "\(digits.lowerBound)..<\(digits.upperBound)"
            cells = set.count
            writtenCellsWithoutInk = set.missed
            pagesNotRegistered = set.unregistered
        }
    }
    struct Figures: Codable {
        var count: Int
        var correct: Int
        var accuracy: Double
        var ece: Double?
        var eceBeforeTemperature: Double?
    }
    struct Subset: Codable {
        var path: String
        var selection: String
        var figures: Figures
    }

    var format = "blankett-cnn"
    var formatVersion = 1
    var modelFile: String
    var modelSha256: String
    var architecture: String
    var input: [Int]
    var parameters: Int
    var flopsPerDigit: Int
    var temperature: Float
    var training: Training
    var dataSha256: [String: String]
    var mnistTest: Figures?
    /// The held-out digits as cut from synthetic scans: the temperature was fitted on them.
    var scanHoldout: Figures?
    var bundledSubset: Subset?
    var createdAt: String
    var engineVersion: String
    var machine: String
}

/// The committed model when it is an ensemble: the members' own manifests and the committee's figures.
struct EnsembleManifest: Codable, ManifestFile {
    var format = "blankett-cnn-ensemble"
    var formatVersion = 2
    var modelFile: String
    var modelSha256: String
    /// Divides the members' mean logits; fitted on the first member's held-out scan cells.
    var temperature: Float
    /// All members together; the reader runs only the first on most digits.
    var flopsPerDigit: Int
    var members: [ModelManifest]
    var mnistTest: ModelManifest.Figures?
    var scanHoldout: ModelManifest.Figures?
    var bundledSubset: ModelManifest.Subset?
    var createdAt: String
    var engineVersion: String
    var machine: String
}

/// Manifests are JSON with snake_case keys, sorted so that two runs compare line by line.
protocol ManifestFile: Codable {}

extension ManifestFile {
    static func read(_ path: String) throws -> Self {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func write(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
