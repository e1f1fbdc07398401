// The station's decisions without a browser: which fields are keyed blind, the live checks, the
// double reading that settles a critical field, and the settled form the robot gets.
import BlankettSupport
import BlankettTestSupport
import FieldRules
import Foundation
import FormTemplate
import Verification
import XCTest

final class ReviewTests: XCTestCase {
    static let template = try! FormTemplate.load(BuiltExecutable.repositoryRoot.appendingPathComponent("Forms/pm7001/template.json").path)
    /// Skatteverket's test number; its neighbour with the last digit changed breaks the check digit.
    static let number = "191212121212"

    /// A reading as the reader delivers it: the personnummer in doubt between two valid numbers.
    static func content(personnummer: [String: Any]? = nil) -> [String: Any] {
        [
            "file": "scan-1.png", "source_file": "scan-1.png", "status": "needs_verification", "scan_date": "2025-11-20",
            "mailing_date": "2025-10-15", "reasons": ["personnummer_low_confidence"],
            "fields": [
                "personnummer": personnummer ?? ["value": number, "confidence": 0.93, "status": "verify", "reasons": ["personnummer_low_confidence"],
                                                 "alternatives": [["value": "191212121220", "probability": 0.05],
                                                                  ["value": "191212121219", "probability": 0.001]]],
                "telefon": ["value": "0701234567", "confidence": 0.98, "status": "flagged", "reasons": ["telefon_low_confidence"], "alternatives": []],
                "uttag": ["value": "75", "confidence": 0.999, "status": "certain", "reasons": [],
                          "alternatives": [["value": "100", "probability": 0], ["value": "50", "probability": 0]]],
                "datum": ["value": "20251101", "confidence": 0.9999, "status": "certain", "reasons": [], "alternatives": []],
                "namnteckning": ["value": true, "confidence": 1, "status": "certain", "reasons": [], "alternatives": []],
            ],
        ]
    }

    var form: ReviewForm { try! ReviewForm(content: Self.content(), template: Self.template) }
    let check = FieldCheck(template: ReviewTests.template, register: nil, mailingDate: nil)
    let today = CalendarDate(year: 2025, month: 11, day: 20)!

    func testTheDoubtfulCriticalFieldIsKeyedBlindAndTheRestLocked() throws {
        let form = self.form
        XCTAssertEqual(form.fields.map(\.name), ["personnummer", "telefon", "uttag", "datum", "namnteckning"])
        let personnummer = try XCTUnwrap(form.field("personnummer"))
        XCTAssertTrue(personnummer.isBlind)
        // A reading below the floor is not one of the machine's readings.
        XCTAssertEqual(personnummer.readings, [Self.number, "191212121220"])
        XCTAssertEqual(personnummer.doubtfulCells, [10, 11])
        XCTAssertEqual(form.field("uttag")?.readings, ["75"], "options at probability 0 are no readings")
        XCTAssertFalse(form.field("telefon")!.isOpen)
        XCTAssertFalse(form.field("uttag")!.isOpen)
        XCTAssertEqual(form.field("namnteckning")?.value, "yes")
        XCTAssertEqual(form.scanDate, CalendarDate(year: 2025, month: 11, day: 20))
        XCTAssertEqual(form.mailingDate, CalendarDate(year: 2025, month: 10, day: 15))
    }

    func testLiveChecksAreTheReadersRules() {
        func codes(_ field: String, _ keyed: String) -> [String] {
            check.check(field, keyed: keyed, form: form, today: today).problems.map(\.code)
        }
        XCTAssertEqual(codes("personnummer", "19121212-1212"), [])
        XCTAssertEqual(check.check("personnummer", keyed: "1212121212", form: form, today: today).value, Self.number, "10 digits, the century from the policy")
        XCTAssertEqual(codes("personnummer", "191212121213"), ["personnummer_check_digit"])
        XCTAssertEqual(codes("personnummer", "19121212121"), ["personnummer_wrong_length"])
        XCTAssertEqual(codes("personnummer", ""), ["personnummer_missing"])
        XCTAssertEqual(codes("datum", "20251014"), ["datum_before_mailing"], "the item's own campaign window")
        XCTAssertEqual(codes("datum", "20251121"), ["datum_after_scan_date"])
        XCTAssertEqual(codes("datum", "20250231"), ["datum_invalid_date"])
        XCTAssertEqual(codes("datum", "20251020"), [])
        XCTAssertEqual(codes("telefon", ""), [], "optional")
        XCTAssertEqual(codes("telefon", "123456"), ["telefon_wrong_length"])
        XCTAssertEqual(codes("uttag", "60"), ["uttag_invalid"])
        XCTAssertEqual(codes("uttag", "25"), [])
        XCTAssertEqual(codes("namnteckning", "0"), ["namnteckning_missing"], "an unsigned form is returned, not settled")
        XCTAssertEqual(check.check("namnteckning", keyed: "1", form: form, today: today).value, "yes")
        XCTAssertEqual(codes("personnummer", "19121212121x"), ["personnummer_not_digits"])
    }

    func testARegisterWarnsButDoesNotRefuse() {
        let register = MailingRegister(members: [Array("191212121212").compactMap(\.wholeNumberValue)], policy: .pm7001)
        let check = FieldCheck(template: Self.template, register: register, mailingDate: nil)
        XCTAssertEqual(check.check("personnummer", keyed: Self.number, form: form, today: today).warnings, [])
        let outsider = check.check("personnummer", keyed: "193403211232", form: form, today: today)
        XCTAssertTrue(outsider.isValid)
        XCTAssertEqual(outsider.warnings.map(\.code), ["personnummer_not_in_register"])
        XCTAssertFalse(outsider.warnings[0].message.contains("1232"), "the message masks the number")
    }

    func testBlindKeyingSettlesOnlyOnAgreement() {
        func decide(_ keyed: String, by clerk: String = "anna", earlier: [Keying] = []) -> ReviewDecision {
            Review.decide(Submission(values: ["personnummer": keyed]), form: form, check: check, clerk: clerk, earlier: earlier, today: today)
        }
        guard case .settle(let values, let confirmations) = decide("191212121212") else { return XCTFail() }
        XCTAssertEqual(values["personnummer"], Self.number)
        XCTAssertEqual(confirmations, ["personnummer": "machine"])
        // The machine's second reading is a reading too.
        guard case .settle(_, let alternative) = decide("191212121220") else { return XCTFail() }
        XCTAssertEqual(alternative, ["personnummer": "machine"])
        guard case .invalid(let problems) = decide("191212121213") else { return XCTFail("a wrong check digit is a rule problem") }
        XCTAssertEqual(problems["personnummer"]?.map(\.code), ["personnummer_check_digit"])

        // A valid number no reading had: key it again; the second time, someone else must.
        let other = "193403211232"
        guard case .disagreement(let keyed) = decide(other) else { return XCTFail() }
        XCTAssertEqual(keyed, ["personnummer": other])
        let first = [Keying(clerk: "anna", field: "personnummer", value: other)]
        guard case .secondOperator = decide(other, earlier: first) else { return XCTFail() }
        // The second clerk keys the same as the first: two independent readings agree.
        let both = first + [Keying(clerk: "anna", field: "personnummer", value: other)]
        guard case .settle(_, let second) = decide(other, by: "bo", earlier: both) else { return XCTFail() }
        XCTAssertEqual(second, ["personnummer": "operator:anna"])
        // The same clerk agreeing with themself is no second reading.
        guard case .secondOperator = decide(other, by: "anna", earlier: both) else { return XCTFail() }
    }

    func testAnOpenFieldMustBeKeyedAndAnUnlockedChangeIsCheckedToo() {
        guard case .invalid(let problems) = Review.decide(Submission(values: [:]), form: form, check: check, clerk: "anna", earlier: [], today: today) else {
            return XCTFail()
        }
        XCTAssertEqual(problems["personnummer"]?.map(\.code), ["personnummer_not_keyed"])
        // uttag was certain; unlocked and changed, it is a critical keying like any other.
        let changed = Submission(values: ["personnummer": Self.number, "uttag": "25"])
        guard case .disagreement(let keyed) = Review.decide(changed, form: form, check: check, clerk: "anna", earlier: [], today: today) else {
            return XCTFail()
        }
        XCTAssertEqual(keyed, ["uttag": "25"])
        // A flagged optional field corrected is taken as keyed.
        let phone = Submission(values: ["personnummer": Self.number, "telefon": "0701234568"])
        guard case .settle(let values, _) = Review.decide(phone, form: form, check: check, clerk: "anna", earlier: [], today: today) else {
            return XCTFail()
        }
        XCTAssertEqual(values["telefon"], "0701234568")
    }

    func testTheSettledFormIsMarkedVerified() throws {
        let content = Review.settledContent(Self.content(), form: form, values: ["personnummer": Self.number, "namnteckning": "yes"],
                                            clerk: "anna", at: Date(timeIntervalSince1970: 1_763_625_600))
        XCTAssertEqual(content["source"] as? String, "verified")
        XCTAssertEqual(content["verified_by"] as? String, "anna")
        XCTAssertEqual(content["verified_at"] as? String, "2025-11-20T08:00:00Z")
        XCTAssertEqual(content["status"] as? String, "accepted")
        XCTAssertEqual(content["machine_reasons"] as? [String], ["personnummer_low_confidence"])
        let fields = try XCTUnwrap(content["fields"] as? [String: [String: Any]])
        XCTAssertEqual(fields["personnummer"]?["status"] as? String, "verified")
        XCTAssertEqual(fields["personnummer"]?["value"] as? String, Self.number)
        XCTAssertEqual(fields["namnteckning"]?["value"] as? Bool, true)
        XCTAssertEqual(fields["telefon"]?["status"] as? String, "flagged", "a field nobody keyed keeps its standing")
        XCTAssertTrue(JSONSerialization.isValidJSONObject(content))
    }
}
