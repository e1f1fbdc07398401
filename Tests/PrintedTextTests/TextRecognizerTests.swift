import BlankettSupport
import PrintedText
import XCTest

final class TextRecognizerTests: XCTestCase {
    func testUnknownLanguageIsATypedError() {
        XCTAssertThrowsError(try TextRecognizer(language: "no-such-language")) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "tesseract_unavailable")
        }
    }

    func testBlankImageReadsAsNothing() throws {
        let recognizer = try TextRecognizer(language: "swe")
        let white = [UInt8](repeating: 255, count: 400 * 60)
        XCTAssertEqual(recognizer.recognize(white, width: 400, height: 60, dpi: 300, mode: .singleLine).text, "")
    }
}
