// The MNIST test digits bundled in SampleScans/digits under the training set's file names, in a
// temporary folder: the repository holds no training digits, and which digits are written or
// learnt does not matter to the tests that need some.
import Foundation

public enum BundledDigits {
    public static let asTrainingSet: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bundled-train-digits-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let bundled = BuiltExecutable.repositoryRoot.appendingPathComponent("SampleScans/digits").path
        for kind in ["images-idx3-ubyte", "labels-idx1-ubyte"] {
            let name = (try? FileManager.default.contentsOfDirectory(atPath: bundled))?.first { $0.hasPrefix("t10k-\(kind)") } ?? ""
            let target = (dir as NSString).appendingPathComponent(name.replacingOccurrences(of: "t10k-", with: "train-"))
            try? FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: (bundled as NSString).appendingPathComponent(name))
        }
        return dir
    }()
}
