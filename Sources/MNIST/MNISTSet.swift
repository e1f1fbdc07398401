// A set of labelled digit images as MNIST ships them: 28×28 bytes, 0 = background, 255 = ink.
import BlankettSupport
import Foundation

public struct MNISTSet: Sendable {
    public static let side = 28
    public let images: [UInt8]
    public let labels: [UInt8]

    public var count: Int { labels.count }

    public init(images: IDXFile, labels: IDXFile) throws {
        guard images.dimensions.count == 3, images.dimensions[1] == Self.side, images.dimensions[2] == Self.side else {
            throw BlankettError("invalid_idx", "images are \(images.dimensions), expected N×28×28")
        }
        guard labels.dimensions.count == 1, labels.dimensions[0] == images.dimensions[0] else {
            throw BlankettError("invalid_idx", "\(labels.dimensions.first ?? 0) labels for \(images.dimensions[0]) images")
        }
        guard labels.bytes.allSatisfy({ $0 < 10 }) else { throw BlankettError("invalid_idx", "a label is not a digit") }
        self.images = images.bytes
        self.labels = labels.bytes
    }

    /// Loads `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]` from `directory`.
    public init(directory: String, prefix: String) throws {
        let files = try Self.locate(directory: directory, prefix: prefix)
        try self.init(images: try IDXFile(path: files.images), labels: try IDXFile(path: files.labels))
    }

    /// The paths of a set's two files, gzipped or raw.
    public static func locate(directory: String, prefix: String) throws -> (images: String, labels: String) {
        func find(_ kind: String) throws -> String {
            for name in ["\(prefix)-\(kind)-ubyte.gz", "\(prefix)-\(kind)-ubyte"] {
                let path = (directory as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path) { return path }
            }
            throw BlankettError("file_not_found", "no \(prefix)-\(kind)-ubyte[.gz] in \(directory)")
        }
        return (try find("images-idx3"), try find("labels-idx1"))
    }

    public func image(_ index: Int) -> ArraySlice<UInt8> {
        images[(index * Self.side * Self.side)..<((index + 1) * Self.side * Self.side)]
    }

    /// SHA-256 of the image and label bytes, as the manifest records the training data.
    public var sha256: String {
        let h = SHA256()
        h.update(images)
        h.update(labels)
        return h.finalize().hexString
    }
}
