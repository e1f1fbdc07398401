// Golden registration tests for harsh scans (issue 14), in the manner of Leptonica's regression
// tests: each page is generated deterministically with a known placement, and the recovered
// transform must put every registration mark (found or not) where the placement does.
import BlankettSupport
import Foundation
import PageImage
import XCTest

final class GoldenRegistrationTests: XCTestCase {
    /// A form-like print: text lines, a grey comb, the tone pattern and field frames.
    static let print: [Shape] = SyntheticPage.textShapes(seed: 7) + SyntheticPage.pattern + [
        (30.0, 150.0, 90.0, 12.0), (130, 150, 60, 12), (30, 200, 150, 30), (110, 235, 70, 20),
    ].flatMap { x, y, w, h in
        [Shape(x: x, y: y, width: w, height: 0.3), Shape(x: x, y: y + h, width: w, height: 0.3),
         Shape(x: x, y: y, width: 0.3, height: h), Shape(x: x + w, y: y, width: 0.3, height: h + 0.3)]
    }

    /// The blank as the reader bundles it: every mark and the print, upright at 300 dpi.
    static let content = ContentReference(blank: SyntheticPage.render(SyntheticPage.markShapes() + print, placement: Placement()),
                                          pageWidthMM: 210, pageHeightMM: 297)

    static func register(_ image: GrayImage) throws -> Registration {
        try Registrar.register(image, marks: SyntheticPage.marks, pageWidthMM: 210, pageHeightMM: 297, content: content)
    }

    /// Handwriting-like strokes in the fields, which the blank does not have.
    static func entries(seed: UInt64) -> [Shape] {
        var rng = SeededGenerator(seed: seed)
        return (0..<60).map { _ in
            let (x, y) = (32 + 140 * Double(rng.unit()), 152 + 80 * Double(rng.unit()))
            return rng.unit() < 0.5 ? Shape(x: x, y: y, width: 0.5, height: 5, gray: 30) : Shape(x: x, y: y, width: 3.5, height: 0.5, gray: 30)
        }
    }

    /// The paper's light multiplied by `factor` over `widthMM` from the image's left edge, as a
    /// scanner lid's shadow does: black stays black, paper darkens.
    static func shadowed(_ image: GrayImage, widthMM: Double, dpi: Double, factor: Double) -> GrayImage {
        var out = image
        let columns = Int(widthMM * dpi / 25.4)
        for y in 0..<image.height {
            for x in 0..<min(columns, image.width) { out[x, y] = UInt8((Double(image[x, y]) * factor).rounded()) }
        }
        return out
    }

    /// A mark cut by the image's right edge: the sheet is turned 3° and lies 8 mm right, so TR
    /// reaches past the frame by about half; BR is hidden, so only TL, BL and the visible part of
    /// TR remain, among text, blur and noise.
    func testClippedMarkIsFittedFromItsVisiblePart() throws {
        let placement = Placement(dpi: 200, rotationDegrees: 3, shiftMM: (8, 0))
        let tr = try XCTUnwrap(SyntheticPage.marks.first { $0.name == "TR" })
        let centre = placement.transform.pixel(x: tr.centerMM.x, y: tr.centerMM.y)
        let (width, _) = placement.imageSize
        // The test is only a test if TR is really cut: its centre lies within its half side of the edge.
        XCTAssertLessThan(abs(centre.x - Double(width)), tr.sizeMM / 2 * 200 / 25.4)
        let page = SyntheticPage.render(SyntheticPage.markShapes(hiding: ["BR"]) + Self.print, placement: placement,
                                        paper: 232, ink: 25, blurPasses: 1, noise: 5)
        let registration = try Self.register(page)
        XCTAssertEqual(registration.method, .marks)
        XCTAssertEqual(registration.marksFound, 3)
        RegistrationTests.assertMatches(registration, placement, "clipped TR", toleranceMM: 0.4)
    }

    /// A shadow band along the left edge covers TL and BL: darker than midway between paper and
    /// ink (one threshold merges mark and band), or lighter (the band around the mark must not
    /// count as its ink). Each mark is still the darkest solid square against the band around it.
    func testShadowedMarksAreFoundByLocalContrast() throws {
        let placement = Placement(dpi: 200, rotationDegrees: -3, shiftMM: (-2, 2))
        let clean = SyntheticPage.render(SyntheticPage.markShapes() + Self.print, placement: placement,
                                         paper: 235, ink: 20, blurPasses: 1, noise: 4)
        for factor in [0.45, 0.6] {
            let page = Self.shadowed(clean, widthMM: 30, dpi: 200, factor: factor)
            let registration = try Registrar.register(page, marks: SyntheticPage.marks, pageWidthMM: 210, pageHeightMM: 297)
            XCTAssertEqual(registration.method, .marks)
            XCTAssertEqual(registration.marksFound, 4)
            RegistrationTests.assertMatches(registration, placement, "TL and BL in a shadow of \(factor)")
        }
    }

    /// A fold crease across the top marks' windows and staple-hole specks beside TL: neither is a
    /// mark, so the four marks still agree with the template.
    func testCreasesAndStapleHolesAreNotMarks() throws {
        let placement = Placement(dpi: 200, rotationDegrees: 1.5, shiftMM: (1, -1))
        let litter = [Shape(x: 0, y: 22, width: 210, height: 0.8, gray: 60),
                      Shape(x: 26, y: 8, width: 1.2, height: 1.2), Shape(x: 26, y: 20, width: 1.2, height: 1.2)]
        let page = SyntheticPage.render(SyntheticPage.markShapes(hiding: ["TL"]) + Self.print + litter, placement: placement,
                                        paper: 235, ink: 20, blurPasses: 1, noise: 4)
        let registration = try Self.register(page)
        XCTAssertEqual(registration.method, .marks)
        XCTAssertEqual(registration.marksFound, 3)
        RegistrationTests.assertMatches(registration, placement, "crease and staples")
    }

    /// A sheet punched for a binder (ISO 838, four holes 80 mm apart, 12 mm from the edge), scanned
    /// over a black lid: the holes are dark discs of a mark's size and darker than the print, and
    /// two lie in the TL and BL marks' windows. A disc is not a square: with BL lost, only three
    /// marks are found and they agree with the template; with all four printed, each window's
    /// square wins over a hole larger than it.
    func testHolePunchShadowsAreNotMarks() throws {
        let placement = Placement(dpi: 200, rotationDegrees: -1.5, shiftMM: (-1, 1))
        for (hidden, diameter, found) in [(Set(["BL"]), 6.0, 3), ([], 7.5, 4)] {
            let holes = [28.5, 108.5, 188.5, 268.5].map {
                Shape(x: 12 - diameter / 2, y: $0 - diameter / 2, width: diameter, height: diameter, gray: 10, round: true)
            }
            let page = SyntheticPage.render(SyntheticPage.markShapes(hiding: hidden) + Self.print + holes, placement: placement,
                                            paper: 235, ink: 20, blurPasses: 1, noise: 4)
            let registration = try Self.register(page)
            XCTAssertEqual(registration.method, .marks)
            XCTAssertEqual(registration.marksFound, found)
            RegistrationTests.assertMatches(registration, placement, "punched holes of \(diameter) mm")
        }
    }

    /// Only one mark is left: the page is registered from its print against the blank, upright
    /// and upside down, with handwriting the blank does not have.
    func testContentOnlyRegistration() throws {
        for (label, placement) in [("upright", Placement(dpi: 200, rotationDegrees: 3.5, shiftMM: (6, -5), scale: (1.01, 1.0))),
                                   ("upside down", Placement(dpi: 240, rotationDegrees: -4.5, shiftMM: (-4, 7), upsideDown: true))] {
            let page = SyntheticPage.render(SyntheticPage.markShapes(hiding: ["TR", "BL", "BR"]) + Self.print + Self.entries(seed: 3),
                                            placement: placement, paper: 230, ink: 25, blurPasses: 1, noise: 5)
            let registration = try Self.register(page)
            XCTAssertEqual(registration.method, .content, label)
            XCTAssertEqual(registration.orientation, placement.upsideDown ? .upsideDown : .upright, label)
            RegistrationTests.assertMatches(registration, placement, "content, \(label)", toleranceMM: 0.35, skewTolerance: 0.15)
        }
    }

    /// A page that is not the blank (another document's text and no marks) is refused even with
    /// the blank's content to fall back on, and a blank sheet stays a blank sheet.
    func testAPageThatIsNotTheBlankIsRefused() {
        let placement = Placement(dpi: 200, rotationDegrees: 1)
        let letter = SyntheticPage.textShapes(seed: 11).filter { $0.gray == 0 }
        RegistrationTests.assertCode("no_registration_marks", SyntheticPage.render(letter, placement: placement), "another document")
        XCTAssertThrowsError(try Self.register(SyntheticPage.render(letter, placement: placement))) { error in
            XCTAssertEqual((error as? BlankettError)?.code, "no_registration_marks", "\(error)")
        }
        XCTAssertThrowsError(try Self.register(SyntheticPage.render([], placement: placement, paper: 240, noise: 3))) { error in
            XCTAssertEqual((error as? BlankettError)?.code, "blank_page", "\(error)")
        }
    }
}
