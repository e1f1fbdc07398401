import ArgumentParser
import ConvNet
import DigitTraining
import FieldRules
import Foundation
import Synth

struct Digits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the digit network on its own.",
        subcommands: [Eval.self]
    )

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy, confusion matrix, calibration and single-core throughput of the digit network.",
            discussion: """
            Every digit is normalised exactly as the form reader normalises a cell cut out of a scan. When the model is an ensemble, the figures are the committee's (mean logits at its own temperature), followed by those of its first member alone, which reads every digit before the committee is asked about doubtful fields. Throughput is that of the first member, measured on one core (one BLAS thread) at batch 32 and 256, beside the single-core sgemm peak measured in the same run.
            """
        )

        @Option(help: "Folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (default: ../shared/data/mnist when present, else the bundled subset SampleScans/digits).")
        var mnist: String?
        @Option(help: "Model file.") var model: String?
        @Option(parsing: .unconditional, help: "Evaluate only the first N digits.") var limit: Int?
        @Option(parsing: .unconditional, help: "Also measure on the cells the reader cuts out of N synthetic scans written with MNIST test digits (needs the full MNIST test set), at most 1,000,000.")
        var scanPages = 0
        @Option(parsing: .unconditional, help: "Seed of those scans.") var scanSeed: UInt64 = 20261127
        @Option(help: "Who writes the digits of those scans: \(Writers.helpText)") var scanWriters = Writers.mnist
        @Option(parsing: .unconditional, help: "Threads synthesising those scans, 1 to 256.") var threads = SynthOptions.defaultThreads
        @Option(help: "Write each misread scan cell to this folder as a PNG (index, true digit, digit read, confidence in the name).")
        var errors: String?
        @Option(parsing: .unconditional, help: "Use this softmax temperature, 0.01 to 100, instead of the model's, the committee's for an ensemble (to compare calibrations).")
        var temperature: Float?
        @Flag(help: "Print the figures as one JSON object.") var json = false

        func validate() throws {
            if let limit { try OptionRange.check(limit, 1...100_000_000, "--limit") }
            try OptionRange.check(scanPages, OptionRange.pages, "--scan-pages")
            try OptionRange.check(threads, OptionRange.threads, "--threads")
            if let temperature { try OptionRange.check(temperature, 0.01...100, "--temperature") }
            guard errors == nil || scanPages > 0 else { throw ValidationError("--errors needs --scan-pages") }
        }

        func run() throws {
            let modelPath = model ?? ProjectPaths.defaultModel
            let directory = mnist ?? ProjectPaths.defaultMNIST
            let measured = try DigitEvaluation(
                model: modelPath, temperature: temperature, data: DigitData(mnist: directory, template: ProjectPaths.defaultTemplate),
                limit: limit, scans: .init(pages: scanPages, seed: scanSeed, writers: scanWriters, threads: threads, errors: errors),
                progress: ProgressBar.printer())
            let model = measured.model, network = model.primary, evaluation = measured.evaluation
            let scans = measured.scanCells, peak = measured.sgemmGFLOPS, speeds = measured.throughput

            if json {
                var figures: [String: Any] = [
                    "model": modelPath, "mnist": directory, "members": model.members.map(\.architecture.spec),
                    "architecture": network.architecture.spec, "flops_per_digit": network.architecture.flopsPerSample,
                    "temperature": model.temperature, "sgemm_gflops": peak,
                    "digits_per_s_batch32": speeds[0].samplesPerSecond, "digits_per_s_batch256": speeds[1].samplesPerSecond,
                    "network_gflops_batch256": speeds[1].gflops, "peak_share_batch256": speeds[1].gflops / peak,
                ]
                figures.merge(Self.json(evaluation)) { $1 }
                figures["confusion"] = evaluation.confusion
                if let first = measured.firstMember { figures["first_member"] = Self.json(first) }
                if let scan = scans.first {
                    var cells = Self.json(scan)
                    cells["pages"] = scanPages; cells["seed"] = scanSeed; cells["writers"] = scanWriters.rawValue
                    if scans.count > 1 { cells["first_member"] = Self.json(scans[1]) }
                    figures["scan_cells"] = cells
                }
                let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            let members = model.members.count > 1 ? "ensemble of \(model.members.count), committee T = \(String(format: "%.3f", model.temperature)); first member " : ""
            print("model        \(Personnummer.redacted(modelPath)): \(members)\(network.architecture), \(network.architecture.parameterCount) parameters, \(String(format: "%.2f", Double(network.architecture.flopsPerSample) / 1e6)) MFLOP/digit, T = \(String(format: "%.3f", network.temperature))")
            print("digits       \(evaluation.count) from \(Personnummer.redacted(directory))")
            Self.printFigures(evaluation)
            print("confusion    rows: true digit, columns: predicted")
            print("       " + (0..<10).map { String(format: "%6d", $0) }.joined())
            for (digit, row) in evaluation.confusion.enumerated() {
                print(String(format: "    %d: ", digit) + row.map { String(format: "%6d", $0) }.joined())
            }
            if let first = measured.firstMember {
                print("first member alone")
                Self.printFigures(first)
            }
            for (k, scan) in scans.enumerated() {
                print(k == 0 ? "scan cells   \(scan.count) cut by the reader from \(scanPages) synthetic scans (\(scanWriters == .mnist ? "MNIST test digits" : "\(scanWriters.rawValue) writers"), seed \(scanSeed))"
                             : "scan cells, first member alone")
                Self.printFigures(scan)
            }
            print(String(format: "sgemm        %.1f GFLOP/s on one core (512×512×512)", peak))
            for s in speeds {
                print(String(format: "throughput   batch %3d: %8.0f digits/s on one core = %.1f GFLOP/s, %.0f %% of sgemm peak",
                             s.batch, s.samplesPerSecond, s.gflops, 100 * s.gflops / peak))
            }
        }

        private static func printFigures(_ evaluation: Evaluation) {
            print(String(format: "accuracy     %.2f %% (%d errors)", 100 * evaluation.accuracy, evaluation.count - evaluation.correct))
            print(String(format: "calibration  ECE %.2f %% over 15 confidence bins", 100 * evaluation.ece))
            print("coverage     digits whose top probability reaches each level, the errors among them, and Σ (1 − p) over them")
            for c in evaluation.coverage(levels: Evaluation.coverageLevels) {
                print(String(format: "   ≥ %-7g  %6.2f %% of digits (%d), %d wrong, %.2f predicted", c.level,
                             100 * Double(c.covered) / Double(max(evaluation.count, 1)), c.covered, c.wrong, c.predictedWrong))
            }
        }

        private static func json(_ evaluation: Evaluation) -> [String: Any] {
            ["count": evaluation.count, "correct": evaluation.correct, "accuracy": evaluation.accuracy, "ece": evaluation.ece,
             "coverage": evaluation.coverage(levels: Evaluation.coverageLevels).map {
                 ["level": $0.level, "covered": $0.covered, "wrong": $0.wrong, "predicted_wrong": $0.predictedWrong]
             }]
        }
    }
}
