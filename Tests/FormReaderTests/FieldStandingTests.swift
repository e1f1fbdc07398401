// Which fields hold a form for a person, by what a wrong value costs (the template's `cost`).
import FormReader
import FormTemplate
import XCTest

final class FieldStandingTests: XCTestCase {
    private func field(_ name: String, _ value: String?, _ reasons: [String]) -> ReadResult.Field {
        ReadResult.Field(name: name, value: value.map { .text($0) }, confidence: 0.99, alternatives: [], reasons: reasons)
    }

    func testCriticalDoubtHoldsTheForm() {
        for reasons in [["personnummer_low_confidence"], ["personnummer_ambiguous"], ["personnummer_not_in_register"]] {
            XCTAssertEqual(FormReader.standing(field("personnummer", "193405121236", reasons), cost: .critical), .verify)
        }
        XCTAssertEqual(FormReader.standing(field("personnummer", "193405121236", []), cost: .critical), .certain)
    }

    func testInformativeDoubtIsFlaggedButMistakesHold() {
        XCTAssertEqual(FormReader.standing(field("datum", "20251020", ["datum_low_confidence"]), cost: .informative), .flagged)
        XCTAssertEqual(FormReader.standing(field("datum", "20251020", ["datum_ambiguous"]), cost: .informative), .flagged)
        XCTAssertEqual(FormReader.standing(field("datum", "20251020", []), cost: .informative), .certain)
        // The applicant's mistakes, plain or possible, and a date not read at all.
        XCTAssertEqual(FormReader.standing(field("datum", nil, ["datum_invalid", "datum_before_mailing"]), cost: .informative), .verify)
        XCTAssertEqual(FormReader.standing(field("datum", nil, ["datum_missing"]), cost: .informative), .verify)
        XCTAssertEqual(FormReader.standing(field("datum", nil, ["datum_unreadable"]), cost: .informative), .verify)
        XCTAssertEqual(FormReader.standing(field("datum", "20251020", ["datum_low_confidence", "datum_possible_mistake"]),
                                           cost: .informative), .verify)
        // Another field's doubt reason does not count as this one's.
        XCTAssertEqual(FormReader.standing(field("datum", "20251020", ["telefon_low_confidence"]), cost: .informative), .verify)
    }

    func testOptionalNeverHolds() {
        XCTAssertEqual(FormReader.standing(field("telefon", nil, ["telefon_invalid"]), cost: .optional), .flagged)
        XCTAssertEqual(FormReader.standing(field("telefon", "0701234567", ["telefon_low_confidence"]), cost: .optional), .flagged)
    }
}
