import BlankettSupport
import Foundation
import PageImage
import XCTest

final class PNGCodecTests: XCTestCase {
    private func noise(width: Int, height: Int, seed: UInt64) -> GrayImage {
        var rng = SeededGenerator(seed: seed)
        return GrayImage(width: width, height: height, pixels: (0..<width * height).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }

    private func assertCode(_ code: String, _ message: String = "", _ body: () throws -> Any,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), message, file: file, line: line) { error in
            XCTAssertEqual((error as? BlankettError)?.code, code, "\(message): \(error)", file: file, line: line)
        }
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "pageimage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    // MARK: round trips and input kinds

    func testEncodeDecodeRoundTrip() throws {
        let image = noise(width: 37, height: 23, seed: 1)
        for fast in [false, true] {
            let bytes = try PNGCodec.encode(image, fast: fast)
            XCTAssertEqual(Array(bytes.prefix(8)), MiniPNG.signature)
            XCTAssertEqual(try PNGCodec.decode(bytes), image)
        }
    }

    func testWriteAndDecodePath() throws {
        let image = noise(width: 64, height: 5, seed: 2)
        let path = try temporaryDirectory() + "/page.png"
        try PNGCodec.write(image, to: path)
        XCTAssertEqual(try PNGCodec.decode(path: path), image)
    }

    func testDecodesPlainGrayFromAnotherWriter() throws {
        let rows: [[UInt8]] = [[0, 64, 128], [255, 1, 254]]
        let png = MiniPNG.file(width: 3, height: 2, bitDepth: 8, colorType: 0, scanlines: rows)
        XCTAssertEqual(try PNGCodec.decode(png).pixels, rows.flatMap { $0 })
    }

    func testDecodesOneBitBilevel() throws {
        // 10 pixels wide: 1011001110, padded to two bytes.
        let png = MiniPNG.file(width: 10, height: 1, bitDepth: 1, colorType: 0, scanlines: [[0b1011_0011, 0b1000_0000]])
        XCTAssertEqual(try PNGCodec.decode(png).pixels, [1, 0, 1, 1, 0, 0, 1, 1, 1, 0].map { $0 == 1 ? 255 : 0 })
    }

    func testDecodesSixteenBitGrayAsGammaEncoded() throws {
        let values: [UInt16] = [0, 0x8080, 0x4040, 0xFFFF]
        let row = values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let png = MiniPNG.file(width: 4, height: 1, bitDepth: 16, colorType: 0, scanlines: [row])
        XCTAssertEqual(try PNGCodec.decode(png).pixels, [0, 128, 64, 255], "no linear-light brightening")
    }

    func testDecodesPaletteImage() throws {
        let palette: [UInt8] = [0, 0, 0, 110, 110, 110, 255, 255, 255, 255, 0, 0]
        let png = MiniPNG.file(width: 4, height: 1, bitDepth: 8, colorType: 3, scanlines: [[2, 1, 0, 3]], palette: palette)
        let pixels = try PNGCodec.decode(png).pixels
        XCTAssertEqual(Array(pixels.prefix(3)), [255, 110, 0])
        XCTAssertEqual(Double(pixels[3]), 127, accuracy: 2, "red: its luminance in linear light, sRGB-encoded")
    }

    func testDecodesRGBAndCompositesAlphaOntoPaper() throws {
        let rgb = MiniPNG.file(width: 3, height: 1, bitDepth: 8, colorType: 2,
                               scanlines: [[200, 200, 200, 30, 30, 30, 0, 0, 255]])
        let pixels = try PNGCodec.decode(rgb).pixels
        XCTAssertEqual(Array(pixels.prefix(2)), [200, 30])
        XCTAssertEqual(Double(pixels[2]), 76, accuracy: 2, "blue: its luminance in linear light, sRGB-encoded")
        // Grey + alpha: fully transparent ink must read as white paper, opaque ink as ink.
        let grayAlpha = MiniPNG.file(width: 2, height: 1, bitDepth: 8, colorType: 4, scanlines: [[0, 0, 40, 255]])
        XCTAssertEqual(try PNGCodec.decode(grayAlpha).pixels, [255, 40])
    }

    func testDecodesInterlaced() throws {
        let image = noise(width: 13, height: 11, seed: 3)
        let png = MiniPNG.interlacedGray(width: 13, height: 11, pixels: image.pixels)
        XCTAssertEqual(try PNGCodec.decode(png), image)
    }

    // MARK: refusals

    func testNotPNG() {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]
        assertCode("not_png", "JPEG") { try PNGCodec.decode(jpeg) }
        assertCode("not_png", "text") { try PNGCodec.decode(Array("Personnummer: 19121212-1212\n".utf8)) }
        assertCode("not_png", "empty") { try PNGCodec.decode([UInt8]()) }
    }

    func testTruncated() throws {
        let bytes = try PNGCodec.encode(noise(width: 64, height: 64, seed: 4))
        assertCode("png_truncated", "cut in IDAT") { try PNGCodec.decode(Array(bytes.prefix(bytes.count / 2))) }
        assertCode("png_truncated", "cut after IHDR") { try PNGCodec.decode(Array(bytes.prefix(33))) }
        assertCode("png_truncated", "cut in the signature") { try PNGCodec.decode(Array(bytes.prefix(5))) }
    }

    func testCorrupt() throws {
        let png = MiniPNG.file(width: 8, height: 8, bitDepth: 8, colorType: 0,
                               scanlines: Array(repeating: Array(0..<8), count: 8))
        var badHeaderCRC = png
        badHeaderCRC[8 + 8 + 3] ^= 0x01  // a byte of IHDR's width
        assertCode("png_corrupt", "IHDR CRC") { try PNGCodec.decode(badHeaderCRC) }
        var badDataCRC = png
        badDataCRC[8 + 25 + 8 + 10] ^= 0x40  // a pixel byte inside IDAT
        assertCode("png_corrupt", "IDAT CRC") { try PNGCodec.decode(badDataCRC) }
        // A valid CRC over an invalid zlib stream (bad header check bits).
        let badZlib = MiniPNG.signature + MiniPNG.ihdr(width: 8, height: 8, bitDepth: 8, colorType: 0, interlaced: false)
            + MiniPNG.chunk("IDAT", [0x78, 0x02, 0x01, 0x00, 0x00]) + MiniPNG.chunk("IEND", [])
        assertCode("png_corrupt", "zlib header") { try PNGCodec.decode(badZlib) }
        let zeroWidth = MiniPNG.signature + MiniPNG.ihdr(width: 0, height: 8, bitDepth: 8, colorType: 0, interlaced: false)
            + MiniPNG.chunk("IEND", [])
        assertCode("png_corrupt", "zero width") { try PNGCodec.decode(zeroWidth) }
    }

    func testHugeHeaderIsRefusedBeforeAllocating() {
        let bomb = MiniPNG.file(width: 100_000, height: 100_000, bitDepth: 8, colorType: 0, scanlines: [[0]])
        assertCode("image_too_large") { try PNGCodec.decode(bomb) }
        let small = MiniPNG.file(width: 100, height: 100, bitDepth: 8, colorType: 0, scanlines: [[0]])
        assertCode("image_too_large", "custom limit") { try PNGCodec.decode(small, limits: .init(maxPixels: 9_999)) }
    }

    func testFileErrors() throws {
        let dir = try temporaryDirectory()
        assertCode("file_not_found") { try PNGCodec.decode(path: dir + "/missing.png") }
        assertCode("file_not_found", "a directory") { try PNGCodec.decode(path: dir) }
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/notes.txt", contents: Data("Namn: Test\n".utf8)))
        assertCode("not_png", "text file") { try PNGCodec.decode(path: dir + "/notes.txt") }
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/empty.png", contents: Data()))
        assertCode("not_png", "empty file") { try PNGCodec.decode(path: dir + "/empty.png") }
        let path = dir + "/page.png"
        try PNGCodec.write(noise(width: 100, height: 100, seed: 5), to: path)
        let limits = PNGCodec.Limits(maxFileBytes: 1000)
        assertCode("file_too_large", "path") { try PNGCodec.decode(path: path, limits: limits) }
        let bytes = try PNGCodec.encode(noise(width: 100, height: 100, seed: 5))
        assertCode("file_too_large", "memory") { try PNGCodec.decode(bytes, limits: limits) }
        assertCode("png_write_failed") { try PNGCodec.write(GrayImage(width: 2, height: 2), to: dir + "/no/such/dir.png") }
    }
}
