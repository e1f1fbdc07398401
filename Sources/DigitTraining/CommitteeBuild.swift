// Networks trained by TrainingRun joined into the reader's committee. The committee's temperature
// is fitted on the cells of the first member's held-out scans, re-made from its manifest: every
// member must have held out the same training digits, so that none has seen them.
import BlankettSupport
import ConvNet
import Foundation
import ScanCells
import Synth

public enum CommitteeBuild {
    /// Writes the committee of the model files `members` (each with its manifest beside it) to
    /// `out` and its manifest beside it; returns the manifest.
    public static func build(members: [String], out: String, data: DigitData, threads: Int, engineVersion: String,
                             progress: (RunEvent) -> Void) throws -> EnsembleManifest {
        let networks = try members.map { path in
            let model = try ModelFile.read(path)
            guard model.members.count == 1 else { throw BlankettError("model_is_ensemble", "\(path) is already an ensemble") }
            return model.primary
        }
        let manifests = try members.map { path in
            let manifest = ModelManifest.path(beside: path)
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
        let cells = try ScanCells.training(pages: held.pages, seed: held.seed, digits: digits, writers: writers, label: "held-out scan cells",
                                           data: data, threads: threads, progress: progress)
        guard cells.count == held.cells else {
            throw BlankettError("scan_cells_differ", "re-made \(cells.count) held-out scan cells, the first member's manifest records \(held.cells)")
        }
        let labels = cells.labels.map(Int.init)
        var model = try Ensemble(members: networks, temperature: 1)
        model.temperature = Calibration.fitTemperature(logits: model.logits(cells.samples), labels: labels, classes: model.classes)
        progress(.note(String(format: "committee temperature %.3f (fitted on %d held-out scan cells)", model.temperature, labels.count)))

        let written = try ModelFile.write(model, to: out)
        let manifest = EnsembleManifest(
            modelFile: (out as NSString).lastPathComponent, modelSha256: SHA256.hex(written),
            temperature: model.temperature, flopsPerDigit: model.flopsPerSample, members: manifests,
            mnistTest: try .mnistTest(model, directory: data.mnist),
            scanHoldout: .init(model, samples: cells.samples, labels: labels),
            bundledSubset: try .bundled(model, data.bundledSubset),
            createdAt: EnsembleManifest.now, engineVersion: engineVersion, machine: EnsembleManifest.thisMachine)
        try manifest.write(EnsembleManifest.path(beside: out))
        return manifest
    }
}
