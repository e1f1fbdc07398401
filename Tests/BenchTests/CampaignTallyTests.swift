// Fields delivered flagged are counted apart from those passed on as certain, and a campaign's
// applicants outside the register apart from the applicants' mistakes.
import Bench
import XCTest

final class CampaignTallyTests: XCTestCase {
    private let pn = "193405121236"

    private func page(_ file: String, status: String, datum: ObservedField, reasons: [String] = []) -> ObservedPage {
        ObservedPage(file: file, status: status, reasons: reasons, fields: [
            ObservedField(name: "personnummer", value: pn, confidence: 0.99999, reasons: []), datum,
        ])
    }

    private func expected(_ file: String, status: String = "accepted", reasons: [String] = [], pageCase: String? = nil) -> ExpectedPage {
        ExpectedPage(file: file, status: status, reasons: reasons, fields: [
            ExpectedField(name: "personnummer", value: status == "accepted" ? pn : nil, written: pn),
            ExpectedField(name: "datum", value: "20251020", written: "20251020"),
        ], pageCase: pageCase)
    }

    func testFlaggedFieldsAreCountedApartFromCertainOnes() {
        var tally = AccuracyTally(decidingDigitFields: ["personnummer"])
        let doubt = ["datum_low_confidence"]
        tally.add(expected("a.png"), page("a.png", status: "accepted",
                                          datum: ObservedField(name: "datum", value: "20251020", confidence: 0.99, reasons: doubt, standing: "flagged")))
        tally.add(expected("b.png"), page("b.png", status: "accepted",
                                          datum: ObservedField(name: "datum", value: "20251026", confidence: 0.9, reasons: doubt, standing: "flagged")))
        tally.add(expected("c.png"), page("c.png", status: "accepted",
                                          datum: ObservedField(name: "datum", value: "20251020", confidence: 0.9999, reasons: [])))
        let datum = tally.fields["datum"]!
        XCTAssertEqual([datum.acceptedRight, datum.acceptedWrong, datum.flaggedRight, datum.flaggedWrong, datum.verification], [1, 0, 1, 1, 0])
        XCTAssertTrue(tally.wrongAcceptances.isEmpty, "a wrong flagged date is not passed on as certain")
        XCTAssertEqual(tally.autoAcceptRate, 1)
        // Only the personnummer decides the page at other thresholds: the flagged dates do not hold it.
        XCTAssertTrue(tally.pageScores.allSatisfy { $0.decidingDigitFields == ["personnummer"] })
    }

    func testOutsideTheRegisterIsNotAMistake() {
        var tally = AccuracyTally(decidingDigitFields: ["personnummer"])
        let datum = ObservedField(name: "datum", value: "20251020", confidence: 0.9999, reasons: [])
        func outside(_ file: String) -> ExpectedPage {
            expected(file, status: "needs_verification", reasons: ["personnummer_not_in_register"], pageCase: "valid_not_in_register")
        }
        tally.add(outside("x.png"), page("x.png", status: "needs_verification", datum: datum, reasons: ["personnummer_not_in_register"]))
        tally.add(outside("y.png"), page("y.png", status: "accepted", datum: datum))
        tally.add(expected("z.png", status: "needs_verification", reasons: ["datum_invalid"]), page("z.png", status: "needs_verification", datum: datum))
        XCTAssertEqual(tally.outsideRegister, 2)
        XCTAssertEqual(tally.outsideRegisterToPerson, 1)
        XCTAssertEqual(tally.missedOutsideRegister, ["y.png"])
        XCTAssertEqual(tally.mistakes, 1)
        XCTAssertEqual(tally.mistakesFlagged, 1)
        XCTAssertEqual(tally.validPages, 0)
    }
}
