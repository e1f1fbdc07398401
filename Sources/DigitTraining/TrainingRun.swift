// One digit network: trained on augmented MNIST and on the cells the reader cuts from synthetic
// scans, folded for inference, calibrated where the reader works, and written with its manifest.
// The same configuration, data and threads give the same model file bit for bit.
import BlankettSupport
import ConvNet
import DigitImage
import Foundation
import MNIST
import ScanCells

public enum TrainingRun {
    /// Writes the model to `configuration.out` and its manifest beside it; returns the manifest.
    public static func run(_ configuration: TrainingConfiguration, progress: (RunEvent) -> Void) throws -> ModelManifest {
        let started = ContinuousClock.now
        let c = configuration, options = c.options, seed = options.seed, mnist = c.data.mnist
        let files = try MNISTSet.locate(directory: mnist, prefix: "train")
        let train = try MNISTSet(directory: mnist, prefix: "train")
        let usable = min(c.limit ?? train.count, train.count)
        guard usable > c.holdout + options.batchSize else {
            throw BlankettError("training_too_few_digits", "\(usable) digits leave too few to train after holding out \(c.holdout)")
        }
        let trainCount = usable - c.holdout
        let architecture = try Architecture(c.architecture)
        progress(.note("Training \(architecture) (\(architecture.parameterCount) parameters, \(architecture.flopsPerSample) FLOP/digit) on \(trainCount) digits, \(options.threads) threads, seed \(seed)"))

        let scanTrain = try ScanCells.training(pages: c.scanPages, seed: seed &+ 1, digits: 0..<trainCount, writers: c.scanWriters,
                                               label: "scan cells", data: c.data, threads: options.threads, progress: progress)
        let scanHeld = try ScanCells.training(pages: c.holdout > 0 ? c.scanHoldoutPages : 0, seed: seed &+ 2, digits: trainCount..<usable,
                                              writers: c.scanWriters, label: "held-out scan cells", data: c.data,
                                              threads: options.threads, progress: progress)
        let trainer = Trainer(network: Network(architecture: architecture, seed: seed), options: options)
        let augmenter = DigitAugmenter(strength: c.strength)
        let labels = train.labels.prefix(trainCount).map(Int32.init) + scanTrain.labels
        progress(.stage("train", total: options.epochs * (labels.count / options.batchSize)))
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
            progress(.step((p.epoch - 1) * p.batches + p.batch,
                           detail: String(format: "epoch %d/%d loss %.4f acc %.2f%%", p.epoch, p.epochs, p.meanLoss, 100 * p.accuracy)))
        }
        var network = try foldedForInference(trainer.network, samples: labels.count, progress: progress) { sample($0, 0, $1) }

        // Calibrated where the reader works: on held-out digits as cut from scans, when there are any.
        let held = scanHeld.count > 0 ? (samples: scanHeld.samples, labels: scanHeld.labels.map(Int.init))
                                      : train.normalizedSamples(trainCount..<usable)
        let logits = network.logits(held.samples)
        network.temperature = held.labels.isEmpty ? 1 : Calibration.fitTemperature(logits: logits, labels: held.labels, classes: network.classes)
        progress(.note(String(format: "temperature %.3f (fitted on %d held-out %@)", network.temperature, held.labels.count,
                              scanHeld.count > 0 ? "scan cells" : "digits")))

        let written = try ModelFile.write(network, to: c.out)
        let alone = Ensemble(network)  // the figures are measured on a model; one network is a committee of one
        let manifest = ModelManifest(
            modelFile: (c.out as NSString).lastPathComponent,
            modelSha256: SHA256.hex(written),
            architecture: network.architecture.spec,
            input: [architecture.input.height, architecture.input.width, architecture.input.channels],
            parameters: network.architecture.parameterCount,
            flopsPerDigit: network.architecture.flopsPerSample,
            temperature: network.temperature,
            training: .init(architecture: architecture.trainingOnly ? architecture.spec : nil, seed: seed, epochs: options.epochs,
                            batchSize: options.batchSize, optimizer: "AdamW, cosine schedule",
                            learningRate: options.learningRate, finalLearningRate: options.finalLearningRate,
                            weightDecay: options.weightDecay, threads: options.threads, augmentationStrength: c.strength,
                            trainDigits: trainCount, holdoutDigits: c.holdout,
                            scanCells: .init(scanTrain, seed: seed &+ 1, digits: 0..<trainCount, writers: c.scanWriters),
                            scanHoldoutCells: .init(scanHeld, seed: seed &+ 2, digits: trainCount..<usable, writers: c.scanWriters),
                            finalLoss: last?.meanLoss ?? 0,
                            finalAugmentedAccuracy: last?.accuracy ?? 0,
                            seconds: (ContinuousClock.now - started).seconds),
            dataSha256: try DataHashes.of([files.images, files.labels] + DataHashes.mnistTestFiles(mnist)
                                          + (c.scanPages + c.scanHoldoutPages > 0 ? DataHashes.formFiles(template: c.data.template) : [])),
            mnistTest: try .mnistTest(alone, directory: mnist),
            scanHoldout: scanHeld.count > 0 ? .init(alone, samples: scanHeld.samples, labels: scanHeld.labels.map(Int.init)) : nil,
            bundledSubset: try .bundled(alone, c.data.bundledSubset),
            createdAt: ModelManifest.now,
            engineVersion: c.engineVersion,
            machine: ModelManifest.thisMachine
        )
        try manifest.write(ModelManifest.path(beside: c.out))
        return manifest
    }

    /// Training digits the batch-norm statistics are measured on, spread evenly over the set.
    static let statisticsSamples = 10_240

    /// Its batch-norm statistics are measured on training samples as the first epoch augmented them.
    private static func foldedForInference(_ network: Network, samples: Int, progress: (RunEvent) -> Void,
                                           sample: (Int, UnsafeMutablePointer<Float>) -> Void) throws -> Network {
        guard network.architecture.trainingOnly else { return network }
        let count = min(statisticsSamples, samples)
        progress(.note("folding \(network.architecture) into \(network.architecture.inferenceSpec), statistics on \(count) training samples"))
        return try network.forInference(measuringOn: count) { i, out in sample(i * samples / count, out) }
    }
}
