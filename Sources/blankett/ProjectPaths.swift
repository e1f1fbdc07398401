// Where the bundled files are: the model and the sample digits live in the source tree, which is
// the working directory under `swift run` and an ancestor of the executable otherwise.
import DigitTraining
import Foundation

enum ProjectPaths {
    static let modelFile = "Models/digits.bkn"
    static let bundledDigits = "SampleScans/digits"
    static let templateFile = "Forms/pm7001/template.json"
    static let sharedMNIST = "../shared/data/mnist"

    /// `relative` under the first of: the working directory, then the executable's ancestors.
    static func locate(_ relative: String) -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(dir.path); dir.deleteLastPathComponent() }
        return candidates.map { URL(fileURLWithPath: $0).appendingPathComponent(relative).standardized.path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    static var defaultModel: String { locate(modelFile) ?? modelFile }
    static var defaultTemplate: String { locate(templateFile) ?? templateFile }

    /// MNIST as shipped in ../shared when it is there, else the subset bundled in the repo.
    static var defaultMNIST: String { locate(sharedMNIST) ?? locate(bundledDigits) ?? bundledDigits }
}

extension DigitData {
    /// `mnist` with the template and the bundled subset found where ProjectPaths finds them.
    static func project(mnist: String) -> DigitData {
        DigitData(mnist: mnist, template: ProjectPaths.defaultTemplate,
                  bundledSubset: ProjectPaths.locate(ProjectPaths.bundledDigits).map { .init(directory: $0, path: ProjectPaths.bundledDigits) })
    }
}
