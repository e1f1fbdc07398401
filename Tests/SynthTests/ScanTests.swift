// The files are what the truth says they are: PNGs of the right size for their dpi that the
// project's own codec and registration read as the truth expects, with the big registration
// mark at the bottom right when the page went in upside down; the broken files fail with the
// recorded error code.
import BlankettSupport
import FormTemplate
import Foundation
import PageImage
import Synth
import XCTest

final class ScanTests: XCTestCase {
    private func decode(_ directory: String, _ record: TruthRecord) throws -> GrayImage {
        try PNGCodec.decode(path: (directory as NSString).appendingPathComponent(record.file))
    }

    func testScansDecodeAtTheSizeOfTheirDpi() throws {
        let (directory, records) = try SynthFixture.everyCase()
        for r in records where r.expectedStatus != "rejected" || ["unknown_form", "blank_page", "no_registration_marks"].contains(r.expectedReasons[0]) {
            let scan = try XCTUnwrap(r.scan, r.file)
            let image = try decode(directory, r)
            XCTAssertEqual(image.width, Int((210 * Double(scan.dpi) / 25.4).rounded()), r.file)
            XCTAssertEqual(image.height, Int((297 * Double(scan.dpi) / 25.4).rounded()), r.file)
            if scan.bilevel { XCTAssertTrue(image.pixels.allSatisfy { $0 == 0 || $0 == 255 }, r.file) }
        }
    }

    func testBrokenFilesFailWithTheirRecordedCode() throws {
        let (directory, records) = try SynthFixture.everyCase()
        for r in records where ["png_truncated", "not_png"].contains(r.expectedReasons.first) {
            XCTAssertThrowsError(try decode(directory, r), r.file) { error in
                XCTAssertEqual((error as? BlankettError)?.code, r.expectedReasons[0], "\(r.file): \(error)")
            }
        }
    }

    /// The 9 mm mark's ink in the window around each corner mark: on an upside-down page the
    /// big one is at the bottom right.
    func testUpsideDownPagesHaveTheBigMarkBottomRight() throws {
        let (directory, records) = try SynthFixture.everyCase()
        var seen = Set<Bool>()
        for r in records where r.case.group == .valid || r.case.group == .mistake {
            let scan = try XCTUnwrap(r.scan)
            guard scan.clippedMark == nil else { continue }
            let image = try decode(directory, r)
            let ppm = Double(scan.dpi) / 25.4
            func ink(_ cx: Double, _ cy: Double) -> Int {
                let (r, x, y) = (Int(12 * ppm), Int(cx * ppm), Int(cy * ppm))
                var n = 0
                for j in max(0, y - r)..<min(image.height, y + r) {
                    for i in max(0, x - r)..<min(image.width, x + r) where image[i, j] < 80 { n += 1 }
                }
                return n
            }
            let (topLeft, bottomRight) = (ink(14, 14), ink(196, 283))
            let big = scan.upsideDown ? bottomRight : topLeft, small = scan.upsideDown ? topLeft : bottomRight
            XCTAssertGreaterThan(Double(big), 1.6 * Double(small), "\(r.file) upside down: \(scan.upsideDown)")
            seen.insert(scan.upsideDown)
        }
        XCTAssertEqual(seen, [false, true], "the fixture has upright and upside-down pages")
    }

    /// The project's registration finds the marks (at least those the truth says are in the
    /// frame, three on a page with a folded corner) in the orientation and skew the truth
    /// records, and refuses the blank sheet and the other document with their codes.
    func testRegistrationAgreesWithTheTruth() throws {
        let (directory, records) = try SynthFixture.everyCase()
        let template = try FormTemplate.load(SynthFixture.templatePath)
        let marks = template.registrationMarks.map {
            RegistrationMark(name: $0.name, centerMM: ($0.center[0], $0.center[1]), sizeMM: $0.size)
        }
        for r in records where r.expectedReasons.first != "png_truncated" && r.expectedReasons.first != "not_png" {
            let scan = try XCTUnwrap(r.scan)
            let image = try decode(directory, r)
            let register = { try Registrar.register(image, marks: marks, pageWidthMM: 210, pageHeightMM: 297) }
            switch r.expectedReasons.first {
            case "blank_page", "no_registration_marks":
                XCTAssertThrowsError(try register(), r.file) {
                    XCTAssertEqual(($0 as? BlankettError)?.code, r.expectedReasons[0], r.file)
                }
            default:
                let registration = try register()
                XCTAssertEqual(registration.orientation, scan.upsideDown ? .upsideDown : .upright, r.file)
                XCTAssertGreaterThanOrEqual(registration.marksFound, scan.marksInFrame.count, r.file)
                XCTAssertGreaterThanOrEqual(scan.marksInFrame.count, 3, r.file)
                if scan.clippedMark != nil { XCTAssertEqual(registration.marksFound, 3, r.file) }
                XCTAssertEqual(registration.skewDegrees, scan.rotationDeg, accuracy: 0.5, r.file)
                XCTAssertEqual(registration.dpi, Double(scan.dpi) * scan.scale, accuracy: Double(scan.dpi) * 0.01, r.file)
            }
        }
    }
}
