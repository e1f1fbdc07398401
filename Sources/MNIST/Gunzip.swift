// The only file that touches zlib. gzread reads gzip and, transparently, uncompressed files,
// so MNIST can be given either way.
import BlankettSupport
import CZlib

enum Gunzip {
    /// The whole (decompressed) content of `path`, refusing more than `limit` bytes.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else {
            throw BlankettError("file_not_found", "cannot open \(path)")
        }
        defer { gzclose(file) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw BlankettError("corrupt_gzip", "\(path) is not a readable gzip or raw file") }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<Int(n)])
            if out.count > limit { throw BlankettError("file_too_large", "\(path) decompresses to more than \(limit) bytes") }
        }
    }
}
