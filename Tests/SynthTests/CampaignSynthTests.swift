// A synthetic campaign: the register written beside the truth, applicants drawn from it (or, as
// asked, not), and dates of signing after the mailing.
import BlankettSupport
import FieldRules
import Foundation
import Synth
import XCTest

final class CampaignSynthTests: XCTestCase {
    func testEveryCampaignCaseAgreesWithTheRegisterAndTheWindow() throws {
        var options = SynthFixture.options(count: PageCase.cases(campaign: true).count)
        options.campaign = Campaign(mailingDate: "2025-10-15", registerSize: 2000)
        let directory = SynthFixture.temporaryDirectory("campaign")
        let records = try Synthesizer.generate(options: options, into: directory)
        XCTAssertEqual(records.map(\.case), PageCase.cases(campaign: true))

        let path = (directory as NSString).appendingPathComponent(Synthesizer.registerFileName)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o077, 0, "the register is readable by its owner only")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(lines.count, 2000)
        XCTAssertEqual(lines, lines.sorted())
        let register = try MailingRegister.parse(Array(text.utf8), policy: .pm7001)
        XCTAssertEqual(register.count, 2000)

        let mailing = CalendarDate("2025-10-15")!, scan = CalendarDate(SynthFixture.scanDate)!
        for record in records where record.fields != nil && record.case.group != .reject {
            let fields = try XCTUnwrap(record.fields)
            let number = (fields.personnummer ?? "").compactMap(\.wholeNumberValue)
            let date = try XCTUnwrap(CalendarDate(fields.datum ?? ""))
            switch record.case {
            case .notInRegister:
                XCTAssertFalse(register.contains(number))
                XCTAssertEqual(record.expectedReasons, ["personnummer_not_in_register"])
                XCTAssertEqual(record.expectedStatus, "needs_verification")
            case .dateBeforeMailing:
                XCTAssertLessThan(date, mailing)
                XCTAssertEqual(record.expectedRuleCodes, ["datum_before_mailing"])
            case .futureDate:
                XCTAssertLessThan(scan, date)
            case .invalidBirthDate:
                break
            case .wrongCheckDigit:
                // A member's number with another last digit.
                XCTAssertFalse(register.contains(number))
                XCTAssertTrue(register.contains(Array(number.dropLast()) + [Personnummer.luhnDigit(number[2..<11])]))
            default:
                XCTAssertTrue(register.contains(number), record.case.rawValue)
                XCTAssertFalse(date < mailing || scan < date, record.case.rawValue)
            }
        }
    }

    func testAPlainRunHasNoCampaignCases() {
        let cases = Set(Synthesizer.cases(options: SynthFixture.options(count: 200)))
        XCTAssertFalse(cases.contains(.notInRegister))
        XCTAssertFalse(cases.contains(.dateBeforeMailing))
        var options = SynthFixture.options(count: 400)
        options.coverEveryCase = false
        options.campaign = Campaign(mailingDate: "2025-10-15", registerSize: 10, notInRegister: 0.5)
        XCTAssertTrue(Set(Synthesizer.cases(options: options)).isSuperset(of: [.notInRegister, .dateBeforeMailing]))
    }

    func testBadCampaignsAreRefused() {
        for campaign in [Campaign(mailingDate: "2025-11-21", registerSize: 10), Campaign(mailingDate: "2025-13-01", registerSize: 10),
                         Campaign(mailingDate: "2025-10-15", registerSize: 0), Campaign(mailingDate: "2025-10-15", registerSize: 10, notInRegister: 1)] {
            var options = SynthFixture.options(count: 1)
            options.campaign = campaign
            XCTAssertThrowsError(try Synthesizer.generate(options: options, into: SynthFixture.temporaryDirectory("bad"))) {
                XCTAssertEqual(($0 as? BlankettError)?.code, "synth_invalid_options")
            }
        }
    }
}
