import BlankettSupport
import XCTest

final class SHA256Tests: XCTestCase {
    func testNISTVectors() {
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testStreamingEqualsOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let h = SHA256()
        data.withUnsafeBytes { h.update(UnsafeRawBufferPointer(rebasing: $0[0..<63])) }
        h.update(data[63..<700])
        data.withUnsafeBytes { h.update(UnsafeRawBufferPointer(rebasing: $0[700...])) }
        XCTAssertEqual(h.finalize(), SHA256.digest(data))
    }
}

final class SeededGeneratorTests: XCTestCase {
    func testSameSeedSameStreamAndRanges() {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let sa = (0..<100).map { _ in a.next() }
        XCTAssertEqual(sa, (0..<100).map { _ in b.next() })
        XCTAssertNotEqual(sa, (0..<100).map { _ in c.next() })
        var g = SeededGenerator(seed: 1)
        let u = (0..<10_000).map { _ in g.unit() }
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(Double(u.reduce(0, +)) / 10_000, 0.5, accuracy: 0.02)
        let n = (0..<10_000).map { _ in Double(g.gaussian()) }
        let mean = n.reduce(0, +) / 10_000
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10_000, 1, accuracy: 0.05)
    }
}
