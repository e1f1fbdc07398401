// Inputs that the code under test takes as files are written here: one folder per process, on
// tmpfs where there is one, because the outbox fsyncs every file it writes.
import Foundation

public enum Scratch {
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return "\(base)/blankett-fuzz-scratch-\(ProcessInfo.processInfo.processIdentifier)"
    }()

    /// Writes `bytes` as `name` in the scratch folder and gives its path.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(name)"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw FuzzFailure("cannot write the scratch file \(path)")
        }
        return path
    }

    /// A new empty folder `name` in the scratch folder (whatever an earlier input left is removed).
    static func emptyFolder(_ name: String) throws -> String {
        let path = "\(folder)/\(name)"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// For the corpus tests, which end; a fuzzer leaves its folder to benchmarks/fuzz.sh.
    public static func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
