import BlankettSupport
import Foundation
import MNIST
import XCTest

final class IDXFileTests: XCTestCase {
    static let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleScans/digits").standardized.path

    func header(_ dims: [UInt32], type: UInt8 = 0x08) -> [UInt8] {
        var out: [UInt8] = [0, 0, type, UInt8(dims.count)]
        for d in dims { out += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: d >> $0) } }
        return out
    }

    func code(_ data: [UInt8]) -> String? {
        do { _ = try IDXFile(data: data, name: "x"); return nil } catch { return (error as? BlankettError)?.code }
    }

    func testParsesAndRejectsMalformedHeaders() throws {
        let good = header([2, 3]) + [1, 2, 3, 4, 5, 6]
        let file = try IDXFile(data: good, name: "x")
        XCTAssertEqual(file.dimensions, [2, 3])
        XCTAssertEqual(file.bytes, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(code([]), "invalid_idx")
        XCTAssertEqual(code(Array("%PNG\r\n".utf8)), "invalid_idx")
        XCTAssertEqual(code(header([2, 3], type: 0x0D) + [UInt8](repeating: 0, count: 24)), "invalid_idx")
        XCTAssertEqual(code(Array(good.dropLast())), "invalid_idx")
        XCTAssertEqual(code(good + [7]), "invalid_idx")
        XCTAssertEqual(code(Array(header([2, 3]).prefix(9))), "invalid_idx")
    }

    func testBundledSubsetLoadsGzippedAndRawAlike() throws {
        let set = try MNISTSet(directory: Self.bundled, prefix: "t10k")
        XCTAssertEqual(set.count, 2_000)
        XCTAssertEqual(set.images.count, 2_000 * 784)
        // MNIST test digit 0 is a 7, digit 5 a 1 (the subset takes every fifth).
        XCTAssertEqual(Array(set.labels.prefix(2)), [7, 1])

        let raw = NSTemporaryDirectory() + "/blankett-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: raw) }
        for kind in ["images-idx3", "labels-idx1"] {
            let idx = try IDXFile(path: "\(Self.bundled)/t10k-\(kind)-ubyte.gz")
            XCTAssertEqual(idx.dimensions.first, 2_000)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.bundled)/t10k-\(kind)-ubyte.gz")))
            XCTAssertEqual(bytes.prefix(2), [0x1F, 0x8B])
        }
        let plain = header([2_000, 28, 28]) + set.images
        try Data(plain).write(to: URL(fileURLWithPath: "\(raw)/t10k-images-idx3-ubyte"))
        try Data(header([2_000]) + set.labels).write(to: URL(fileURLWithPath: "\(raw)/t10k-labels-idx1-ubyte"))
        XCTAssertEqual(try MNISTSet(directory: raw, prefix: "t10k").sha256, set.sha256)
    }

    func testMissingAndCorruptFilesAreTypedErrors() throws {
        XCTAssertThrowsError(try MNISTSet(directory: "/nonexistent", prefix: "t10k")) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "file_not_found")
        }
        let dir = NSTemporaryDirectory() + "/blankett-idx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A gzip header followed by garbage: zlib must refuse it, not return part of it.
        try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + [UInt8](repeating: 0xFF, count: 64))
            .write(to: URL(fileURLWithPath: "\(dir)/bad.gz"))
        XCTAssertThrowsError(try IDXFile(path: "\(dir)/bad.gz")) {
            XCTAssertNotNil(["corrupt_gzip", "invalid_idx"].firstIndex(of: ($0 as? BlankettError)?.code ?? ""))
        }
    }
}
