import PageImage
import XCTest

final class SamplingTests: XCTestCase {
    private let ramp = GrayImage(width: 40, height: 30, pixels: (0..<1200).map { UInt8(($0 % 40) * 5 + ($0 / 40)) })

    func testPixelAlignedCropCopiesPixels() {
        // 2 px per mm, so mm 10 is pixel 20 and each output pixel centre sits on a source centre.
        let transform = PageTransform(a: 2, b: 0, c: 0, d: 2, tx: 0, ty: 0)
        let crop = ramp.sample(region: (x: 10, y: 5, width: 4, height: 3), transform: transform, pixelsPerMM: 2)
        XCTAssertEqual(crop.width, 8)
        XCTAssertEqual(crop.height, 6)
        for j in 0..<6 { for i in 0..<8 { XCTAssertEqual(crop[i, j], ramp[20 + i, 10 + j]) } }
    }

    func testHalfwayIsTheMean() {
        let image = GrayImage(width: 2, height: 1, pixels: [100, 200])
        let identity = PageTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)
        // Output pixel centre at x = 1.0: halfway between the two source centres (0.5 and 1.5).
        let crop = image.sample(region: (x: 0.5, y: 0, width: 1, height: 1), transform: identity, pixelsPerMM: 1)
        XCTAssertEqual(crop.pixels, [150])
    }

    func testTurnedTransformReadsBackwards() {
        // 180° about the image: template point (x, y) is pixel (40 - x, 30 - y).
        let turned = PageTransform(a: -1, b: 0, c: 0, d: -1, tx: 40, ty: 30)
        let crop = ramp.sample(region: (x: 0, y: 0, width: 40, height: 30), transform: turned, pixelsPerMM: 1)
        XCTAssertEqual(crop.pixels, ramp.pixels.reversed())
    }

    func testOutsideThePageIsPaper() {
        let identity = PageTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)
        let crop = GrayImage(width: 4, height: 4, fill: 0)
            .sample(region: (x: -2.5, y: 1, width: 4, height: 1), transform: identity, pixelsPerMM: 1)
        XCTAssertEqual(crop.pixels, [255, 255, 128, 0], "a pixel half off the page blends with paper")
    }
}
