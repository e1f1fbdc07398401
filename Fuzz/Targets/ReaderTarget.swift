// PNG decoding and the whole reader on one page, as `blankett read` and the daemon run them on a
// scan: from the file's bytes to a decision. Every input must end in a result, a refusal carrying
// a typed error code at worst.
import FormReader

public enum ReaderTarget {
    public static func run(_ bytes: [UInt8]) throws {
        try read(bytes)
        // A mutated chunk almost always fails its CRC, and libpng stops there. The same bytes with
        // their CRCs made right reach inflate, the filters, the pixel formats and the reader.
        let repaired = PNGChunks.repairingCRCs(bytes)
        if repaired != bytes { try read(repaired) }
    }

    private static func read(_ bytes: [UInt8]) throws {
        let result = try Project.reader.get().read(path: try Scratch.file("page.png", bytes))
        try checkTyped(result.error?.code, "reading the page")
    }
}

/// PNG's chunk layout: after the 8-byte signature, chunks of length (4 bytes, big-endian), type
/// (4), data, and a CRC-32 (4) of type and data.
enum PNGChunks {
    static func repairingCRCs(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        var at = 8
        while at + 12 <= out.count {
            let length = out[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = at + 8 + length
            guard end + 4 <= out.count else { break }
            let crc = crc32(out[(at + 4)..<end])
            for i in 0..<4 { out[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
            at = end + 4
        }
        return out
    }

    private static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
