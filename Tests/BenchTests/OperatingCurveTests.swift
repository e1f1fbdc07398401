// The page-level operating curve on the hand-made pages of Pages.tally, worked out by hand:
// which pages pass at other thresholds, what slips through, and what holds the valid ones.
import Bench
import XCTest

final class OperatingCurveTests: XCTestCase {
    static func curve(_ tally: AccuracyTally) -> OperatingCurve {
        OperatingCurve(pages: tally.pageScores,
                       curves: Dictionary(uniqueKeysWithValues: tally.scores.map { ($0, ErrorRejectCurve($1)) }))
    }

    /// a (right), b (wrong personnummer at 0.995) and d (a missed mistake) pass at 0.98; c is
    /// flagged invalid and f refused, whatever the thresholds. Every datum is read at 0.99.
    func testPagesPassWhenEveryRequiredDigitFieldDoes() {
        let c = Self.curve(Pages.tally)
        let low = c.row("low", thresholds: ["personnummer": 0.98, "datum": 0.98])
        XCTAssertEqual([low.validPages, low.validAccepted, low.mistakesAccepted, low.wrongDigitFields], [3, 2, 1, 1])
        // a: 0.0005 + 0.01, b: 0.005 + 0.01, c: its datum 0.01 (no personnummer value), d: 0.0001 + 0.01.
        XCTAssertEqual(low.predictedWrong, 0.0456, accuracy: 1e-12)

        let strict = c.row("strict", thresholds: ["personnummer": 0.999, "datum": 0.98])
        XCTAssertEqual([strict.validAccepted, strict.mistakesAccepted, strict.wrongDigitFields], [1, 1, 0])
    }

    func testAWrongFieldPassedOnCountsEvenWhenItsPageGoesToAPerson() {
        let row = Self.curve(Pages.tally).row("datum held", thresholds: ["personnummer": 0.98, "datum": 0.995])
        XCTAssertEqual([row.validAccepted, row.mistakesAccepted], [0, 0])
        XCTAssertEqual(row.wrongDigitFields, 1, "b's wrong personnummer is still passed on unflagged")
    }

    func testNoThresholdForARequiredFieldAcceptsNoPage() {
        let row = Self.curve(Pages.tally).row("none", thresholds: ["personnummer": nil, "datum": 0.5])
        XCTAssertEqual([row.validAccepted, row.mistakesAccepted, row.wrongDigitFields], [0, 0, 0])
    }

    /// Only a digit field's doubt can be lifted by a lower threshold; an invalid value cannot.
    func testDoubtIsLiftedAndOtherReasonsHold() throws {
        var t = AccuracyTally()
        t.add(Pages.expected("doubt.png"),
              Pages.observed("doubt.png", "needs_verification", pnConfidence: 0.97, pnReasons: ["personnummer_low_confidence"],
                             reasons: ["personnummer_low_confidence"]))
        t.add(Pages.expected("marks.png"),
              Pages.observed("marks.png", "needs_verification", reasons: ["uttag_low_confidence"]))
        let c = Self.curve(t)
        XCTAssertEqual(t.pageScores.map(\.heldRegardless), [false, true])
        XCTAssertEqual(c.row("reader", thresholds: ["personnummer": 0.98, "datum": 0.98]).validAccepted, 0)
        XCTAssertEqual(c.row("lower", thresholds: ["personnummer": 0.96, "datum": 0.98]).validAccepted, 1)
        XCTAssertEqual(c.validHeldBy.map(\.fields), ["personnummer"], "the mark's reason is on no field of this page")
    }

    func testValidFormsHeldByWhatHeldThem() {
        var t = Pages.tally
        t.add(Pages.expected("g.png"),
              Pages.observed("g.png", "needs_verification", pnConfidence: 0.9, pnReasons: ["personnummer_low_confidence"],
                             reasons: ["personnummer_low_confidence"]))
        let held = Self.curve(t).validHeldBy
        XCTAssertEqual(held.map(\.fields), ["page refused", "personnummer"])
        XCTAssertEqual(held.map(\.pages), [1, 1])
    }

    /// Valid forms a, b and f (refused). Two of three pass only if every datum (all four read at
    /// 0.99) is accepted, which the confidences allow once the rate exceeds 4 × 0.01 / 4 fields;
    /// the personnummer needs only 0.0056 / 4 for b's 0.995. So the strictest rate is just above 0.01.
    func testTheTargetRowIsTheStrictestRateThatReachesTheShare() throws {
        let c = Self.curve(Pages.tally)
        let target = try XCTUnwrap(c.row(accepting: 0.6))
        let rate = try XCTUnwrap(target.rate)
        XCTAssertGreaterThan(rate, 0.01)
        XCTAssertLessThanOrEqual(rate, 0.0101)
        XCTAssertEqual([target.validAccepted, target.mistakesAccepted, target.wrongDigitFields], [2, 1, 1])
        XCTAssertEqual(target.thresholds["datum"]!!, 0.5)
        XCTAssertLessThan(c.row(predictingBelow: 0.01).autoAcceptRate, 0.6)
        XCTAssertTrue(target.label.hasPrefix("reaching 60 % of valid forms: predicted < 1.0e-02"), target.label)
        XCTAssertNil(c.row(accepting: 0.9), "f is refused, so at most two of three valid forms pass")
    }

    func testRowsCoverEveryRateTheReaderAndTheRunsOwnSuggestion() {
        let c = Self.curve(Pages.tally)
        let reader = ["personnummer": 0.98, "datum": 0.98]
        let rows = c.rows(reader: reader)
        XCTAssertEqual(rows.count, OperatingCurve.rates.count + 2, "95 % of valid forms is out of reach here")
        XCTAssertEqual(rows[OperatingCurve.rates.count], c.row("the reader's thresholds", thresholds: reader))
        // The run's suggestion: just above b's wrong 0.995 for the personnummer, nothing wrong in datum.
        let none = rows[OperatingCurve.rates.count + 1]
        XCTAssertEqual(none.thresholds["personnummer"]!!, 0.9951, accuracy: 1e-12)
        XCTAssertEqual(none.wrongDigitFields, 0)
    }
}
