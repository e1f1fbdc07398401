// The reader on a real PM 7001 scan whose registration marks are lost: it registers the page
// from its print against the bundled blank, says so in `form`, and reads the same fields.
import BlankettSupport
import FormReader
import FormTemplate
import Foundation
import PageImage
import XCTest

final class ContentRegistrationReadTests: XCTestCase {
    func testAPageWithoutThreeOfItsMarksIsReadFromItsPrint() throws {
        let reader = try SampleScanTests.reader()
        let template = try FormTemplate.load(SampleScanTests.root.appendingPathComponent("Forms/pm7001/template.json").path)
        // A valid form at 200 dpi turned 2.75°.
        let path = SampleScanTests.root.appendingPathComponent("SampleScans/scan-00001.png").path
        let withMarks = reader.read(path: path)
        XCTAssertEqual(withMarks.form?.registration, "marks")
        XCTAssertEqual(withMarks.form?.marksFound, 4)

        // Paint out every mark but the top-left one, 2 mm round each, where its own marks put them.
        var page = try PNGCodec.decode(path: path)
        let marks = template.registrationMarks.map { RegistrationMark(name: $0.name, centerMM: ($0.center[0], $0.center[1]), sizeMM: $0.size) }
        let transform = try Registrar.register(page, marks: marks, pageWidthMM: template.page.widthMm,
                                               pageHeightMM: template.page.heightMm).transform
        for mark in template.registrationMarks where mark.name != "TL" {
            let c = transform.pixel(x: mark.center[0], y: mark.center[1]), r = (mark.size / 2 + 2) * transform.pixelsPerMM
            for y in max(0, Int(c.y - r))..<min(page.height, Int(c.y + r)) {
                for x in max(0, Int(c.x - r))..<min(page.width, Int(c.x + r)) { page[x, y] = 235 }
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("content-read-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let unmarked = folder.appendingPathComponent("scan.png")
        try Data(PNGCodec.encode(page)).write(to: unmarked)

        let result = reader.read(path: unmarked.path)
        XCTAssertEqual(result.form?.registration, "content", "\(result.error.map { "\($0.code): \($0.message)" } ?? "")")
        XCTAssertEqual(result.form?.marksFound, 1)
        XCTAssertEqual((result.json["form"] as? [String: Any])?["registration"] as? String, "content")
        XCTAssertEqual(result.form?.skewDegrees ?? 0, withMarks.form?.skewDegrees ?? 99, accuracy: 0.1)
        XCTAssertEqual(result.status, withMarks.status)
        XCTAssertEqual(result.fields.map(\.value), withMarks.fields.map(\.value))
    }
}
