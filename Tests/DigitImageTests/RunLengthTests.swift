// The run through a pixel: counted both ways, stopped at the image's edge and one past the cap.
import DigitImage
import XCTest

final class RunLengthTests: XCTestCase {
    // 7 × 3: a horizontal run of 5 in the middle row (x 1…5), one inked pixel above x = 3.
    private let image: [Bool] = [
        false, false, false, true, false, false, false,
        false, true, true, true, true, true, false,
        false, false, false, false, false, false, false,
    ]

    private func run(_ x: Int, _ y: Int, _ dx: Int, _ dy: Int, cap: Int) -> Int {
        RunLength.through(x, y, dx, dy, width: 7, height: 3, cap: cap) { image[$0] }
    }

    func testCountsBothWaysAndStopsOnePastTheCap() {
        XCTAssertEqual(run(3, 1, 1, 0, cap: 10), 5)
        XCTAssertEqual(run(1, 1, 1, 0, cap: 10), 5, "from the run's end, all of it lies one way")
        XCTAssertEqual(run(3, 1, 1, 0, cap: 3), 4)
        XCTAssertEqual(run(3, 1, 0, 1, cap: 10), 2, "across: the pixel above, none below")
        XCTAssertEqual(run(2, 1, 0, 1, cap: 10), 1)
    }

    func testStopsAtTheImageEdge() {
        XCTAssertEqual(RunLength.through(0, 0, 1, 0, width: 4, height: 1, cap: 10) { _ in true }, 4)
        XCTAssertEqual(RunLength.through(0, 0, 0, 1, width: 4, height: 1, cap: 10) { _ in true }, 1)
    }
}
