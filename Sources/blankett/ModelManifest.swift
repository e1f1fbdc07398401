// The manifest written beside the weights: everything needed to reproduce the model (seed,
// data hashes, options) and the figures it reached, so a reader can check both.
import Foundation
import ScanCells

struct ModelManifest: Codable {
    struct Training: Codable {
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
    /// Cells the reader cut out of synthetic scans written with MNIST training digits.
    struct ScanCellSet: Codable {
        var pages: Int
        var seed: UInt64
        var scanDate: String
        var mnistTrainDigits: String
        var cells: Int
        var writtenCellsWithoutInk: Int
        var pagesNotRegistered: Int

        init?(_ set: ScanCells, seed: UInt64, digits: Range<Int>) {
            guard set.pages > 0 else { return nil }
            pages = set.pages
            self.seed = seed
            scanDate = ScanCells.scanDate
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

    static func read(_ path: String) throws -> ModelManifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ModelManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func write(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
