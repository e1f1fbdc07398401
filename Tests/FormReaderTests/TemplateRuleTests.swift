// A template that loads must fit the reader's rules: each digit rule reads a fixed number of cells,
// and a rule belongs to one kind of field. A misfit is refused when the reader is built, with a
// typed error, instead of stopping the decoder on the first page (found by the template fuzzer).
import BlankettSupport
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation
import XCTest

final class TemplateRuleTests: XCTestCase {
    /// The bundled template with `change` made to the field named `name`, loaded, and a reader built from it.
    func readerCode(changing name: String, _ change: (inout [String: Any]) -> Void) throws -> String? {
        let root = SampleScanTests.root
        let bundled = try Data(contentsOf: root.appendingPathComponent("Forms/pm7001/template.json"))
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: bundled) as? [String: Any])
        var fields = try XCTUnwrap(object["fields"] as? [[String: Any]])
        let i = try XCTUnwrap(fields.firstIndex { $0["name"] as? String == name })
        change(&fields[i])
        object["fields"] = fields
        let path = NSTemporaryDirectory() + "/blankett-template-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        let template = try FormTemplate.load(path)
        let model = try ModelFile.read(root.appendingPathComponent("Models/digits.bkn").path)
        do {
            _ = try FormReader(template: template, model: model, options: .init(scanDate: CalendarDate("2025-11-20")!))
            return nil
        } catch {
            return (error as? BlankettError)?.code
        }
    }

    func testTheBundledTemplateFits() throws {
        XCTAssertNil(try readerCode(changing: "datum") { _ in })
    }

    func testADigitRuleGivenAnotherNumberOfCellsIsRefused() throws {
        XCTAssertEqual(try readerCode(changing: "datum") { $0["validate"] = "personnummer" }, "template_invalid")
        XCTAssertEqual(try readerCode(changing: "telefon") { field in
            field["cells"] = Array((field["cells"] as? [[Double]] ?? []).prefix(9))
        }, "template_invalid")
    }

    func testARuleOfAnotherKindOfFieldIsRefused() throws {
        XCTAssertEqual(try readerCode(changing: "datum") { $0["validate"] = "exactly_one" }, "template_invalid")
        XCTAssertEqual(try readerCode(changing: "uttag") { $0["validate"] = "phone" }, "template_invalid")
    }
}
