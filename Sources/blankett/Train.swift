import ArgumentParser
import BlankettSupport
import ConvNet
import DigitImage
import Foundation
import MNIST

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the digit network on MNIST and write the model and its manifest.",
        discussion: """
            Trains on the MNIST training set with augmentation that imitates digits cut out of scanned comb cells, keeps the last --holdout training digits aside to fit the softmax temperature, then measures accuracy and calibration on MNIST test and on the subset bundled in SampleScans/digits. The same seed, data and --threads give the same model bit for bit.
            """
    )

    @Option(help: "Folder with the MNIST IDX files (gzip or raw).")
    var mnist = ProjectPaths.locate(ProjectPaths.sharedMNIST) ?? ProjectPaths.sharedMNIST
    @Option(help: "Where to write the model; the manifest goes beside it as <name>.manifest.json.")
    var out = ProjectPaths.modelFile
    @Option(help: "Network architecture (c<k>x<n>[p<pad>], relu, pool, d<n>).")
    var arch = Architecture.digits
    @Option(help: "Passes over the training digits.") var epochs = 30
    @Option(help: "Digits per mini-batch.") var batch = 128
    @Option(help: "Peak learning rate (AdamW, cosine decay).") var lr: Float = 2e-3
    @Option(help: "Random seed for weights, shuffling and augmentation.") var seed: UInt64 = 20_261_124
    @Option(help: "Worker threads; each runs one BLAS thread on its share of every batch.") var threads = 2
    @Option(help: "Training digits held out to fit the temperature.") var holdout = 5_000
    @Option(help: "Scale of all augmentations (0 = none).") var strength: Float = 1
    @Option(help: "Train on only the first N digits (for a quick trial).") var limit: Int?

    func validate() throws {
        guard epochs > 0, batch > 0, threads > 0, lr > 0, holdout >= 0, strength >= 0 else {
            throw ValidationError("epochs, batch, threads and lr must be positive; holdout and strength not negative")
        }
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

        let trainer = Trainer(network: Network(architecture: architecture, seed: seed), options: options)
        let augmenter = DigitAugmenter(strength: strength)
        let bar = ProgressBar(total: epochs * (trainCount / batch), label: "train")
        var last: TrainingProgress?
        trainer.train(labels: train.labels.prefix(trainCount).map(Int32.init)) { index, epoch, out in
            train.augmented(index, epoch: epoch, seed: seed, augmenter: augmenter, into: out)
        } progress: { p in
            last = p
            bar.update((p.epoch - 1) * p.batches + p.batch,
                       String(format: "epoch %d/%d loss %.4f acc %.2f%%", p.epoch, p.epochs, p.meanLoss, 100 * p.accuracy))
        }
        var network = trainer.network

        let held = train.normalizedSamples(trainCount..<usable)
        let logits = network.logits(held.samples)
        network.temperature = holdout > 0 ? Calibration.fitTemperature(logits: logits, labels: held.labels, classes: network.classes) : 1
        printError(String(format: "temperature %.3f (fitted on %d held-out digits)", network.temperature, holdout))

        try ModelFile.write(network, to: out)
        let manifestPath = Self.manifestPath(for: out)
        let manifest = ModelManifest(
            modelFile: (out as NSString).lastPathComponent,
            modelSha256: SHA256.hex(ModelFile.encode(network)),
            architecture: architecture.spec,
            input: [architecture.input.height, architecture.input.width, architecture.input.channels],
            parameters: architecture.parameterCount,
            flopsPerDigit: architecture.flopsPerSample,
            temperature: network.temperature,
            training: .init(seed: seed, epochs: epochs, batchSize: batch, optimizer: "AdamW, cosine schedule",
                            learningRate: lr, finalLearningRate: options.finalLearningRate,
                            weightDecay: options.weightDecay, threads: threads, augmentationStrength: strength,
                            trainDigits: trainCount, holdoutDigits: holdout, finalLoss: last?.meanLoss ?? 0,
                            finalAugmentedAccuracy: last?.accuracy ?? 0,
                            seconds: (ContinuousClock.now - started).seconds),
            dataSha256: try Self.fileHashes([files.images, files.labels] + Self.testFiles(mnist)),
            mnistTest: try Self.testFigures(network, directory: mnist),
            bundledSubset: try Self.subsetFigures(network),
            createdAt: ISO8601DateFormatter().string(from: Date()),
            engineVersion: Blankett.version,
            machine: "\(ProcessInfo.processInfo.activeProcessorCount) cores; \(BLAS.configuration)"
        )
        try manifest.write(manifestPath)
        if let test = manifest.mnistTest {
            print(String(format: "MNIST test: %.2f %% (%d of %d), ECE %.2f %%", 100 * test.accuracy, test.correct, test.count, 100 * (test.ece ?? 0)))
        }
        print("wrote \(out) and \(manifestPath)")
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

    static func figures(_ network: Network, _ set: MNISTSet) -> ModelManifest.Figures {
        let data = set.normalizedSamples(0..<set.count)
        let evaluation = Evaluation(network: network, samples: data.samples, labels: data.labels)
        var raw = network
        raw.temperature = 1
        let before = Evaluation(network: raw, samples: data.samples, labels: data.labels)
        return .init(count: evaluation.count, correct: evaluation.correct, accuracy: evaluation.accuracy,
                     ece: evaluation.ece, eceBeforeTemperature: before.ece)
    }

    static func testFigures(_ network: Network, directory: String) throws -> ModelManifest.Figures? {
        guard !testFiles(directory).isEmpty else { return nil }
        return figures(network, try MNISTSet(directory: directory, prefix: "t10k"))
    }

    static func subsetFigures(_ network: Network) throws -> ModelManifest.Subset? {
        guard let dir = ProjectPaths.locate(ProjectPaths.bundledDigits) else { return nil }
        return .init(path: ProjectPaths.bundledDigits, selection: "MNIST test digits 0, 5, 10, …, 9995",
                     figures: figures(network, try MNISTSet(directory: dir, prefix: "t10k")))
    }
}
