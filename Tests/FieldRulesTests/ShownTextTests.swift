// What a file name or message looks like once it leaves the process: control and format
// characters and bytes that are not UTF-8 escaped, and counted as separators by the masking, so a
// name can neither forge a log line nor smuggle a personnummer past the redaction.
import FieldRules
import SystemPackage
import XCTest

final class ShownTextTests: XCTestCase {
    func testControlAndFormatCharactersAreEscaped() {
        XCTAssertEqual(Personnummer.redacted("a\nb"), "a\\nb")
        XCTAssertEqual(Personnummer.redacted("a\r\nb\tc"), "a\\r\\nb\\tc")
        XCTAssertEqual(Personnummer.redacted("red\u{1B}[31m.png"), "red\\u{1B}[31m.png")
        XCTAssertEqual(Personnummer.redacted("gnp.\u{202E}exe"), "gnp.\\u{202E}exe", "a bidi override")
        XCTAssertEqual(Personnummer.redacted("a\u{2028}b\u{0}c"), "a\\u{2028}b\\u{0}c")
        XCTAssertEqual(Personnummer.redacted("åäö Ångström.png"), "åäö Ångström.png", "printable text is kept")
        for text in ["x\ny", "\r", "a\u{85}b", "\u{7F}"] {
            XCTAssertFalse(Personnummer.redacted(text).contains { $0.isNewline || $0.asciiValue.map { $0 < 32 || $0 == 127 } == true },
                           "\(text.debugDescription) still holds a control character")
        }
    }

    func testAHiddenCharacterDoesNotSplitAPersonnummer() {
        XCTAssertEqual(Personnummer.redacted("19340512\n1231.png"), "19340512-****.png")
        XCTAssertEqual(Personnummer.redacted("19340512\t1231"), "19340512-****")
        XCTAssertEqual(Personnummer.redacted("340512\u{1B}1231 x\ny"), "340512-**** x\\ny")
        XCTAssertEqual(Personnummer.redacted("1934\u{200B}0512-1231"), "193405-****", "a zero-width space")
    }

    func testBytesThatAreNotUTF8AreKeptAsEscapes() {
        XCTAssertEqual(Personnummer.redacted(bytes: Array("lat".utf8) + [0xE5] + Array("n.png".utf8)), "lat\\xE5n.png")
        XCTAssertEqual(Personnummer.redacted(bytes: [0xC0, 0x80]), "\\xC0\\x80", "an overlong NUL")
        XCTAssertEqual(Personnummer.redacted(bytes: [0x61, 0xE2, 0x82]), "a\\xE2\\x82", "a truncated sequence")
        XCTAssertEqual(Personnummer.redacted(bytes: Array("åäö".utf8)), "åäö")
        XCTAssertEqual(Personnummer.redacted(bytes: Array("19340512".utf8) + [0xA0] + Array("1231.png".utf8)), "19340512-****.png")
    }

    func testFilePathsCarryTheirBytes() {
        let latin1: [UInt8] = Array("/tmp/in/sk".utf8) + [0xE5] + Array("p 19340512-1231.png".utf8)
        let path = FilePath(bytes: latin1)
        XCTAssertEqual(path.bytes, latin1)
        XCTAssertEqual(path.shownName, "sk\\xE5p 19340512-****.png")
        XCTAssertEqual(path.shown, "/tmp/in/sk\\xE5p 19340512-****.png")
        XCTAssertEqual(FilePath("/a/b c.png").shownName, "b c.png")
    }
}
