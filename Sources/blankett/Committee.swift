import ArgumentParser
import BlankettSupport
import ConvNet
import FieldRules
import Foundation
import MNIST
import Synth

/// `blankett ensemble`: joins networks trained by `blankett train` into the reader's committee.
struct Committee: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Join networks trained by `blankett train` into one model file: a committee the reader asks about doubtful fields.",
        discussion: """
            The first network reads every digit; the committee (the mean of all members' logits) re-reads the digits of fields the first leaves doubtful. The committee's temperature is fitted on the cells of the first member's held-out scans, re-made from its manifest (every member must have held out the same training digits, so none has seen them). Each member's manifest (<name>.manifest.json beside it) is copied into the ensemble's manifest, with the committee's accuracy and calibration on MNIST test, on those held-out scan cells and on the bundled subset.
            """
    )

    @Argument(help: "Member model files, the first one read on every digit.") var members: [String]
    @Option(help: "Where to write the ensemble; its manifest goes beside it.") var out = ProjectPaths.modelFile
    @Option(help: "Folder with the MNIST IDX files (gzip or raw).")
    var mnist = ProjectPaths.locate(ProjectPaths.sharedMNIST) ?? ProjectPaths.sharedMNIST
    @Option(parsing: .unconditional, help: "Threads synthesising the held-out scans, 1 to 256.") var threads = 2

    func validate() throws {
        guard members.count >= 2 else { throw ValidationError("an ensemble needs at least two member files") }
        try OptionRange.check(threads, OptionRange.threads, "--threads")
    }

    func run() throws {
        let networks = try members.map { path in
            let model = try ModelFile.read(path)
            guard model.members.count == 1 else { throw BlankettError("model_is_ensemble", "\(path) is already an ensemble") }
            return model.primary
        }
        let manifests = try members.map { path in
            let manifest = Train.manifestPath(for: path)
            do { return try ModelManifest.read(manifest) } catch {
                throw BlankettError("model_manifest_unreadable", "\(manifest), written beside \(path) by blankett train, cannot be read: \(error.localizedDescription)")
            }
        }
        let first = manifests[0].training
        guard manifests.allSatisfy({ $0.training.trainDigits == first.trainDigits && $0.training.holdoutDigits == first.holdoutDigits }),
              let held = first.scanHoldoutCells else {
            throw BlankettError("members_differ", "every member must hold out the same training digits, written on scans")
        }
        let digits = first.trainDigits..<(first.trainDigits + first.holdoutDigits)
        guard let writers = Writers(rawValue: held.writers ?? Writers.mnist.rawValue) else {
            throw BlankettError("model_manifest_unreadable", "the first member's held-out scan cells name unknown writers '\(held.writers ?? "")'")
        }
        let cells = try Train.scanCells(pages: held.pages, seed: held.seed, digits: digits, writers: writers, label: "held-out scan cells",
                                        mnist: mnist, threads: threads)
        guard cells.count == held.cells else {
            throw BlankettError("scan_cells_differ", "re-made \(cells.count) held-out scan cells, the first member's manifest records \(held.cells)")
        }
        let labels = cells.labels.map(Int.init)
        var model = try Ensemble(members: networks, temperature: 1)
        model.temperature = Calibration.fitTemperature(logits: model.logits(cells.samples), labels: labels, classes: model.classes)
        printError(String(format: "committee temperature %.3f (fitted on %d held-out scan cells)", model.temperature, labels.count))

        let written = try ModelFile.write(model, to: out)
        let manifest = EnsembleManifest(
            modelFile: (out as NSString).lastPathComponent, modelSha256: SHA256.hex(written),
            temperature: model.temperature, flopsPerDigit: model.flopsPerSample, members: manifests,
            mnistTest: try Train.testFigures(model, directory: mnist),
            scanHoldout: Train.figures(model, samples: cells.samples, labels: labels),
            bundledSubset: try Train.subsetFigures(model),
            createdAt: ISO8601DateFormatter().string(from: Date()), engineVersion: Blankett.version,
            machine: "\(ProcessInfo.processInfo.activeProcessorCount) cores; \(BLAS.configuration)")
        try manifest.write(Train.manifestPath(for: out))
        for (name, figures) in [("MNIST test", manifest.mnistTest), ("held-out scan cells", manifest.scanHoldout)] {
            guard let figures else { continue }
            print(String(format: "committee on %@: %.2f %% (%d of %d), ECE %.2f %%", name, 100 * figures.accuracy, figures.correct,
                         figures.count, 100 * (figures.ece ?? 0)))
        }
        print(Personnummer.redacted("wrote \(out) and \(Train.manifestPath(for: out))"))
    }
}
