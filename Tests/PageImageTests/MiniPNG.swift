// A minimal PNG writer for building test inputs that PNGCodec itself never writes (palette,
// RGB, grey+alpha, 1- and 16-bit, Adam7) and deliberately broken files. Deflate uses stored
// (uncompressed) blocks, so no zlib is needed and every byte's position is predictable.

enum MiniPNG {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A complete file; `scanlines` are packed rows without filter bytes (filter 0 is added).
    static func file(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8,
                     scanlines: [[UInt8]], palette: [UInt8]? = nil, extraChunks: [[UInt8]] = []) -> [UInt8] {
        var out = signature + ihdr(width: width, height: height, bitDepth: bitDepth, colorType: colorType, interlaced: false)
        if let palette { out += chunk("PLTE", palette) }
        for extra in extraChunks { out += extra }
        out += chunk("IDAT", zlibStored(scanlines.flatMap { [0] + $0 }))
        return out + chunk("IEND", [])
    }

    /// An Adam7-interlaced 8-bit grey file.
    static func interlacedGray(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var raw: [UInt8] = []
        for (x0, y0, dx, dy) in passes {
            let xs = Array(stride(from: x0, to: width, by: dx)), ys = Array(stride(from: y0, to: height, by: dy))
            guard !xs.isEmpty, !ys.isEmpty else { continue }
            for y in ys { raw += [0] + xs.map { pixels[y * width + $0] } }
        }
        return signature + ihdr(width: width, height: height, bitDepth: 8, colorType: 0, interlaced: true)
            + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    static func ihdr(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, interlaced: Bool) -> [UInt8] {
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, interlaced ? 1 : 0])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static func zlibStored(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let final: UInt8 = offset + n == raw.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
