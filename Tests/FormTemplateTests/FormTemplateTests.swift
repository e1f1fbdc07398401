import BlankettSupport
import FormTemplate
import Foundation
import XCTest

final class FormTemplateTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let bundled = root.appendingPathComponent("Forms/pm7001/template.json").path

    func testBundledTemplateLoads() throws {
        let t = try FormTemplate.load(Self.bundled)
        XCTAssertEqual(t.id, "PM7001")
        XCTAssertEqual(t.edition, 2)
        XCTAssertEqual(t.registrationMarks.map(\.name), ["TL", "TR", "BL", "BR"])
        XCTAssertEqual(t.field("personnummer")?.cells?.count, 12)
        XCTAssertEqual(t.field("personnummer")?.acceptLengths, [12, 10])
        XCTAssertEqual(t.field("uttag")?.options?.map(\.value), ["100", "75", "50", "25"])
        XCTAssertEqual(t.policy.birthYearMax, 1934)
        XCTAssertEqual(t.identifyingLines.map(\.text), ["PM 7001 utgåva 2", "Ansökan om premiepension"])
    }

    /// The bundled copy is the agency's file, unchanged, wherever ../shared is available.
    func testBundledCopyEqualsShared() throws {
        let shared = Self.root.appendingPathComponent("../shared/forms/pm7001")
        for name in ["template.json", "blank-300dpi.png"] {
            let original = shared.appendingPathComponent(name).path
            try XCTSkipUnless(FileManager.default.fileExists(atPath: original), "../shared is not beside the repo")
            XCTAssertEqual(FileManager.default.contents(atPath: original),
                           FileManager.default.contents(atPath: Self.root.appendingPathComponent("Forms/pm7001/\(name)").path), name)
        }
    }

    func code(_ json: String) -> String? {
        let path = NSTemporaryDirectory() + "/blankett-template-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(json.utf8)))
        do { _ = try FormTemplate.load(path); return nil } catch { return (error as? BlankettError)?.code }
    }

    func testBrokenTemplatesAreTypedErrors() throws {
        XCTAssertThrowsError(try FormTemplate.load("/nonexistent.json")) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "template_not_found")
        }
        XCTAssertEqual(code("not json"), "template_invalid")
        XCTAssertEqual(code("{}"), "template_invalid")
        let original = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.bundled))) as? [String: Any])
        func serialised(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        XCTAssertNil(code(try serialised(original)))
        // A cell that runs off the page must be refused at load time, not misread later.
        var broken = original
        var fields = try XCTUnwrap(broken["fields"] as? [[String: Any]])
        var cells = try XCTUnwrap(fields[0]["cells"] as? [[Double]])
        cells[11] = [207, 72, 7, 9]
        fields[0]["cells"] = cells
        broken["fields"] = fields
        XCTAssertEqual(code(try serialised(broken)), "template_invalid")
        // Two fields of one name would share what the reader reads for them.
        var twice = original
        let all = try XCTUnwrap(original["fields"] as? [[String: Any]])
        twice["fields"] = all + [all[0]]
        XCTAssertEqual(code(try serialised(twice)), "template_invalid")
    }
}
