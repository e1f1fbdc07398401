// The error–reject curve and the threshold suggestion on scores worked out by hand.
import Bench
import XCTest

final class CurveTests: XCTestCase {
    /// Ten fields: seven right (three very sure), two wrong at 0.9 and 0.9731, one without a value.
    let curve = ErrorRejectCurve([0.6, 0.95, 0.99, 0.9995, 0.9999, 0.99995, 0.7].map { ScoredField(confidence: $0, correct: true) }
        + [ScoredField(confidence: 0.9, correct: false), ScoredField(confidence: 0.9731, correct: false),
           ScoredField(confidence: nil, correct: false)])

    func testPointsCountAcceptedAndWrong() {
        let low = curve.point(at: 0.5)
        XCTAssertEqual([low.fields, low.accepted, low.wrong], [10, 9, 2])
        XCTAssertEqual(low.errorRate, 2.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(low.verificationShare, 0.1, accuracy: 1e-12)
        XCTAssertNil(low.upperBoundIfNoErrors)
        let mid = curve.point(at: 0.95)
        XCTAssertEqual([mid.accepted, mid.wrong], [6, 1])
        // A confidence equal to the threshold is accepted, as in the reader.
        XCTAssertEqual(curve.point(at: 0.9731).wrong, 1)
        let high = curve.point(at: 0.98)
        XCTAssertEqual([high.accepted, high.wrong], [4, 0])
        XCTAssertEqual(high.upperBoundIfNoErrors!, 0.75, accuracy: 1e-12)
        // The confidences' own prediction: 0.01 + 0.0005 + 0.0001 + 0.00005 over the four accepted.
        XCTAssertEqual(high.expectedWrong, 0.01065, accuracy: 1e-12)
        XCTAssertEqual(high.expectedErrorRate, 0.01065 / 4, accuracy: 1e-12)
    }

    func testTheTableHasTheOperatingPoint() {
        let thresholds = curve.points(including: 0.985).map(\.threshold)
        XCTAssertEqual(thresholds.first, 0.5)
        XCTAssertEqual(thresholds.last, 0.9999)
        XCTAssertTrue(thresholds.contains(0.985))
        XCTAssertEqual(thresholds, thresholds.sorted())
        XCTAssertEqual(curve.points(including: 0.98).count, ErrorRejectCurve.thresholds.count)
    }

    func testSuggestionIsTheFirstGridStepAboveTheWorstWrongValue() throws {
        let t = try XCTUnwrap(curve.suggestedThreshold)
        XCTAssertEqual(t, 0.9732, accuracy: 1e-12)
        XCTAssertEqual(curve.point(at: t).wrong, 0)
        XCTAssertEqual(curve.point(at: 0.9731).wrong, 1)
    }

    func testSuggestionWithoutErrorsAndWhenNoneExists() {
        XCTAssertEqual(ErrorRejectCurve([ScoredField(confidence: 0.99, correct: true)]).suggestedThreshold, 0.5)
        XCTAssertEqual(ErrorRejectCurve([ScoredField(confidence: 0.2, correct: false)]).suggestedThreshold, 0.5)
        XCTAssertNil(ErrorRejectCurve([ScoredField(confidence: 0.99995, correct: false)]).suggestedThreshold)
        XCTAssertEqual(ErrorRejectCurve([ScoredField(confidence: 0.9998, correct: false)]).suggestedThreshold!, 0.9999, accuracy: 1e-12)
    }

    /// 10,000 fields: 9,000 at 0.99999 (0.09 predicted wrong) and one each at 0.99000, 0.99001, …,
    /// 0.99999 (about 5 predicted): the prediction falls below 1 (1e-4 per field) at the first
    /// threshold that leaves out enough of the doubtful ones, found on the 1e-4 grid by bisection.
    func testThresholdPredictingBelowARate() throws {
        let doubtful = (0..<1000).map { ScoredField(confidence: 0.99 + Double($0) * 1e-5, correct: true) }
        let curve = ErrorRejectCurve(Array(repeating: ScoredField(confidence: 0.99999, correct: true), count: 9000) + doubtful)
        let t = try XCTUnwrap(curve.threshold(predictingBelow: 1e-4))
        let fields = Double(curve.scores.count)
        XCTAssertLessThan(curve.point(at: t).expectedWrong / fields, 1e-4)
        XCTAssertGreaterThanOrEqual(curve.point(at: t - 1e-4).expectedWrong / fields, 1e-4)
        XCTAssertGreaterThan(t, 0.99)
        XCTAssertEqual(try XCTUnwrap(ErrorRejectCurve([ScoredField(confidence: 0.6, correct: true)]).threshold(predictingBelow: 1e-4)),
                       0.6001, accuracy: 1e-12, "the one field must be left out")
        XCTAssertEqual(try XCTUnwrap(ErrorRejectCurve([ScoredField(confidence: 0.9998, correct: true)]).threshold(predictingBelow: 1e-4)),
                       0.9999, accuracy: 1e-12)
        XCTAssertEqual(ErrorRejectCurve([ScoredField(confidence: 1, correct: true)]).threshold(predictingBelow: 1e-4), 0.5)
    }
}
