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

    /// The bundled copy is the agency's file wherever ../shared is available, plus one thing: each
    /// field's cost and the reason for it, which are Blankett's policy, not the agency's geometry.
    func testBundledCopyEqualsSharedButForTheFieldCosts() throws {
        let shared = Self.root.appendingPathComponent("../shared/forms/pm7001")
        let bundled = Self.root.appendingPathComponent("Forms/pm7001")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: shared.appendingPathComponent("template.json").path),
                          "../shared is not beside the repo")
        XCTAssertEqual(FileManager.default.contents(atPath: shared.appendingPathComponent("blank-300dpi.png").path),
                       FileManager.default.contents(atPath: bundled.appendingPathComponent("blank-300dpi.png").path))
        func object(_ folder: URL, strippingCosts: Bool) throws -> NSDictionary {
            let data = try XCTUnwrap(FileManager.default.contents(atPath: folder.appendingPathComponent("template.json").path))
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            guard strippingCosts, var fields = json["fields"] as? [[String: Any]] else { return json as NSDictionary }
            for i in fields.indices {
                XCTAssertNotNil(fields[i].removeValue(forKey: "cost"), "every bundled field has a cost")
                XCTAssertNotNil(fields[i].removeValue(forKey: "cost_reason"), "and a reason for it")
            }
            var stripped = json
            stripped["fields"] = fields
            return stripped as NSDictionary
        }
        XCTAssertEqual(try object(bundled, strippingCosts: true), try object(shared, strippingCosts: false))
    }

    func testFieldCostsComeFromTheTemplateOrFromRequired() throws {
        let bundled = try FormTemplate.load(Self.root.appendingPathComponent("Forms/pm7001/template.json").path)
        XCTAssertEqual(bundled.fields.map(\.costClass), [.critical, .optional, .critical, .informative, .critical])
        XCTAssertTrue(bundled.fields.allSatisfy { !($0.costReason ?? "").isEmpty })
        let shared = Self.root.appendingPathComponent("../shared/forms/pm7001/template.json").path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: shared), "../shared is not beside the repo")
        XCTAssertEqual(try FormTemplate.load(shared).fields.map(\.costClass), [.critical, .optional, .critical, .critical, .critical])
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
        // A birth-year window that is empty or not of four-digit years would stop the rules.
        for (low, high) in [(1935, 1900), (-5, 1934), (1900, 10_000)] {
            var window = original
            var policy = try XCTUnwrap(original["policy"] as? [String: Any])
            policy["birth_year_min"] = low
            policy["birth_year_max"] = high
            window["policy"] = policy
            XCTAssertEqual(code(try serialised(window)), "template_invalid", "\(low)…\(high)")
        }
        // An unknown cost, or an optional cost on a required field, is refused too.
        for cost in ["expensive", "optional"] {
            var costly = original
            var fields = try XCTUnwrap(costly["fields"] as? [[String: Any]])
            fields[0]["cost"] = cost
            costly["fields"] = fields
            XCTAssertEqual(code(try serialised(costly)), "template_invalid", cost)
        }
    }
}
