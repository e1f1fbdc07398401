import ArgumentParser
import ConvNet
import DigitTraining
import FieldRules
import Foundation
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
        var options = TrainingOptions()
        options.epochs = epochs; options.batchSize = batch; options.learningRate = lr
        options.threads = threads; options.seed = seed
        let configuration = TrainingConfiguration(architecture: arch, options: options, holdout: holdout, strength: strength, limit: limit,
                                                  scanPages: scanPages, scanHoldoutPages: scanHoldoutPages, scanWriters: scanWriters,
                                                  data: .project(mnist: mnist), out: out, engineVersion: Blankett.version)
        let manifest = try TrainingRun.run(configuration, progress: ProgressBar.printer())
        if let test = manifest.mnistTest {
            print(String(format: "MNIST test: %.2f %% (%d of %d), ECE %.2f %%", 100 * test.accuracy, test.correct, test.count, 100 * (test.ece ?? 0)))
        }
        if let scan = manifest.scanHoldout {
            print(String(format: "held-out scan cells: %.2f %% (%d of %d), ECE %.2f %%", 100 * scan.accuracy, scan.correct, scan.count, 100 * (scan.ece ?? 0)))
        }
        print(Personnummer.redacted("wrote \(out) and \(ModelManifest.path(beside: out))"))
    }
}
