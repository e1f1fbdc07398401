import BlankettSupport
import FieldRules
import XCTest

final class PersonnummerRedactionTests: XCTestCase {
    // 19340512-1231 has a valid check digit; 19340512-1234 has not.
    func testPersonnummerInFileNamesIsMasked() {
        XCTAssertEqual(Personnummer.redacted("19340512-1231.png"), "19340512-****.png")
        XCTAssertEqual(Personnummer.redacted("scan 193405121231.png"), "scan 19340512-****.png")
        XCTAssertEqual(Personnummer.redacted("340512-1231.png"), "340512-****.png")
        XCTAssertEqual(Personnummer.redacted("340512+1231"), "340512-****")
        XCTAssertEqual(Personnummer.redacted("x3405121231_y"), "x340512-****_y")
        XCTAssertEqual(Personnummer.redacted("a 3405121231 b 19340512_1231 c"), "a 340512-**** b 19340512-**** c")
    }

    /// Only digits no personnummer inside the run keeps secret are shown: the first eight only for
    /// exactly a valid 12-digit number, else the first six.
    func testRunsThatAreNotExactlyOneNumberShowSixDigits() {
        XCTAssertEqual(Personnummer.redacted("19340512-1234"), "193405-****")
        XCTAssertEqual(Personnummer.redacted("19-340512-1231"), "193405-****")
        XCTAssertEqual(Personnummer.redacted("340512-1231-01.png"), "340512-****.png")
        XCTAssertEqual(Personnummer.redacted("340512123101"), "340512-****")
        XCTAssertEqual(Personnummer.redacted("1934051-21231"), "193405-****")
        XCTAssertEqual(Personnummer.redacted("20251120143015123"), "202511-****")
    }

    func testSeparatedDigitsStillFormOneRun() {
        XCTAssertEqual(Personnummer.redacted("19340512 - 1231"), "19340512-****")
        XCTAssertEqual(Personnummer.redacted("19340512--1231.png"), "19340512-****.png")
        XCTAssertEqual(Personnummer.redacted("340512 – 1231"), "340512-****")
        XCTAssertEqual(Personnummer.redacted("1934 0512 1231"), "193405-****")
        XCTAssertEqual(Personnummer.redacted("1934051 2----1231"), "1934051 2----1231", "four separators end a run")
    }

    func testShortRunsAndOtherTextAreKept() {
        for text in ["scan-00001.png", "2025-11-20", "page 12 of 345", "v1.2.3", "123456789", "", "inget nummer här",
                     "2025-11-20T12:30"] {
            XCTAssertEqual(Personnummer.redacted(text), text)
        }
    }

    func testEveryRandomNumberInAnyDecorationLosesItsLastFourDigits() {
        var rng = SeededGenerator(seed: 5)
        let letters = Array("abcxyzåäö/()#,:;"), separators = ["", "-", "+", "_", ".", " ", "–"]
        func decoration() -> String {
            String((0..<Int.random(in: 0...4, using: &rng)).map { _ in letters.randomElement(using: &rng)! })
        }
        for _ in 0..<500 {
            let full = randomPersonnummer(&rng)
            let digits = Bool.random(using: &rng) ? full : Array(full.suffix(10))
            let split = digits.count - 4
            let number = digits[..<split].map(String.init).joined() + separators.randomElement(using: &rng)!
                + digits[split...].map(String.init).joined()
            let glued = Int.random(in: 0...2, using: &rng)
            let extra = String(Int.random(in: 0...99, using: &rng))
            let run = glued == 1 ? extra + "-" + number : glued == 2 ? number + "_" + extra : number
            let (before, after) = (decoration(), decoration())
            let shown = digits.count == 12 && glued == 0 ? 8 : 6
            let chain = (glued == 1 ? extra.compactMap(\.wholeNumberValue) : []) + digits
            let expected = before + chain.prefix(shown).map(String.init).joined() + "-****" + after
            XCTAssertEqual(Personnummer.redacted(before + run + after), expected, "\(before)\(run)\(after)")
        }
    }
}
