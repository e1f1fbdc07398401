// The tallies on the six hand-made pages of Pages.tally: statuses, fields, wrong acceptances
// (with the positions that differ), mistakes, auto-accept rate and digit accuracy.
import Bench
import XCTest

final class AccuracyTests: XCTestCase {
    func testStatusMatrixAndRates() {
        let t = Pages.tally
        XCTAssertEqual(t.pages, 6)
        XCTAssertEqual(t.statusMatrix["accepted"], ["accepted": 2, "rejected": 1])
        XCTAssertEqual(t.statusMatrix["needs_verification"], ["needs_verification": 1, "accepted": 1])
        XCTAssertEqual(t.statusMatrix["rejected"], ["rejected": 1])
        XCTAssertEqual(t.autoAcceptRate, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(t.mistakes, 2)
        XCTAssertEqual(t.mistakesFlagged, 1)
        XCTAssertEqual(t.mistakesFlaggedForReason, 1)
        XCTAssertEqual(t.missedMistakes, ["d.png"])
        XCTAssertTrue(t.refusedButAccepted.isEmpty)
        // a and d carry the right number, b a wrong one.
        XCTAssertEqual(t.acceptedPages, 3)
        XCTAssertEqual(t.personnummerExactAmongAccepted, 2.0 / 3, accuracy: 1e-12)
    }

    func testFieldTalliesAndWrongAcceptances() {
        let t = Pages.tally
        XCTAssertEqual(t.fieldOrder, ["personnummer", "datum", "namnteckning"])
        let pnTally = t.fields["personnummer"]!, signed = t.fields["namnteckning"]!
        XCTAssertEqual([pnTally.acceptedRight, pnTally.acceptedWrong, pnTally.verification, pnTally.rejected], [2, 1, 1, 1])
        XCTAssertEqual([signed.acceptedRight, signed.acceptedWrong, signed.verification, signed.rejected], [3, 1, 0, 1])
        XCTAssertEqual(t.fields["datum"]?.total, 5)
        XCTAssertEqual(t.wrongAcceptances.map(\.file), ["b.png", "d.png"])
        let pn = t.wrongAcceptances[0]
        XCTAssertEqual(pn.field, "personnummer")
        XCTAssertEqual(pn.positions, [11, 12])
        XCTAssertEqual(pn.pageStatus, "accepted")
        XCTAssertEqual(pn.expected, Pages.pn)
        let signature = t.wrongAcceptances[1]
        XCTAssertEqual(signature.field, "namnteckning")
        XCTAssertNil(signature.expected, "an unsigned page must be flagged")
        XCTAssertEqual(signature.written, "false")
        XCTAssertEqual(signature.read, "true")
    }

    func testDigitAccuracyCountsWrittenCellsOnly() {
        let t = Pages.tally
        // Valid personnummer on pages read: a (10 written cells, all right) and b (12, two wrong),
        // and d (12, all right); c's number is invalid, f's page was refused.
        let pn = t.digits["personnummer"]!
        XCTAssertEqual(pn.digits, 34)
        XCTAssertEqual(pn.correct, 32)
        XCTAssertEqual(pn.fields, 3)
        XCTAssertEqual(pn.fieldsWithoutValue, 0)
        XCTAssertEqual(t.digits["datum"]?.digits, 32)
        XCTAssertEqual(t.allDigits.digits, 66)
        XCTAssertEqual(t.allDigits.accuracy, 64.0 / 66, accuracy: 1e-12)
    }

    func testAFieldWithoutValueCountsItsDigitsWrong() {
        var t = AccuracyTally()
        t.add(Pages.expected("x.png"), Pages.observed("x.png", "needs_verification", pn: nil, pnReasons: ["personnummer_unreadable"]))
        let pn = t.digits["personnummer"]!
        XCTAssertEqual([pn.digits, pn.correct, pn.fields, pn.fieldsWithoutValue], [12, 0, 1, 1])
        XCTAssertEqual(t.fields["personnummer"]?.verification, 1)
    }

    func testAFlaggedFieldIsNeverAWrongAcceptance() {
        var t = AccuracyTally()
        t.add(Pages.expected("y.png"), Pages.observed("y.png", "needs_verification", pn: "193405129801",
                                                         pnReasons: ["personnummer_low_confidence"]))
        XCTAssertTrue(t.wrongAcceptances.isEmpty)
        XCTAssertEqual(t.fields["personnummer"]?.verification, 1)
    }

    func testPersonnummerScoresFeedTheCurve() {
        let scores = Pages.tally.scores["personnummer"]
        XCTAssertEqual(scores, [ScoredField(confidence: 0.9995, correct: true), ScoredField(confidence: 0.995, correct: false),
                                ScoredField(confidence: nil, correct: false), ScoredField(confidence: 0.9999, correct: true)])
        XCTAssertEqual(Pages.tally.scores["datum"], Array(repeating: ScoredField(confidence: 0.99, correct: true), count: 4))
        XCTAssertNil(Pages.tally.scores["namnteckning"], "curves are for digit fields")
    }
}
