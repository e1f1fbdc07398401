// Golden test of a campaign: SampleScans/campaign holds four scans of a mailing on 2025-10-15 and
// the register of the 1,000 people it went to. Read with that register and window, the members'
// forms pass with their personnummer certain, and the applicant the blank was not mailed to goes
// to a person with the nearest members as alternatives.
import BlankettSupport
import ConvNet
import FieldRules
import FormReader
import FormTemplate
import Foundation
import XCTest

final class CampaignSampleScanTests: XCTestCase {
    static let folder = SampleScanTests.root.appendingPathComponent("SampleScans/campaign")

    static func reader(register: Bool) throws -> FormReader {
        let template = try FormTemplate.load(SampleScanTests.root.appendingPathComponent("Forms/pm7001/template.json").path)
        let model = try ModelFile.read(SampleScanTests.root.appendingPathComponent("Models/digits.bkn").path)
        var options = FormReader.Options(scanDate: CalendarDate("2025-11-20")!)
        options.mailingDate = CalendarDate("2025-10-15")
        if register {
            let loaded = try MailingRegister.load(folder.appendingPathComponent("register.txt").path, policy: template.personnummerPolicy)
            XCTAssertEqual(loaded.register.count, 1000)
            options.register = try RegisterPrior(register: loaded.register)
        }
        return try FormReader(template: template, model: model, options: options)
    }

    func testTheCampaignAsLabelled() throws {
        let reader = try Self.reader(register: true)
        let truths = try String(contentsOf: Self.folder.appendingPathComponent("truth.jsonl"), encoding: .utf8)
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(truths.map { $0["case"] as? String },
                       ["valid_12_digits", "valid_10_digits", "valid_samordningsnummer", "valid_not_in_register"])
        for truth in truths {
            let file = try XCTUnwrap(truth["file"] as? String)
            let fields = try XCTUnwrap(truth["fields"] as? [String: Any])
            let result = reader.read(path: Self.folder.appendingPathComponent(file).path)
            let personnummer = try XCTUnwrap(result.field("personnummer"))
            XCTAssertEqual(personnummer.value, .text(fields["personnummer"] as? String ?? ""), file)
            if truth["expected_status"] as? String == "accepted" {
                XCTAssertEqual(result.status, .accepted, "\(file): \(result.reasons)")
                XCTAssertEqual(personnummer.standing, .certain, file)
                XCTAssertEqual(result.field("datum")?.value, .text(fields["datum"] as? String ?? ""), file)
            } else {
                XCTAssertEqual(result.status, .needsVerification, file)
                XCTAssertEqual(personnummer.reasons, ["personnummer_not_in_register"], file)
                XCTAssertEqual(personnummer.standing, .verify, file)
                XCTAssertFalse(personnummer.alternatives.isEmpty, "the nearest members are listed")
            }
            // The queue item tells certain from flagged for every field.
            let json = try XCTUnwrap(result.json["fields"] as? [String: [String: Any]])
            for (name, field) in json { XCTAssertNotNil(field["status"] as? String, name) }
        }
    }

    /// The same scans without the register: the window still applies, and no number is checked
    /// against who was mailed, so the outsider's form is not held for it.
    func testWithoutTheRegisterNothingIsSaidOfMembership() throws {
        let reader = try Self.reader(register: false)
        let result = reader.read(path: Self.folder.appendingPathComponent("scan-00004.png").path)
        XCTAssertFalse(result.reasons.contains("personnummer_not_in_register"))
    }
}
