// The manifest written beside the weights: everything needed to reproduce the model (seed,
// data hashes, options) and the figures it reached, so a reader can check both.
import ConvNet
import Foundation
import ScanCells
import Synth

public struct ModelManifest: Codable, ManifestFile {
    public struct Training: Codable, Sendable {
        /// The architecture as trained, when it had layers folded away for inference.
        public var architecture: String?
        public var seed: UInt64
        public var epochs: Int
        public var batchSize: Int
        public var optimizer: String
        public var learningRate: Float
        public var finalLearningRate: Float
        public var weightDecay: Float
        public var threads: Int
        public var augmentationStrength: Float
        public var trainDigits: Int
        public var holdoutDigits: Int
        public var scanCells: ScanCellSet?
        public var scanHoldoutCells: ScanCellSet?
        public var finalLoss: Double
        public var finalAugmentedAccuracy: Double
        public var seconds: Double
    }
    /// Cells the reader cut out of synthetic scans written with MNIST training digits or by the
    /// pen-trajectory model.
    public struct ScanCellSet: Codable, Sendable {
        public var pages: Int
        public var seed: UInt64
        public var scanDate: String
        /// "mnist", "strokes" or "mixed" (Writers); absent in manifests written before: MNIST.
        public var writers: String?
        public var mnistTrainDigits: String
        public var cells: Int
        public var writtenCellsWithoutInk: Int
        public var pagesNotRegistered: Int

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
    public struct Figures: Codable, Sendable {
        public var count: Int
        public var correct: Int
        public var accuracy: Double
        public var ece: Double?
        public var eceBeforeTemperature: Double?
    }
    public struct Subset: Codable, Sendable {
        public var path: String
        public var selection: String
        public var figures: Figures
    }

    public var format = "blankett-cnn"
    public var formatVersion = 1
    public var modelFile: String
    public var modelSha256: String
    public var architecture: String
    public var input: [Int]
    public var parameters: Int
    public var flopsPerDigit: Int
    public var temperature: Float
    public var training: Training
    public var dataSha256: [String: String]
    public var mnistTest: Figures?
    /// The held-out digits as cut from synthetic scans: the temperature was fitted on them.
    public var scanHoldout: Figures?
    public var bundledSubset: Subset?
    public var createdAt: String
    public var engineVersion: String
    public var machine: String
}

/// The committed model when it is an ensemble: the members' own manifests and the committee's figures.
public struct EnsembleManifest: Codable, ManifestFile {
    public var format = "blankett-cnn-ensemble"
    public var formatVersion = 2
    public var modelFile: String
    public var modelSha256: String
    /// Divides the members' mean logits; fitted on the first member's held-out scan cells.
    public var temperature: Float
    /// All members together; the reader runs only the first on most digits.
    public var flopsPerDigit: Int
    public var members: [ModelManifest]
    public var mnistTest: ModelManifest.Figures?
    public var scanHoldout: ModelManifest.Figures?
    public var bundledSubset: ModelManifest.Subset?
    public var createdAt: String
    public var engineVersion: String
    public var machine: String
}

/// Manifests are JSON with snake_case keys, sorted so that two runs compare line by line.
public protocol ManifestFile: Codable {}

extension ManifestFile {
    public static func read(_ path: String) throws -> Self {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func write(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// <name>.manifest.json beside the model file <name>.bkn.
    public static func path(beside model: String) -> String {
        ((model as NSString).deletingPathExtension) + ".manifest.json"
    }

    /// The machine a model was made on, for whoever compares its timings.
    static var thisMachine: String { "\(ProcessInfo.processInfo.activeProcessorCount) cores; \(BLAS.configuration)" }

    /// `createdAt` of a manifest written now.
    static var now: String { ISO8601DateFormatter().string(from: Date()) }
}
