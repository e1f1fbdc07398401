// The digit network on its own, every digit normalised exactly as the reader normalises a cell
// cut from a scan. An ensemble is measured as the committee and again as its first member alone,
// which reads every digit before the committee is asked about doubtful fields.
import ConvNet
import MNIST
import ScanCells
import Synth

public struct DigitEvaluation {
    /// Synthetic scans written with MNIST test digits, whose cells the reader cuts; 0 pages for none.
    public struct Scans: Sendable {
        public var pages: Int
        public var seed: UInt64
        public var writers: Writers
        public var threads: Int
        /// A folder for the misread cells as PNG files, when they are wanted.
        public var errors: String?

        public init(pages: Int, seed: UInt64, writers: Writers, threads: Int, errors: String?) {
            self.pages = pages
            self.seed = seed
            self.writers = writers
            self.threads = threads
            self.errors = errors
        }
    }

    public let model: Ensemble
    public let evaluation: Evaluation
    public let firstMember: Evaluation?
    /// The model's, then its first member's when it is an ensemble; none for 0 pages.
    public let scanCells: [Evaluation]
    /// Measured in the same run as the throughput, so that the two compare.
    public let sgemmGFLOPS: Double
    /// The first member's on one core, at batch 32 and 256.
    public let throughput: [Throughput]

    /// `temperature` replaces the model's (the committee's for an ensemble), to compare calibrations.
    public init(model path: String, temperature: Float?, data: DigitData, limit: Int?, scans: Scans,
                progress: (RunEvent) -> Void) throws {
        var model = try ModelFile.read(path)
        if let temperature { model.temperature = temperature }
        let network = model.primary
        let alone = model.members.count > 1 ? [network] : []
        let set = try MNISTSet(directory: data.mnist, prefix: "t10k")
        let count = min(limit ?? set.count, set.count)
        let digits = set.normalizedSamples(0..<count)
        self.model = model
        evaluation = Evaluation(network: model, samples: digits.samples, labels: digits.labels)
        firstMember = alone.first.map { Evaluation(network: $0, samples: digits.samples, labels: digits.labels) }
        scanCells = try Self.evaluate([model] + alone.map(Ensemble.init), on: scans, data: data, progress: progress)
        sgemmGFLOPS = BLAS.measureGFLOPS()
        throughput = [32, 256].map { Throughput(network: network, samples: digits.samples, batch: $0) }
    }

    /// The misread cells written are the first model's.
    private static func evaluate(_ models: [Ensemble], on scans: Scans, data: DigitData,
                                 progress: (RunEvent) -> Void) throws -> [Evaluation] {
        guard scans.pages > 0 else { return [] }
        progress(.stage("scan cells", total: scans.pages))
        let cells = try ScanCells.make(pages: scans.pages, seed: scans.seed, digits: .test, writers: scans.writers, mnistDirectory: data.mnist,
                                       templatePath: data.template, threads: scans.threads) { done, _ in
            progress(.step(done, detail: ""))
        }
        let labels = cells.labels.map(Int.init)
        let evaluations = models.map { Evaluation(network: $0, samples: cells.samples, labels: labels) }
        if let errors = scans.errors { try MisreadCells.write(evaluations[0], cells: cells, to: errors) }
        return evaluations
    }
}
