import BlankettSupport
import FieldRules
import XCTest

final class PersonnummerTests: XCTestCase {
    private let wide = PersonnummerPolicy(birthYearMin: 1900, birthYearMax: 2025, allowSamordningsnummer: true)

    func testLuhnOnTheSpecExample() throws {
        XCTAssertEqual(Personnummer.luhnDigit([8, 1, 1, 2, 1, 8, 9, 8, 7]), 6)
        let p = try Personnummer.validate([8, 1, 1, 2, 1, 8, 9, 8, 7, 6], policy: wide).get()
        XCTAssertEqual(p.digits, "198112189876")
        XCTAssertEqual(Personnummer.validate([8, 1, 1, 2, 1, 8, 9, 8, 7, 5], policy: wide), .failure(.checkDigit))
    }

    func testKnownValidNumbersAndTheirFields() throws {
        let p = try Personnummer.validate(personnummer("19340512", "123")).get()
        XCTAssertEqual([p.birthYear, p.birthMonth, p.birthDay], [1934, 5, 12])
        XCTAssertFalse(p.isSamordningsnummer)
        XCTAssertTrue(p.isMale)
        XCTAssertFalse(try Personnummer.validate(personnummer("19340512", "124")).get().isMale)
        XCTAssertEqual(p.digits.count, 12)
    }

    func testEverySingleDigitChangeAndNearlyEveryTranspositionIsDetected() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let valid = randomPersonnummer(&rng)
            XCTAssertNoThrow(try Personnummer.validate(valid).get())
            for i in valid.indices {
                for d in 0...9 where d != valid[i] {
                    var changed = valid
                    changed[i] = d
                    XCTAssertThrowsError(try Personnummer.validate(changed).get())
                }
            }
            for i in 2..<11 where valid[i] != valid[i + 1] && Set([valid[i], valid[i + 1]]) != [0, 9] {
                var swapped = valid
                swapped.swapAt(i, i + 1)
                XCTAssertThrowsError(try Personnummer.validate(swapped).get())
            }
        }
    }

    func testDateRules() {
        XCTAssertNoThrow(try Personnummer.validate(personnummer("19320229", "123")).get())
        XCTAssertEqual(Personnummer.validate(personnummer("19330229", "123")), .failure(.invalidDate))
        XCTAssertEqual(Personnummer.validate(personnummer("19340431", "123")), .failure(.invalidDate))
        XCTAssertEqual(Personnummer.validate(personnummer("19341301", "123")), .failure(.invalidDate))
        XCTAssertEqual(Personnummer.validate(personnummer("19340100", "123")), .failure(.invalidDate))
        XCTAssertEqual(Personnummer.validate(personnummer("19000229", "123")), .failure(.invalidDate))
    }

    func testSamordningsnummerAddsSixtyToTheDay() throws {
        let first = try Personnummer.validate(personnummer("19340161", "123")).get()
        XCTAssertTrue(first.isSamordningsnummer)
        XCTAssertEqual(first.birthDay, 1)
        XCTAssertEqual(try Personnummer.validate(personnummer("19340191", "123")).get().birthDay, 31)
        XCTAssertNoThrow(try Personnummer.validate(personnummer("19320289", "123")).get())  // 29 Feb
        XCTAssertEqual(Personnummer.validate(personnummer("19340192", "123")), .failure(.invalidDate))
        XCTAssertEqual(Personnummer.validate(personnummer("19340160", "123")), .failure(.invalidDate))
        XCTAssertEqual(Personnummer.validate(personnummer("19330289", "123")), .failure(.invalidDate))
        let strict = PersonnummerPolicy(birthYearMin: 1900, birthYearMax: 1934, allowSamordningsnummer: false)
        XCTAssertEqual(Personnummer.validate(personnummer("19340161", "123"), policy: strict),
                       .failure(.samordningsnummerNotAllowed))
    }

    func testBirthYearPolicyAndCentury() throws {
        XCTAssertEqual(Personnummer.validate(personnummer("19350512", "123")), .failure(.birthYearOutsidePolicy))
        XCTAssertEqual(Personnummer.validate(personnummer("18990512", "123")), .failure(.birthYearOutsidePolicy))
        let long = personnummer("19340512", "123")
        let short = Array(long[2...])
        XCTAssertEqual(try Personnummer.validate(short).get(), try Personnummer.validate(long).get())
        XCTAssertEqual(try Personnummer.validate(short).get().birthYear, 1934)
        XCTAssertEqual(try Personnummer.validate(Array(personnummer("19000101", "123")[2...])).get().birthYear, 1900)
        XCTAssertEqual(Personnummer.validate(Array(personnummer("19350512", "123")[2...])),
                       .failure(.birthYearOutsidePolicy))
        XCTAssertEqual(Personnummer.validate([1, 2, 3]), .failure(.wrongLength(3)))
        XCTAssertEqual(Personnummer.validate(Array(repeating: 11, count: 10)), .failure(.notDigits))
    }

    func testPolicyDecodesFromTheTemplate() throws {
        let json = #"{"birth_year_min": 1900, "birth_year_max": 1934, "allow_samordningsnummer": true}"#
        XCTAssertEqual(try JSONDecoder().decode(PersonnummerPolicy.self, from: Data(json.utf8)), .pm7001)
    }

    func testEveryTextualViewIsMasked() throws {
        let digits = personnummer("19340512", "987")
        let p = try Personnummer.validate(digits).get()
        let lastFour = p.digits.suffix(4)
        XCTAssertEqual(p.masked, "19340512-****")
        XCTAssertEqual("\(p)", "19340512-****")
        var dumped = ""
        dump(p, to: &dumped)
        let views = [p.description, "\(p)", String(describing: p), String(reflecting: p), "\([p])", String(describing: Optional(p)),
                     dumped, String(describing: Personnummer.validate(digits))]
        for view in views {
            XCTAssertFalse(view.contains(lastFour), view)
            XCTAssertTrue(view.contains("19340512"), view)
        }
        var rng = SeededGenerator(seed: 2)
        let field = ConstrainedDecoder().decodePersonnummer(confidentCells(digits, &rng))
        var fieldDump = ""
        dump(field, to: &fieldDump)
        for view in ["\(field)", String(reflecting: field), fieldDump] {
            XCTAssertFalse(view.contains(lastFour), view)
        }
    }

    func testMaskingPartialReadings() {
        XCTAssertEqual(Personnummer.masked([1, 9, 3, 4, 0, 5, 1, 2, 9, 8, 7, 6]), "19340512-****")
        XCTAssertEqual(Personnummer.masked([3, 4, 0, -1, 1, 2, 9, 8, 7, 6]), "340?12-****")
        XCTAssertEqual(Personnummer.masked([1, 2]), "-**")
    }

    func testProblemMessagesCarryNoDigits() {
        let problems: [PersonnummerProblem] = [.wrongLength(11), .notDigits, .invalidDate, .birthYearOutsidePolicy,
                                               .samordningsnummerNotAllowed, .checkDigit]
        XCTAssertEqual(Set(problems.map(\.code)).count, problems.count)
        for p in problems {
            XCTAssertTrue(p.code.hasPrefix("personnummer_"))
            XCTAssertEqual(p.error.code, p.code)
        }
    }
}
