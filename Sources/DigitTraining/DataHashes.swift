// The SHA-256 of every file a model was made from, by file name, so that whoever reruns the
// training can check that they start from the same data.
import BlankettSupport
import FormTemplate
import Foundation
import MNIST

enum DataHashes {
    static func of(_ paths: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BlankettError("file_not_found", "cannot read \(path)")
            }
            out[(path as NSString).lastPathComponent] = SHA256.hex(data)
        }
        return out
    }

    /// None when `directory` holds no test set: a trial on a subset has nothing to measure on.
    static func mnistTestFiles(_ directory: String) -> [String] {
        guard let files = try? MNISTSet.locate(directory: directory, prefix: "t10k") else { return [] }
        return [files.images, files.labels]
    }

    /// The template and blank the scan cells are drawn on.
    static func formFiles(template: String) -> [String] {
        [template, FormTemplate.blankPath(beside: template)]
    }
}
