import ArgumentParser
import DigitTraining
import FieldRules
import Foundation

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
        let manifest = try CommitteeBuild.build(members: members, out: out, data: .project(mnist: mnist), threads: threads,
                                                engineVersion: Blankett.version, progress: ProgressBar.printer())
        for (name, figures) in [("MNIST test", manifest.mnistTest), ("held-out scan cells", manifest.scanHoldout)] {
            guard let figures else { continue }
            print(String(format: "committee on %@: %.2f %% (%d of %d), ECE %.2f %%", name, 100 * figures.accuracy, figures.correct,
                         figures.count, 100 * (figures.ece ?? 0)))
        }
        print(Personnummer.redacted("wrote \(out) and \(EnsembleManifest.path(beside: out))"))
    }
}
