import BlankettSupport
import Foundation
import PageImage
import XCTest

/// Golden tests on the real PM 7001 blank rendered at 300 dpi (skipped where ../shared is not
/// mounted), placed on the page by the library's own sampler to imitate skewed scans.
final class BlankFormTests: XCTestCase {
    static let blankPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../../shared/forms/pm7001/blank-300dpi.png")
        .standardized.path

    private func blank() throws -> GrayImage {
        guard FileManager.default.fileExists(atPath: Self.blankPath) else { throw XCTSkip("no \(Self.blankPath)") }
        return try PNGCodec.decode(path: Self.blankPath)
    }

    /// The blank as it would be scanned with `placement`: every output pixel looks up the blank
    /// pixel showing the same template point.
    private func scan(_ blank: GrayImage, _ placement: Placement) -> GrayImage {
        let t = placement.transform, s = 300 / 25.4
        let det = t.a * t.d - t.b * t.c
        let (ia, ib, ic, id) = (t.d / det, -t.b / det, -t.c / det, t.a / det)
        let pixelToBlank = PageTransform(a: s * ia, b: s * ib, c: s * ic, d: s * id,
                                         tx: -s * (ia * t.tx + ib * t.ty), ty: -s * (ic * t.tx + id * t.ty))
        let (w, h) = placement.imageSize
        return blank.sample(region: (0, 0, Double(w), Double(h)), transform: pixelToBlank, pixelsPerMM: 1)
    }

    func testRegistersTheBlank() throws {
        let registration = try RegistrationTests.register(try blank())
        RegistrationTests.assertMatches(registration, Placement(), "blank")
        XCTAssertEqual(registration.marksFound, 4)
        XCTAssertLessThan(registration.residualMM, 0.1)
    }

    func testRegistersSkewedScansOfTheBlank() throws {
        let page = try blank()
        // Turned ±4° about its centre, an A4 page reaches past an A4 scan, so the scans are larger.
        for placement in [Placement(dpi: 300, rotationDegrees: 4, shiftMM: (-2, 1), canvasMM: (216, 303)),
                          Placement(dpi: 200, rotationDegrees: -4, shiftMM: (3, -2), scale: (1.0, 1.015), canvasMM: (216, 303)),
                          Placement(dpi: 250, rotationDegrees: -2, shiftMM: (1, 1), upsideDown: true, canvasMM: (216, 303))] {
            RegistrationTests.assertMatches(try RegistrationTests.register(scan(page, placement)), placement,
                                            "\(placement.dpi) dpi \(placement.rotationDegrees)° \(placement.upsideDown ? "upside down" : "")")
        }
    }

    func testUpsideDownBlankSamplesLikeTheUprightOne() throws {
        let page = try blank()
        let turned = GrayImage(width: page.width, height: page.height, pixels: page.pixels.reversed())
        let upright = try RegistrationTests.register(page)
        let registration = try RegistrationTests.register(turned)
        XCTAssertEqual(registration.orientation, .upsideDown)
        XCTAssertEqual(registration.skewDegrees, 0, accuracy: 0.1)
        let comb = (x: 22.0, y: 62.0, width: 90.0, height: 16.0)  // "Personnummer" and its comb
        let a = page.sample(region: comb, transform: upright.transform, pixelsPerMM: 10)
        let b = turned.sample(region: comb, transform: registration.transform, pixelsPerMM: 10)
        XCTAssertLessThan(RegistrationTests.meanAbsoluteDifference(a, b), 1.5)
    }

    func testHiddenAndMissingMarks() throws {
        let page = try blank()
        let s = 300 / 25.4
        func whiteOut(_ image: GrayImage, _ names: Set<String>) -> GrayImage {
            var out = image
            for mark in SyntheticPage.marks where names.contains(mark.name) {
                let r = (mark.sizeMM / 2 + 1) * s
                for y in Int(mark.centerMM.y * s - r)..<Int(mark.centerMM.y * s + r) {
                    for x in Int(mark.centerMM.x * s - r)..<Int(mark.centerMM.x * s + r) { out[x, y] = 255 }
                }
            }
            return out
        }
        for hidden in ["TL", "BR"] {
            let registration = try RegistrationTests.register(whiteOut(page, [hidden]))
            XCTAssertEqual(registration.marksFound, 3)
            RegistrationTests.assertMatches(registration, Placement(), "\(hidden) hidden")
        }
        RegistrationTests.assertCode("no_registration_marks", whiteOut(page, ["TL", "TR", "BL", "BR"]), "a text page")
    }

    /// Prints the cost of the hot path; wall-clock is never asserted.
    func testTimingDecodeAndRegister() throws {
        guard FileManager.default.fileExists(atPath: Self.blankPath) else { throw XCTSkip("no blank") }
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Self.blankPath)))
        var decode: [Double] = [], register: [Double] = [], cells: [Double] = []
        for _ in 0..<7 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let page = try PNGCodec.decode(bytes)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let registration = try RegistrationTests.register(page)
            let t2 = DispatchTime.now().uptimeNanoseconds
            for i in 0..<12 {  // the personnummer comb: 12 cells of 7 x 9 mm, with a 1 mm margin
                _ = page.sample(region: (23 + 7 * Double(i), 67, 9, 11), transform: registration.transform, pixelsPerMM: 12)
            }
            let t3 = DispatchTime.now().uptimeNanoseconds
            decode.append(Double(t1 - t0) / 1e6)
            register.append(Double(t2 - t1) / 1e6)
            cells.append(Double(t3 - t2) / 1e6)
        }
        let median = { (xs: [Double]) in xs.sorted()[xs.count / 2] }
        print(String(format: "PageImage timing, 300 dpi blank (median of 7): decode %.1f ms, register %.2f ms, 12 comb cells %.2f ms",
                     median(decode), median(register), median(cells)))
    }
}
