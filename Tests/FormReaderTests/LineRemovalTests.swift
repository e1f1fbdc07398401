// Line removal on a bilevel cell: the printed lines go, pen strokes on or across them stay.
@testable import FormReader
import PageImage
import XCTest

final class LineRemovalTests: XCTestCase {
    /// A 300 dpi cell crop (12 px/mm): the cell's lines 3 px thick at x = 12, 84 and y = 12, 108.
    private func cell() -> (GrayImage, LineBands) {
        var page = GrayImage(width: 96, height: 120, pixels: [UInt8](repeating: 255, count: 96 * 120))
        for y in 0..<120 { for x in [11, 12, 13, 83, 84, 85] { page.pixels[y * 96 + x] = 0 } }
        for x in 0..<96 { for y in [11, 12, 13, 107, 108, 109] { page.pixels[y * 96 + x] = 0 } }
        let bands = LineBands(columns: [12.5, 84.5], rows: [12.5, 108.5], halfWidth: 5, strokeRun: 7)
        return (page, bands)
    }

    func testBilevelLinesGoAndStrokesOnThemStay() {
        var (page, bands) = cell()
        // The base of a large 2 written along the bottom line (5 px of pen, resting on the
        // line), and a 1 crossing the bottom line.
        for y in 102..<107 { for x in 30..<70 { page.pixels[y * 96 + x] = 0 } }
        for y in 60..<118 { for x in 76..<80 { page.pixels[y * 96 + x] = 0 } }
        let ink = InkMap.make(page, lines: bands, bilevel: true)
        func at(_ x: Int, _ y: Int) -> Float { ink.ink[y * 96 + x] }
        XCTAssertEqual(at(20, 108), 0, "the bottom line alone is erased")
        XCTAssertEqual(at(50, 12), 0, "the top line is erased")
        XCTAssertEqual(at(12, 60), 0, "the left line is erased")
        XCTAssertEqual(at(84, 108), 0, "where two lines meet is erased")
        XCTAssertGreaterThan(at(50, 108), 0.9, "the base lying on the line is kept")
        XCTAssertGreaterThan(at(50, 104), 0.9)
        XCTAssert((100..<118).allSatisfy { at(77, $0) > 0.9 }, "the stroke crossing the line stays whole")
    }

    func testGreyPrintIsErasedAndPenKept() {
        var (page, bands) = cell()
        for i in page.pixels.indices where page.pixels[i] == 0 { page.pixels[i] = 110 }  // printed grey
        for y in 60..<118 { for x in 76..<80 { page.pixels[y * 96 + x] = 20 } }           // ballpoint
        let ink = InkMap.make(page, lines: bands, bilevel: false)
        XCTAssertEqual(ink.ink[108 * 96 + 20], 0, "grey line erased")
        XCTAssertGreaterThan(ink.ink[108 * 96 + 77], 0.9, "pen over the line kept")
    }
}
