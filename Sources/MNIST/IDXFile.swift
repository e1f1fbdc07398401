// The IDX format of the MNIST files: a big-endian header (two zero bytes, a type byte, the number
// of dimensions, then each dimension as u32) followed by the data. Only unsigned bytes (0x08),
// the type of every MNIST file, are accepted.
import BlankettSupport

public struct IDXFile: Sendable {
    public let dimensions: [Int]
    public let bytes: [UInt8]

    public init(path: String) throws {
        try self.init(data: try Gunzip.read(path, limit: 1 << 30), name: path)
    }

    public init(data: [UInt8], name: String) throws {
        func bad(_ why: String) -> BlankettError { BlankettError("invalid_idx", "\(name): \(why)") }
        guard data.count >= 4, data[0] == 0, data[1] == 0 else { throw bad("not an IDX file") }
        guard data[2] == 0x08 else { throw bad("element type 0x\(String(data[2], radix: 16)), expected unsigned bytes") }
        let rank = Int(data[3])
        guard rank >= 1, rank <= 4, data.count >= 4 + 4 * rank else { throw bad("header truncated") }
        dimensions = (0..<rank).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(data[4 + 4 * d + $1]) }
        }
        let count = dimensions.reduce(1, *), start = 4 + 4 * rank
        guard data.count - start == count else {
            throw bad("holds \(data.count - start) data bytes, header says \(count)")
        }
        bytes = Array(data[start...])
    }
}
