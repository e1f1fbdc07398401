import BlankettSupport
import DigitImage
import XCTest

final class DigitNormalizerTests: XCTestCase {
    /// A scan-sized crop (90 x 110, like 250 dpi) with the digit 60 px tall inside the cell.
    private func scanned(_ d: Int, level: Float = 1) -> InkImage {
        Glyph.digit(d).onCanvas(width: 90, height: 110, x: 30, y: 25, height: 60, level: level)
    }

    private func assertMNISTShaped(_ out: [Float]?, _ label: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        guard let out else { return XCTFail("\(label): no digit found", file: file, line: line) }
        XCTAssertEqual(out.count, 784, label, file: file, line: line)
        XCTAssertEqual(out.max(), 1, "\(label): peak ink", file: file, line: line)
        XCTAssertGreaterThanOrEqual(out.min()!, 0, label, file: file, line: line)
        let (cx, cy) = centreOfMass(out, width: 28)
        XCTAssertEqual(cx, 14, accuracy: 0.5, "\(label): centre of mass x", file: file, line: line)
        XCTAssertEqual(cy, 14, accuracy: 0.5, "\(label): centre of mass y", file: file, line: line)
        // Resampling spreads an edge over a pixel, so count pixels with visible ink.
        let box = inkBoxSize(out, width: 28, floor: 0.05)
        XCTAssertEqual(Float(max(box.width, box.height)), 20, accuracy: 1, "\(label): box \(box)",
                       file: file, line: line)
    }

    func testScannedDigitsComeOutMNISTShaped() {
        for d in 0...9 {
            assertMNISTShaped(DigitNormalizer.normalize(scanned(d)), "digit \(d)")
        }
    }

    func testVariedDigitsAtManySizesComeOutMNISTShaped() {
        var rng = SeededGenerator(seed: 7)
        for trial in 0..<60 {
            let glyph = Glyph.digit(trial % 10, varied: &rng)
            let height = rng.uniform(12, 90)
            let image = glyph.onCanvas(width: 110, height: 130, x: rng.uniform(28, 45), y: rng.uniform(20, 30),
                                       height: height, level: rng.uniform(0.5, 1))
            assertMNISTShaped(DigitNormalizer.normalize(image), "trial \(trial), height \(height)")
        }
    }

    func testMNISTDigitsComeBackNearlyUnchanged() {
        var rng = SeededGenerator(seed: 11)
        var total: Float = 0
        for trial in 0..<50 {
            let digit = Glyph.digit(trial % 10, varied: &rng).mnist()
            guard let out = DigitNormalizer.normalize(digit) else { return XCTFail("trial \(trial): no digit") }
            let difference = meanAbsoluteDifference(out, digit.ink)
            XCTAssertLessThan(difference, 0.08, "trial \(trial)")
            total += difference
        }
        XCTAssertLessThan(total / 50, 0.05)
    }

    func testSameDigitAtAnyScanSizeNormalisesAlike() {
        for d in 0...9 {
            let glyph = Glyph.digit(d)
            let smallScan = glyph.onCanvas(width: 70, height: 85, x: 25, y: 20, height: 42)
            let largeScan = glyph.onCanvas(width: 120, height: 150, x: 40, y: 30, height: 90)
            guard let small = DigitNormalizer.normalize(smallScan), let large = DigitNormalizer.normalize(largeScan)
            else { return XCTFail("digit \(d): no digit found") }
            XCTAssertLessThan(meanAbsoluteDifference(small, large), 0.04, "digit \(d)")
        }
    }

    func testContrastIsStretched() {
        guard let faint = DigitNormalizer.normalize(scanned(3, level: 0.6)),
              let dark = DigitNormalizer.normalize(scanned(3))
        else { return XCTFail("no digit found") }
        XCTAssertLessThan(meanAbsoluteDifference(faint, dark), 0.03)
    }

    func testEmptyCropIsNoDigit() {
        XCTAssertNil(DigitNormalizer.normalize(.zeros(width: 90, height: 110)))
        // Grey paper and faint grain stay below the ink threshold.
        var rng = SeededGenerator(seed: 3)
        let paper = InkImage(width: 90, height: 110, ink: (0..<9900).map { _ in rng.uniform(0, 0.3) })
        XCTAssertNil(DigitNormalizer.normalize(paper))
    }

    func testSpecksAloneAreNoDigit() {
        var image = InkImage.zeros(width: 90, height: 110)
        for (x, y) in [(20, 30), (50, 60), (70, 90), (45, 20)] {
            image[x, y] = 1; image[x + 1, y] = 1; image[x, y + 1] = 0.8; image[x + 1, y + 1] = 0.6
        }
        XCTAssertNil(DigitNormalizer.normalize(image))
    }

    func testCellLineRemnantsAloneAreNoDigit() {
        var image = InkImage.zeros(width: 90, height: 110)
        drawRemnants(&image)
        XCTAssertNil(DigitNormalizer.normalize(image))
    }

    func testCellLineRemnantsAreIgnored() {
        for d in 0...9 {
            var image = scanned(d)
            drawRemnants(&image)
            for (x, y) in [(5, 60), (40, 100), (70, 10), (86, 50), (50, 20)] { image[x, y] = 1 }
            guard let out = DigitNormalizer.normalize(image), let clean = DigitNormalizer.normalize(scanned(d))
            else { return XCTFail("digit \(d): no digit found") }
            XCTAssertLessThan(meanAbsoluteDifference(out, clean), 1e-6, "digit \(d)")
        }
    }

    func testNeighbourStrokeInTheMarginIsIgnored() {
        // The next cell's digit reaching into this crop's left margin: a pen stroke, not thin.
        // A "<" of 4-px strokes, within 11 px of the edge (the sliver band of a 90-px crop).
        let neighbour = Glyph(strokes: [[(0.2, 0), (0, 0.5), (0.2, 1)]], pen: 0.08)
            .onCanvas(width: 90, height: 110, x: 1, y: 40, height: 30)
        XCTAssertLessThanOrEqual(inkBoxSize(neighbour.ink, width: 90).width, 10)
        for d in 0...9 {
            var image = scanned(d)
            for i in image.ink.indices { image.ink[i] = max(image.ink[i], neighbour.ink[i]) }
            guard let out = DigitNormalizer.normalize(image), let clean = DigitNormalizer.normalize(scanned(d))
            else { return XCTFail("digit \(d): no digit found") }
            XCTAssertLessThan(meanAbsoluteDifference(out, clean), 1e-6, "digit \(d)")
        }
    }

    /// A neighbour's stroke reaching deeper than the edge band (the case the reader met: the arc
    /// of a 0 across the shared line) is only dropped when the reader says where the cell is.
    func testNeighbourPieceCentredOutsideTheCellIsDropped() {
        let neighbour = Glyph(strokes: [[(0.2, 0), (0, 0.5), (0.2, 1)]], pen: 0.08)
            .onCanvas(width: 90, height: 110, x: 8, y: 40, height: 30)
        let cell = (x0: 18, y0: 10, x1: 80, y1: 100)
        for d in 0...9 {
            var image = scanned(d)
            for i in image.ink.indices { image.ink[i] = max(image.ink[i], neighbour.ink[i]) }
            guard let focused = DigitNormalizer.normalize(image, cell: cell), let clean = DigitNormalizer.normalize(scanned(d)),
                  let unfocused = DigitNormalizer.normalize(image)
            else { return XCTFail("digit \(d): no digit found") }
            XCTAssertLessThan(meanAbsoluteDifference(focused, clean), 1e-6, "digit \(d)")
            XCTAssertGreaterThan(meanAbsoluteDifference(unfocused, clean), 1e-3, "digit \(d): the piece should matter without the cell")
        }
    }

    func testDigitInTwoPiecesKeepsBothPieces() {
        // A 5 whose flag was written apart from its body, 4 px above it and wholly inside the
        // crop's outer quarter, where cell-line remnants are looked for: a 6-px pen stroke is no line.
        let body = Glyph(strokes: [[(0.3, 0.1), (0.27, 0.45), (0.55, 0.4), (0.78, 0.52), (0.8, 0.78),
                                    (0.58, 0.98), (0.32, 1), (0.15, 0.9)]], pen: 0.06)
        let bodyScan = body.onCanvas(width: 90, height: 110, x: 30, y: 31, height: 52)
        var image = bodyScan
        let flag = Glyph(strokes: [[(0.35, 0), (0.9, 0)]], pen: 0.06)
            .onCanvas(width: 90, height: 110, x: 40, y: 21, height: 6)
        for i in image.ink.indices { image.ink[i] = max(image.ink[i], flag.ink[i]) }

        guard let whole = DigitNormalizer.normalize(image), let bodyOnly = DigitNormalizer.normalize(bodyScan)
        else { return XCTFail("no digit found") }
        assertMNISTShaped(whole, "two-piece 5")
        XCTAssertGreaterThan(meanAbsoluteDifference(whole, bodyOnly), 0.03, "the flag must not be dropped")
        // Top down: the flag's rows, then a faint gap, then the body.
        let rows = (0..<28).map { y in whole[y * 28 ..< (y + 1) * 28].max()! }
        let top = rows.firstIndex { $0 > 0.05 }!
        XCTAssertGreaterThan(max(rows[top], rows[top + 1]), 0.6, "flag ink at the top of the box")
        XCTAssert(rows[(top + 1)...(top + 3)].contains { $0 < 0.5 }, "gap between flag and body: \(rows)")
    }

    /// A 1 in pencil whose middle the scan thinned to faint grey: the faint part joins the dark
    /// ends, so the stroke stays whole instead of two dashes with paper between.
    func testFaintStretchOfAStrokeStaysPartOfIt() {
        var image = InkImage.zeros(width: 90, height: 110)
        for y in 25..<85 {
            for x in 43..<49 { image[x, y] = (45..<65).contains(y) ? 0.25 : 0.8 }
        }
        guard let out = DigitNormalizer.normalize(image) else { return XCTFail("no digit found") }
        let rows = (0..<28).map { y in out[y * 28 ..< (y + 1) * 28].max()! }
        let inked = rows.indices.filter { rows[$0] > 0.05 }
        XCTAssertEqual(Float(inked.count), 20, accuracy: 1, "the whole stroke is the box: \(rows)")
        XCTAssert(rows[inked.first!...inked.last!].allSatisfy { $0 > 0.2 }, "no gap in the stroke: \(rows)")
    }

    /// Faint ink alone, however large, is no stroke: a smudge or the paper showing the back through.
    func testFaintInkAloneIsNoDigit() {
        var image = InkImage.zeros(width: 90, height: 110)
        for y in 30..<80 { for x in 30..<60 { image[x, y] = 0.3 } }
        XCTAssertNil(DigitNormalizer.normalize(image))
    }

    /// Broken, grey, thin remnants of a comb cell's lines, clear of a digit drawn by `scanned`:
    /// the left line with the top line crossing it (an L-corner), pieces of the right and bottom lines.
    private func drawRemnants(_ image: inout InkImage) {
        for y in 4..<100 where y < 40 || y > 55 {
            image[13, y] = 0.7; image[14, y] = 0.45
        }
        for x in 0..<45 { image[x, 15] = 0.6 }
        for x in 50..<88 { image[x, 95] = 0.8; image[x, 96] = 0.5 }
        for y in 20..<70 { image[78, y] = 0.9 }
    }
}
