import BlankettSupport
import DigitImage
import XCTest

final class DigitAugmenterTests: XCTestCase {
    private let digits: [InkImage] = {
        var rng = SeededGenerator(seed: 2024)
        return (0..<50).map { Glyph.digit($0 % 10, varied: &rng).mnist() }
    }()

    func testSameSeedSameCell() {
        let augmenter = DigitAugmenter()
        for seed in UInt64(0)..<20 {
            var a = SeededGenerator(seed: seed), b = SeededGenerator(seed: seed)
            let digit = digits[Int(seed)]
            XCTAssertEqual(augmenter.cell(from: digit, using: &a), augmenter.cell(from: digit, using: &b))
        }
    }

    func testDifferentSeedsDiffer() {
        let augmenter = DigitAugmenter()
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 2)
        for digit in digits.prefix(10) {
            XCTAssertNotEqual(augmenter.cell(from: digit, using: &a), augmenter.cell(from: digit, using: &b))
        }
    }

    func testCellIsScanSized() {
        // 7 x 9 mm plus 1-2 mm margins each side, at 200-300 dpi.
        var rng = SeededGenerator(seed: 5)
        for strength in [Float(0), 1, 2] {
            for digit in digits {
                let cell = DigitAugmenter(strength: strength).cell(from: digit, using: &rng)
                XCTAssert((71...130).contains(cell.width), "width \(cell.width)")
                XCTAssert((87...154).contains(cell.height), "height \(cell.height)")
                XCTAssertEqual(cell.ink.count, cell.width * cell.height)
                XCTAssert(cell.ink.allSatisfy { $0 >= 0 && $0 <= 1 })
            }
        }
    }

    func testAugmentedDigitsStillNormalise() {
        let augmenter = DigitAugmenter()
        var rng = SeededGenerator(seed: 99)
        var found = 0
        for trial in 0..<500 {
            let cell = augmenter.cell(from: digits[trial % digits.count], using: &rng)
            if let out = DigitNormalizer.normalize(cell) {
                found += 1
                XCTAssertEqual(out.count, 784)
            }
        }
        XCTAssertGreaterThanOrEqual(found, 495, "at least 99% of augmented digits must normalise")
    }

    func testStrengthZeroKeepsTheCleanDigit() {
        let augmenter = DigitAugmenter(strength: 0)
        var rng = SeededGenerator(seed: 17)
        var total: Float = 0
        for digit in digits {
            guard let clean = DigitNormalizer.normalize(digit),
                  let cell = DigitNormalizer.normalize(augmenter.cell(from: digit, using: &rng))
            else { return XCTFail("no digit found") }
            total += meanAbsoluteDifference(clean, cell)
        }
        XCTAssertLessThan(total / Float(digits.count), 0.05)
    }

    func testFullStrengthChangesTheDigit() {
        let augmenter = DigitAugmenter()
        var rng = SeededGenerator(seed: 23)
        var total: Float = 0
        for digit in digits {
            guard let clean = DigitNormalizer.normalize(digit),
                  let cell = DigitNormalizer.normalize(augmenter.cell(from: digit, using: &rng))
            else { continue }
            total += meanAbsoluteDifference(clean, cell)
        }
        XCTAssertGreaterThan(total / Float(digits.count), 0.05)
    }

    func testEmptyCellsStayEmpty() {
        // Paper, dust and line remnants without a digit: the normaliser must find nothing.
        let augmenter = DigitAugmenter()
        var rng = SeededGenerator(seed: 41)
        var found = 0
        let blank = InkImage.zeros(width: 28, height: 28)
        for _ in 0..<500 where DigitNormalizer.normalize(augmenter.cell(from: blank, using: &rng)) != nil {
            found += 1
        }
        XCTAssertLessThanOrEqual(found, 5, "empty cells taken for digits")
    }

    /// Not a timing assertion: prints the cost of the trainer's per-sample work for the log.
    func testThroughputReport() {
        let augmenter = DigitAugmenter()
        var rng = SeededGenerator(seed: 31)
        let count = 2000
        var found = 0
        let elapsed = ContinuousClock().measure {
            for i in 0..<count {
                let cell = augmenter.cell(from: digits[i % digits.count], using: &rng)
                if DigitNormalizer.normalize(cell) != nil { found += 1 }
            }
        }
        let micros = elapsed.milliseconds * 1000
        print("DigitImage: augment + normalize \(Int(micros / Double(count))) us per digit")
        XCTAssertGreaterThan(found, count * 98 / 100)
    }
}
