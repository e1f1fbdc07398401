import ArgumentParser
import BlankettSupport
import ConvNet
import Foundation
import MNIST

struct Digits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the digit network on its own.",
        subcommands: [Eval.self]
    )

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accuracy, confusion matrix, calibration and single-core throughput of the digit network.",
            discussion: """
            Every digit is normalised exactly as the form reader normalises a cell cut out of a scan. Throughput is measured on one core (one BLAS thread) at batch 32 and 256, beside the single-core sgemm peak measured in the same run.
            """
        )

        @Option(help: "Folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (default: ../shared/data/mnist when present, else the bundled subset SampleScans/digits).")
        var mnist: String?
        @Option(help: "Model file.") var model: String?
        @Option(help: "Evaluate only the first N digits.") var limit: Int?
        @Flag(help: "Print the figures as one JSON object.") var json = false

        func run() throws {
            let modelPath = model ?? ProjectPaths.defaultModel
            let directory = mnist ?? ProjectPaths.defaultMNIST
            let network = try ModelFile.read(modelPath)
            let set = try MNISTSet(directory: directory, prefix: "t10k")
            let count = min(limit ?? set.count, set.count)
            let data = set.normalizedSamples(0..<count)
            let evaluation = Evaluation(network: network, samples: data.samples, labels: data.labels)
            let peak = BLAS.measureGFLOPS()
            let speeds = [32, 256].map { Throughput(network: network, samples: data.samples, batch: $0) }

            if json {
                let figures: [String: Any] = [
                    "model": modelPath, "mnist": directory, "architecture": network.architecture.spec,
                    "flops_per_digit": network.architecture.flopsPerSample, "temperature": network.temperature,
                    "count": evaluation.count, "correct": evaluation.correct, "accuracy": evaluation.accuracy,
                    "ece": evaluation.ece, "confusion": evaluation.confusion, "sgemm_gflops": peak,
                    "digits_per_s_batch32": speeds[0].samplesPerSecond, "digits_per_s_batch256": speeds[1].samplesPerSecond,
                    "network_gflops_batch256": speeds[1].gflops, "peak_share_batch256": speeds[1].gflops / peak,
                ]
                let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("model        \(modelPath): \(network.architecture), \(network.architecture.parameterCount) parameters, \(String(format: "%.2f", Double(network.architecture.flopsPerSample) / 1e6)) MFLOP/digit, T = \(String(format: "%.3f", network.temperature))")
            print("digits       \(evaluation.count) from \(directory)")
            print(String(format: "accuracy     %.2f %% (%d errors)", 100 * evaluation.accuracy, evaluation.count - evaluation.correct))
            print(String(format: "calibration  ECE %.2f %% over 15 confidence bins", 100 * evaluation.ece))
            print("confusion    rows: true digit, columns: predicted")
            print("       " + (0..<10).map { String(format: "%6d", $0) }.joined())
            for (digit, row) in evaluation.confusion.enumerated() {
                print(String(format: "    %d: ", digit) + row.map { String(format: "%6d", $0) }.joined())
            }
            print(String(format: "sgemm        %.1f GFLOP/s on one core (512×512×512)", peak))
            for s in speeds {
                print(String(format: "throughput   batch %3d: %8.0f digits/s on one core = %.1f GFLOP/s, %.0f %% of sgemm peak",
                             s.batch, s.samplesPerSecond, s.gflops, 100 * s.gflops / peak))
            }
        }
    }
}
