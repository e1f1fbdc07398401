import BlankettSupport
import Foundation
import PageImage
import XCTest

/// Registration of synthetic pages whose placement is known exactly.
final class RegistrationTests: XCTestCase {
    static func register(_ image: GrayImage) throws -> Registration {
        try Registrar.register(image, marks: SyntheticPage.marks, pageWidthMM: 210, pageHeightMM: 297)
    }

    /// dpi within 1 %, skew within 0.1°, every mark centre (found or not) within 0.3 mm, unless told otherwise.
    static func assertMatches(_ registration: Registration, _ placement: Placement, _ label: String,
                              toleranceMM: Double = 0.3, skewTolerance: Double = 0.1,
                              file: StaticString = #filePath, line: UInt = #line) {
        let truth = placement.transform
        let dpi = placement.dpi * (placement.scale.x * placement.scale.y).squareRoot()
        XCTAssertEqual(registration.dpi, dpi, accuracy: dpi * 0.01, "\(label): dpi", file: file, line: line)
        XCTAssertEqual(registration.skewDegrees, placement.rotationDegrees, accuracy: skewTolerance, "\(label): skew", file: file, line: line)
        XCTAssertEqual(registration.orientation, placement.upsideDown ? .upsideDown : .upright, label, file: file, line: line)
        for mark in SyntheticPage.marks {
            let found = registration.transform.pixel(x: mark.centerMM.x, y: mark.centerMM.y)
            let expected = truth.pixel(x: mark.centerMM.x, y: mark.centerMM.y)
            let errorMM = hypot(found.x - expected.x, found.y - expected.y) / truth.pixelsPerMM
            XCTAssertLessThan(errorMM, toleranceMM, "\(label): \(mark.name) centre", file: file, line: line)
        }
    }

    static func assertCode(_ code: String, _ image: GrayImage, _ label: String = "",
                           file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try register(image), label, file: file, line: line) { error in
            XCTAssertEqual((error as? BlankettError)?.code, code, "\(label): \(error)", file: file, line: line)
        }
    }

    func testUprightAt300dpi() throws {
        let placement = Placement()
        let registration = try Self.register(SyntheticPage.render(SyntheticPage.markShapes(), placement: placement))
        Self.assertMatches(registration, placement, "upright")
        XCTAssertEqual(registration.marksFound, 4)
        XCTAssertLessThan(registration.residualMM, 0.1)
    }

    func testRotatedShiftedScaledScans() throws {
        let cases: [(String, Placement, Int)] = [
            // Turned ±4° about its centre, an A4 page reaches past an A4 scan, so these scans are larger.
            ("200 dpi +4°", Placement(dpi: 200, rotationDegrees: 4, shiftMM: (-2, 1), scale: (1.01, 1.0), canvasMM: (216, 303)), 0),
            ("300 dpi -4°", Placement(dpi: 300, rotationDegrees: -4, shiftMM: (3, -2), canvasMM: (216, 303)), 0),
            ("240 dpi blurred, noisy", Placement(dpi: 240, rotationDegrees: 2.5, shiftMM: (3, 3), scale: (0.98, 0.99)), 4),
        ]
        for (label, placement, blur) in cases {
            let page = SyntheticPage.render(SyntheticPage.markShapes(), placement: placement, paper: 228, ink: 35,
                                            blurPasses: blur, noise: blur > 0 ? 14 : 0)
            Self.assertMatches(try Self.register(page), placement, label)
        }
    }

    func testMarksAmongText() throws {
        let placement = Placement(dpi: 200, rotationDegrees: -3, shiftMM: (2, -2))
        let page = SyntheticPage.render(SyntheticPage.markShapes() + SyntheticPage.textShapes(seed: 7), placement: placement)
        Self.assertMatches(try Self.register(page), placement, "with text")
    }

    func testDarkScannerBackingAroundTheSheet() throws {
        let placement = Placement(dpi: 200, rotationDegrees: -3, shiftMM: (1, 2), canvasMM: (222, 309))
        let page = SyntheticPage.render(SyntheticPage.markShapes() + SyntheticPage.textShapes(seed: 9), placement: placement,
                                        paper: 235, ink: 20, background: 25, blurPasses: 2, noise: 6)
        Self.assertMatches(try Self.register(page), placement, "dark backing")
    }

    func testUpsideDownIsDetectedAndUndoneBySampling() throws {
        let shapes = SyntheticPage.markShapes() + SyntheticPage.pattern
        let upright = Placement(dpi: 300)
        let turned = Placement(dpi: 300, rotationDegrees: 1.5, shiftMM: (-3, 4), upsideDown: true)
        let a = try Self.register(SyntheticPage.render(shapes, placement: upright))
        let turnedPage = SyntheticPage.render(shapes, placement: turned)
        let b = try Self.register(turnedPage)
        Self.assertMatches(b, turned, "upside down")
        let region = (x: 55.0, y: 95.0, width: 40.0, height: 28.0)
        let cropA = SyntheticPage.render(shapes, placement: upright).sample(region: region, transform: a.transform, pixelsPerMM: 8)
        let cropB = turnedPage.sample(region: region, transform: b.transform, pixelsPerMM: 8)
        XCTAssertLessThan(Self.meanAbsoluteDifference(cropA, cropB), 4, "crops agree")
        XCTAssertGreaterThan(Self.meanAbsoluteDifference(cropA, GrayImage(width: cropA.width, height: cropA.height)), 20,
                             "and show the pattern")
    }

    func testThreeMarksSuffice() throws {
        for hidden in SyntheticPage.marks.map(\.name) {
            for upsideDown in [false, true] {
                let placement = Placement(dpi: 250, rotationDegrees: 3, shiftMM: (2, -3), upsideDown: upsideDown)
                let page = SyntheticPage.render(SyntheticPage.markShapes(hiding: [hidden]), placement: placement)
                let registration = try Self.register(page)
                XCTAssertEqual(registration.marksFound, 3)
                Self.assertMatches(registration, placement, "\(hidden) hidden, upside down \(upsideDown)")
            }
        }
    }

    func testMarkCutByTheImageEdgeIsLeftOutWhileThreeAreWhole() throws {
        // Turned 3° clockwise and shifted right, TR reaches 2 mm past the right edge, BR does not.
        let placement = Placement(dpi: 200, rotationDegrees: 3, shiftMM: (6, 0))
        let registration = try Self.register(SyntheticPage.render(SyntheticPage.markShapes(), placement: placement))
        XCTAssertEqual(registration.marksFound, 3)
        Self.assertMatches(registration, placement, "TR cut")
        // With BR hidden as well, TR's visible part is used (GoldenRegistrationTests).
        let twoLeft = SyntheticPage.render(SyntheticPage.markShapes(hiding: ["BR"]), placement: placement)
        XCTAssertEqual(try Self.register(twoLeft).marksFound, 3)
    }

    func testBlankPage() {
        Self.assertCode("blank_page", GrayImage(width: 1654, height: 2339), "white")
        Self.assertCode("blank_page", SyntheticPage.render([], placement: Placement(dpi: 200), paper: 232, noise: 6), "grey, noisy")
    }

    func testTextWithoutMarks() {
        let page = SyntheticPage.render(SyntheticPage.textShapes(seed: 3), placement: Placement(dpi: 200))
        Self.assertCode("no_registration_marks", page)
    }

    func testGeometryThatIsNotTheForm() {
        Self.assertCode("registration_inconsistent",
                        SyntheticPage.render(SyntheticPage.markShapes(), placement: Placement(dpi: 200, mirrored: true)),
                        "mirrored: the big mark is top right")
        Self.assertCode("registration_inconsistent",
                        SyntheticPage.render(SyntheticPage.markShapes(), placement: Placement(dpi: 200, scale: (1.08, 1.0))),
                        "stretched 8 % across the page")
        var shapes = SyntheticPage.markShapes()
        shapes[1].x += 3
        shapes[1].y += 2
        Self.assertCode("registration_inconsistent", SyntheticPage.render(shapes, placement: Placement(dpi: 200)),
                        "TR 3.6 mm out of place")
    }

    static func meanAbsoluteDifference(_ a: GrayImage, _ b: GrayImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        return Double(zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.pixels.count)
    }
}
