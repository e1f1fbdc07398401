// Writing too faint to be found as strokes must not be read as certainly blank: a blank optional
// phone number or missing century cells would then pass on as certain, and they are wrong.
import BlankettSupport
import FieldRules
import FormReader
import Foundation
import PageImage
import XCTest

final class FaintWritingTests: XCTestCase {
    /// A labelled scan with every field's writing lightened to a faint grey (ink at 30 % of its
    /// darkness: under the stroke level, over paper noise), the corners and their marks untouched.
    private func faintScan(_ file: String) throws -> String {
        let path = SampleScanTests.root.appendingPathComponent("SampleScans/\(file)").path
        var page = try PNGCodec.decode(path: path)
        let paper = Float(page.pixels.sorted()[page.pixels.count * 3 / 4])
        for y in page.height * 12 / 100 ..< page.height * 88 / 100 {
            for x in 0..<page.width {
                let v = Float(page.pixels[y * page.width + x])
                page.pixels[y * page.width + x] = UInt8(max(0, min(255, paper - (paper - v) * 0.3)).rounded())
            }
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("faint-\(UUID().uuidString).png").path
        try PNGCodec.write(page, to: out)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        return out
    }

    func testFaintWritingIsNeverACertainBlank() throws {
        let reader = try SampleScanTests.reader()
        for file in ["scan-00003.png", "scan-00018.png"] {
            let result = reader.read(path: try faintScan(file))
            XCTAssertNotEqual(result.status, .accepted, file)
            for name in ["personnummer", "telefon", "datum"] {
                guard let field = result.field(name) else { continue }
                let blank = field.value == nil || field.value == .text("")
                XCTAssertFalse(field.standing == .certain && blank, "\(file): faint \(name) passed on as a certain blank")
            }
        }
    }
}
