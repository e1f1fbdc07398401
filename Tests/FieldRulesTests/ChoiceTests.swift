import FieldRules
import XCTest

final class ChoiceTests: XCTestCase {
    private let decoder = ConstrainedDecoder()

    func testOneClearMark() {
        let field = decoder.decodeExactlyOne(options: [("hela", 0.995), ("halva", 0.005), ("ingen", 0.002)])
        XCTAssertEqual(field.value, "hela")
        XCTAssertEqual(field.confidence, 0.995 * 0.995 * 0.998, accuracy: 1e-12)
        XCTAssertEqual(field.reasons, [])
        XCTAssertEqual(field.alternatives.map(\.value), ["halva", "ingen"])
    }

    func testApplicantMistakesAreFlaggedNotResolved() {
        let none = decoder.decodeExactlyOne(options: [("hela", 0.1), ("halva", 0.2)])
        XCTAssertNil(none.value)
        XCTAssertEqual(none.reasons, ["uttag_none_marked"])
        let several = decoder.decodeExactlyOne(options: [("hela", 0.97), ("halva", 0.9), ("ingen", 0.01)])
        XCTAssertNil(several.value)
        XCTAssertEqual(several.reasons, ["uttag_several_marked"])
        XCTAssertEqual(several.alternatives.first?.value, "hela")
    }

    func testAnUncertainMarkGoesToVerification() {
        let field = decoder.decodeExactlyOne(options: [("hela", 0.6), ("halva", 0.3)])
        XCTAssertEqual(field.value, "hela")
        XCTAssertEqual(field.confidence, 0.42, accuracy: 1e-12)
        XCTAssertEqual(field.reasons, ["uttag_low_confidence"])
    }
}
