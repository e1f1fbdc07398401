import DigitImage
import XCTest

final class InkImageTests: XCTestCase {
    func testMNISTBytesAreInkHigh() {
        var bytes = [UInt8](repeating: 0, count: 784)
        bytes[29] = 255
        bytes[30] = 51
        let image = InkImage(mnist: bytes)
        XCTAssertEqual(image.width, 28)
        XCTAssertEqual(image.height, 28)
        XCTAssertEqual(image[1, 1], 1)
        XCTAssertEqual(image[2, 1], 0.2, accuracy: 1e-6)
        XCTAssertEqual(image[0, 0], 0)
    }

    func testGreyScanIsPaperWhite() {
        let image = InkImage(grey: [255, 0, 204, 255, 255, 255], width: 3, height: 2)
        XCTAssertEqual(image.ink, [0, 1, 0.2, 0, 0, 0].map { Float($0) }, "255 is paper, 0 is full ink")
        XCTAssertEqual(image[2, 0], 0.2, accuracy: 1e-6)
    }

    func testZerosAndSubscript() {
        var image = InkImage.zeros(width: 4, height: 3)
        XCTAssertEqual(image.ink.count, 12)
        image[3, 2] = 0.5
        XCTAssertEqual(image.ink[11], 0.5)
    }
}
