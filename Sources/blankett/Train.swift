import ArgumentParser
import BlankettSupport
import ConvNet
import DigitImage
import FieldRules
import Foundation
import MNIST
import ScanCells
import Synth

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the digit network on MNIST and write the model and its manifest.",
        discussion: """
            Trains on the MNIST training set with augmentation that imitates digits cut out of scanned comb cells, plus the cells the reader itself cuts out of --scan-pages synthetic scans written with those training digits. The last --holdout training digits are kept aside: written on --scan-holdout-pages more scans, their cells fit the softmax temperature (calibration where the reader works) and measure scan accuracy. Then accuracy and calibration are measured on MNIST test and on the subset bundled in SampleScans/digits. The same seed, data and --threads give the same model bit for bit.
            """
    )

    @Option(help: "Folder with the MNIST IDX files (gzip or raw).")
    var mnist = ProjectPaths.locate(ProjectPaths.sharedMNIST) ?? ProjectPaths.sharedMNIST
    @Option(help: "Where to write the model; the manifest goes beside it as <name>.manifest.json.")
    var out = ProjectPaths.modelFile
    @Option(help: "Network architecture: c<k>x<n>[p<pad>] convolution, relu, pool (2×2 max), d<n> dense, and the training-only bn (batch norm after a convolution or dense layer, folded into it) and drop<rate> (dropout, e.g. drop0.4).")
    var arch = Architecture.digits
    @Option(parsing: .unconditional, help: "Passes over the training digits, 1 to 1000.") var epochs = 20
    @Option(parsing: .unconditional, help: "Digits per mini-batch, 1 to 4096.") var batch = 128
    @Option(parsing: .unconditional, help: "Peak learning rate (AdamW, cosine decay), above 0 and at most 1.") var lr: Float = 2e-3
    @Option(parsing: .unconditional, help: "Random seed for weights, shuffling and augmentation.") var seed: UInt64 = 20_261_124
    @Option(parsing: .unconditional, help: "Worker threads, 1 to 256; each runs one BLAS thread on its share of every batch.") var threads = 2
    @Option(parsing: .unconditional, help: "Training digits held out to fit the temperature.") var holdout = 5_000
    @Option(parsing: .unconditional, help: "Scale of all augmentations, 0 (none) to 10.") var strength: Float = 1
    @Option(parsing: .unconditional, help: "Train on only the first N digits (for a quick trial).") var limit: Int?
    @Option(parsing: .unconditional, help: "Synthetic scans written with the training digits, whose cells join the training set (0: MNIST alone), at most 1,000,000.")
    var scanPages = 2_400
    @Option(parsing: .unconditional, help: "Synthetic scans written with the held-out digits, to fit the temperature on (0: fit on the clean held-out digits), at most 1,000,000.")
    var scanHoldoutPages = 400
    @Option(help: "Who writes the digits of the scan-cell pages, training and held-out alike: \(Writers.helpText)")
    var scanWriters = Writers.mnist

    func validate() throws {
        try OptionRange.check(epochs, 1...1000, "--epochs")
        try OptionRange.check(batch, 1...4096, "--batch")
        guard lr > 0, lr <= 1 else { throw ValidationError("--lr must be above 0 and at most 1, not \(lr)") }
        try OptionRange.check(threads, OptionRange.threads, "--threads")
        try OptionRange.check(holdout, 0...1_000_000, "--holdout")
        try OptionRange.check(strength, 0...10, "--strength")
        if let limit { try OptionRange.check(limit, 1...100_000_000, "--limit") }
        try OptionRange.check(scanPages, OptionRange.pages, "--scan-pages")
        try OptionRange.check(scanHoldoutPages, OptionRange.pages, "--scan-holdout-pages")
    }

    func run() throws {
        let started = ContinuousClock.now
        let files = try MNISTSet.locate(directory: mnist, prefix: "train")
        let train = try MNISTSet(directory: mnist, prefix: "train")
        let usable = min(limit ?? train.count, train.count)
        guard usable > holdout + batch else {
            throw ValidationError("\(usable) digits leave too few to train after holding out \(holdout)")
        }
        let trainCount = usable - holdout
        let architecture = try Architecture(arch)
        var options = TrainingOptions()
        options.epochs = epochs; options.batchSize = batch; options.learningRate = lr
        options.threads = threads; options.seed = seed
        printError("Training \(architecture) (\(architecture.parameterCount) parameters, \(architecture.flopsPerSample) FLOP/digit) on \(trainCount) digits, \(threads) threads, seed \(seed)")

        let scanTrain = try scanCells(pages: scanPages, seed: seed &+ 1, digits: 0..<trainCount, label: "scan cells")
        let scanHeld = try scanCells(pages: holdout > 0 ? scanHoldoutPages : 0, seed: seed &+ 2, digits: trainCount..<usable,
                                     label: "held-out scan cells")
        let trainer = Trainer(network: Network(architecture: architecture, seed: seed), options: options)
        let augmenter = DigitAugmenter(strength: strength)
        let labels = train.labels.prefix(trainCount).map(Int32.init) + scanTrain.labels
        let bar = ProgressBar(total: epochs * (labels.count / batch), label: "train")
        var last: TrainingProgress?
        let scanSamples = scanTrain.samples, size = architecture.input.height * architecture.input.width
        let sample: Trainer.SampleSource = { index, epoch, out in
            guard index >= trainCount else {
                return train.augmented(index, epoch: epoch, seed: seed, augmenter: augmenter, into: out)
            }
            scanSamples.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + (index - trainCount) * size, count: size) }
        }
        trainer.train(labels: labels, sample: sample) { p in
            last = p
            bar.update((p.epoch - 1) * p.batches + p.batch,
                       String(format: "epoch %d/%d loss %.4f acc %.2f%%", p.epoch, p.epochs, p.meanLoss, 100 * p.accuracy))
        }
        var network = try Self.foldedForInference(trainer.network, samples: labels.count) { sample($0, 0, $1) }

        // Calibrated where the reader works: on held-out digits as cut from scans, when there are any.
        let held = scanHeld.count > 0 ? (samples: scanHeld.samples, labels: scanHeld.labels.map(Int.init))
                                      : train.normalizedSamples(trainCount..<usable)
        let logits = network.logits(held.samples)
        network.temperature = held.labels.isEmpty ? 1 : Calibration.fitTemperature(logits: logits, labels: held.labels, classes: network.classes)
        printError(String(format: "temperature %.3f (fitted on %d held-out %@)", network.temperature, held.labels.count,
                          scanHeld.count > 0 ? "scan cells" : "digits"))

        let written = try ModelFile.write(network, to: out)
        let manifestPath = Self.manifestPath(for: out)
        let alone = Ensemble(network)  // the figures are measured on a model; one network is a committee of one
        let manifest = ModelManifest(
            modelFile: (out as NSString).lastPathComponent,
            modelSha256: SHA256.hex(written),
            architecture: network.architecture.spec,
            input: [architecture.input.height, architecture.input.width, architecture.input.channels],
            parameters: network.architecture.parameterCount,
            flopsPerDigit: network.architecture.flopsPerSample,
            temperature: network.temperature,
            training: .init(architecture: architecture.trainingOnly ? architecture.spec : nil, seed: seed, epochs: epochs, batchSize: batch, optimizer: "AdamW, cosine schedule",
                            learningRate: lr, finalLearningRate: options.finalLearningRate,
                            weightDecay: options.weightDecay, threads: threads, augmentationStrength: strength,
                            trainDigits: trainCount, holdoutDigits: holdout,
                            scanCells: .init(scanTrain, seed: seed &+ 1, digits: 0..<trainCount, writers: scanWriters),
                            scanHoldoutCells: .init(scanHeld, seed: seed &+ 2, digits: trainCount..<usable, writers: scanWriters),
                            finalLoss: last?.meanLoss ?? 0,
                            finalAugmentedAccuracy: last?.accuracy ?? 0,
                            seconds: (ContinuousClock.now - started).seconds),
            dataSha256: try Self.fileHashes([files.images, files.labels] + Self.testFiles(mnist)
                                            + (scanPages + scanHoldoutPages > 0 ? Self.formFiles : [])),
            mnistTest: try Self.testFigures(alone, directory: mnist),
            scanHoldout: scanHeld.count > 0 ? Self.figures(alone, samples: scanHeld.samples, labels: scanHeld.labels.map(Int.init)) : nil,
            bundledSubset: try Self.subsetFigures(alone),
            createdAt: ISO8601DateFormatter().string(from: Date()),
            engineVersion: Blankett.version,
            machine: "\(ProcessInfo.processInfo.activeProcessorCount) cores; \(BLAS.configuration)"
        )
        try manifest.write(manifestPath)
        if let test = manifest.mnistTest {
            print(String(format: "MNIST test: %.2f %% (%d of %d), ECE %.2f %%", 100 * test.accuracy, test.correct, test.count, 100 * (test.ece ?? 0)))
        }
        if let scan = manifest.scanHoldout {
            print(String(format: "held-out scan cells: %.2f %% (%d of %d), ECE %.2f %%", 100 * scan.accuracy, scan.correct, scan.count, 100 * (scan.ece ?? 0)))
        }
        print(Personnummer.redacted("wrote \(out) and \(manifestPath)"))
    }

    /// Training digits the batch-norm statistics are measured on, spread evenly over the set.
    static let statisticsSamples = 10_240

    /// The trained network folded for inference; its batch-norm statistics measured on training
    /// samples as the first epoch augmented them.
    static func foldedForInference(_ network: Network, samples: Int,
                                   sample: (Int, UnsafeMutablePointer<Float>) -> Void) throws -> Network {
        guard network.architecture.trainingOnly else { return network }
        let count = min(statisticsSamples, samples)
        printError("folding \(network.architecture) into \(network.architecture.inferenceSpec), statistics on \(count) training samples")
        return try network.forInference(measuringOn: count) { i, out in sample(i * samples / count, out) }
    }

    static func manifestPath(for model: String) -> String {
        ((model as NSString).deletingPathExtension) + ".manifest.json"
    }

    static func testFiles(_ directory: String) -> [String] {
        guard let files = try? MNISTSet.locate(directory: directory, prefix: "t10k") else { return [] }
        return [files.images, files.labels]
    }

    static func fileHashes(_ paths: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BlankettError("file_not_found", "cannot read \(path)")
            }
            out[(path as NSString).lastPathComponent] = SHA256.hex(data)
        }
        return out
    }

    private func scanCells(pages: Int, seed: UInt64, digits: Range<Int>, label: String) throws -> ScanCells {
        try Self.scanCells(pages: pages, seed: seed, digits: digits, writers: scanWriters, label: label, mnist: mnist, threads: threads)
    }

    /// Cells of synthetic scans, cut by the reader (none for 0 pages).
    static func scanCells(pages: Int, seed: UInt64, digits: Range<Int>, writers: Writers, label: String, mnist: String,
                          threads: Int) throws -> ScanCells {
        guard pages > 0 else { return ScanCells() }
        let hands = writers == .mnist ? "" : " (\(writers.rawValue) writers)"
        printError("\(label): \(pages) synthetic scans written with MNIST training digits \(digits.lowerBound) to \(digits.upperBound - 1)\(hands), seed \(seed)")
        let bar = ProgressBar(total: pages, label: label)
        let cells = try ScanCells.make(pages: pages, seed: seed, digits: .train(digits), writers: writers, mnistDirectory: mnist,
                                       templatePath: ProjectPaths.defaultTemplate, threads: threads) { done, _ in
            bar.update(done, "")
        }
        printError("\(label): \(cells.count) cells, \(cells.missed) written cells without ink found, \(cells.unregistered) pages not registered")
        return cells
    }

    /// The template and blank the scan cells are drawn on.
    static var formFiles: [String] {
        let template = ProjectPaths.defaultTemplate
        return [template, ((template as NSString).deletingLastPathComponent as NSString).appendingPathComponent("blank-300dpi.png")]
    }

    static func figures(_ model: Ensemble, _ set: MNISTSet) -> ModelManifest.Figures {
        let data = set.normalizedSamples(0..<set.count)
        return figures(model, samples: data.samples, labels: data.labels)
    }

    static func figures(_ model: Ensemble, samples: [Float], labels: [Int]) -> ModelManifest.Figures {
        let evaluation = Evaluation(network: model, samples: samples, labels: labels)
        var raw = model
        raw.temperature = 1
        let before = Evaluation(network: raw, samples: samples, labels: labels)
        return .init(count: evaluation.count, correct: evaluation.correct, accuracy: evaluation.accuracy,
                     ece: evaluation.ece, eceBeforeTemperature: before.ece)
    }

    static func testFigures(_ model: Ensemble, directory: String) throws -> ModelManifest.Figures? {
        guard !testFiles(directory).isEmpty else { return nil }
        return figures(model, try MNISTSet(directory: directory, prefix: "t10k"))
    }

    static func subsetFigures(_ model: Ensemble) throws -> ModelManifest.Subset? {
        guard let dir = ProjectPaths.locate(ProjectPaths.bundledDigits) else { return nil }
        return .init(path: ProjectPaths.bundledDigits, selection: "MNIST test digits 0, 5, 10, …, 9995",
                     figures: figures(model, try MNISTSet(directory: dir, prefix: "t10k")))
    }
}
