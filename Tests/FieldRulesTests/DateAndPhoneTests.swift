import BlankettSupport
import FieldRules
import XCTest

final class CalendarDateTests: XCTestCase {
    func testLeapYearsAndParsing() {
        XCTAssertTrue(CalendarDate.isLeapYear(1932))
        XCTAssertFalse(CalendarDate.isLeapYear(1900))
        XCTAssertTrue(CalendarDate.isLeapYear(2000))
        XCTAssertNotNil(CalendarDate(year: 1932, month: 2, day: 29))
        XCTAssertNil(CalendarDate(year: 1933, month: 2, day: 29))
        XCTAssertNil(CalendarDate(year: 2025, month: 4, day: 31))
        XCTAssertEqual(CalendarDate("20250314"), CalendarDate(year: 2025, month: 3, day: 14))
        XCTAssertEqual(CalendarDate("2025-03-14")?.description, "2025-03-14")
        XCTAssertNil(CalendarDate("2025031"))
        XCTAssertNil(CalendarDate("2025-3-14"))
        XCTAssertLessThan(CalendarDate("20241231")!, CalendarDate("20250101")!)
    }
}

final class DateFieldTests: XCTestCase {
    private let decoder = ConstrainedDecoder()
    private let scan = CalendarDate("2025-06-01")!

    private func digits(_ s: String) -> [Int] { s.compactMap(\.wholeNumberValue) }

    func testValidation() {
        let rule = DateField(notAfter: scan)
        XCTAssertEqual(rule.validate(digits("20250314")), .success(CalendarDate("20250314")!))
        XCTAssertEqual(rule.validate(digits("20250229")), .failure(.invalidDate))
        XCTAssertEqual(rule.validate(digits("20241231")), .failure(.beforeNotBefore))
        XCTAssertEqual(rule.validate(digits("20250602")), .failure(.afterScanDate))
        XCTAssertEqual(rule.validate(digits("2025")), .failure(.wrongLength(4)))
    }

    /// The decoder's slip bound for dates, by brute force: every invalid reading one slip from a
    /// valid date, for windows inside one year and spanning two and four, is one slip from no more
    /// valid dates than `DateField.slipShare` allows out of a date's 72 slips.
    func testAnInvalidDateIsOneSlipFromFewValidOnes() {
        for notAfter in ["2025-11-20", "2026-06-30", "2028-12-31"] {
            let rule = DateField(notAfter: CalendarDate(notAfter)!)
            var fixes: [[Int]: Int] = [:]
            let days = (2025...2028).flatMap { year in
                (1...12).flatMap { month in
                    (1...CalendarDate.daysInMonth(month, year: year)).compactMap { CalendarDate(year: year, month: month, day: $0) }
                }
            }
            for day in days where (try? rule.validate(day.digits).get()) != nil {
                let valid = day.digits
                for position in 0..<8 {
                    for digit in 0...9 where digit != valid[position] {
                        var slip = valid
                        slip[position] = digit
                        if case .failure = rule.validate(slip) { fixes[slip, default: 0] += 1 }
                    }
                }
            }
            let most = fixes.values.max() ?? 0
            XCTAssertGreaterThan(most, 1, notAfter)
            XCTAssertLessThanOrEqual(Double(most) / 72, DateField.slipShare, notAfter)
            XCTAssertEqual(fixes[digits("20250600")], 9 + 3, "day 00 of June: 01–09 by the last digit, 10, 20 and 30 by the first")
            XCTAssertEqual(fixes[digits("20250229")], most, "29 February of a common year is the worst")
        }
    }

    func testDecodingConfidentDates() {
        var rng = SeededGenerator(seed: 30)
        // A date has no check digit: every other digit a cell still allows is another real date,
        // so honest confidence is lower than for a personnummer read equally well.
        let good = decoder.decodeDate(confidentCells(digits("20250314"), &rng), notAfter: scan)
        XCTAssertEqual(good.value, digits("20250314"))
        XCTAssertGreaterThan(good.confidence, 0.9)
        let sharp = decoder.decodeDate(confidentCells(digits("20250314"), &rng, top: 0.998...0.9995), notAfter: scan)
        XCTAssertGreaterThan(sharp.confidence, 0.98)
        XCTAssertEqual(sharp.reasons, [])
        let leap = decoder.decodeDate(confidentCells(digits("20280229"), &rng), notAfter: CalendarDate("20280301")!)
        XCTAssertEqual(leap.value, digits("20280229"))
        for (text, code) in [("20250229", "datum_invalid_date"), ("20250602", "datum_after_scan_date"),
                             ("20241231", "datum_before_not_before")] {
            let field = decoder.decodeDate(confidentCells(digits(text), &rng), notAfter: scan)
            XCTAssertNil(field.value, text)
            XCTAssertEqual(field.reasons, ["datum_invalid", code])
        }
    }

    func testTheWindowResolvesAnUnsureYearDigit() {
        var rng = SeededGenerator(seed: 31)
        var cells = confidentCells(digits("20250314"), &rng)
        cells[3] = CellReading(empty: 0, digits: (0...9).map { $0 == 5 ? 0.45 : $0 == 6 ? 0.55 : 0 })
        let field = decoder.decodeDate(cells, notAfter: scan)
        XCTAssertEqual(field.value, digits("20250314"))
        XCTAssertGreaterThan(field.confidence, 0.9)
    }
}

final class PhoneFieldTests: XCTestCase {
    private let decoder = ConstrainedDecoder()

    private func symbols(_ s: String) -> [Int] { s.map { $0.wholeNumberValue ?? -1 } }

    func testValidation() {
        XCTAssertEqual(PhoneField.validate([]), .success([]))
        XCTAssertEqual(PhoneField.validate(symbols("0701234")), .success(symbols("0701234")))
        XCTAssertEqual(PhoneField.validate(symbols("070123")), .failure(.wrongLength(6)))
        XCTAssertEqual(PhoneField.validate(symbols("7012345")), .failure(.noLeadingZero))
    }

    func testEmptyFieldIsTheValidEmptyValue() {
        let field = decoder.decodePhone(Array(repeating: emptyCell(), count: 10))
        XCTAssertEqual(field.value, [])
        XCTAssertGreaterThan(field.confidence, 0.98)
        XCTAssertEqual(field.reasons, [])
    }

    func testWrittenNumbers() {
        var rng = SeededGenerator(seed: 40)
        for text in ["0701234567", "0123456___", "081234567_"] {
            let field = decoder.decodePhone(confidentCells(symbols(text), &rng, top: 0.998...0.9995))
            XCTAssertEqual(field.value, symbols(text).filter { $0 >= 0 }, text)
            XCTAssertEqual(field.reasons, [], text)
        }
        for (text, code) in [("7012345678", "telefon_no_leading_zero"), ("_070123456", "telefon_wrong_layout"),
                             ("012345____", "telefon_wrong_length")] {
            let field = decoder.decodePhone(confidentCells(symbols(text), &rng))
            XCTAssertNil(field.value, text)
            XCTAssertEqual(field.reasons, ["telefon_invalid", code], text)
        }
    }

    func testAnUnsureLastCellIsAmbiguous() {
        var rng = SeededGenerator(seed: 41)
        var cells = confidentCells(symbols("070123456_"), &rng)
        cells[9] = cell(7, top: 0.99, empty: 0.5, &rng)
        let field = decoder.decodePhone(cells)
        XCTAssertEqual(field.reasons, ["telefon_ambiguous"])
        XCTAssertEqual(Set([field.value, field.alternatives.first?.value]), [symbols("070123456"), symbols("0701234567")])
    }
}

final class CampaignWindowTests: XCTestCase {
    func testTheMailingDateOpensTheWindowWithItsOwnCode() {
        let window = DateField(mailing: CalendarDate("2025-10-15")!, scan: CalendarDate("2025-11-20")!)
        XCTAssertEqual(try? window.validate(CalendarDate("2025-10-15")!.digits).get(), CalendarDate("2025-10-15"))
        XCTAssertEqual(window.validate(CalendarDate("2025-10-14")!.digits), .failure(.beforeMailing))
        XCTAssertEqual(DateProblem.beforeMailing.code, "datum_before_mailing")
        XCTAssertEqual(window.validate(CalendarDate("2025-11-21")!.digits), .failure(.afterScanDate))
        // Without a mailing date the window opens at the edition, as before.
        let plain = DateField(mailing: nil, scan: CalendarDate("2025-11-20")!)
        XCTAssertEqual(plain.validate(CalendarDate("2024-12-31")!.digits), .failure(.beforeNotBefore))
        XCTAssertNoThrow(try plain.validate(CalendarDate("2025-01-02")!.digits).get())
    }

    /// A window of five weeks pins the year and the month, so the same cells give a surer date.
    func testANarrowWindowMakesTheDateSurer() {
        var rng = SeededGenerator(seed: 30)
        let decoder = ConstrainedDecoder()
        var wide = 0.0, narrow = 0.0
        for _ in 0..<50 {
            let cells = confidentCells(CalendarDate("2025-10-28")!.digits, &rng, top: 0.95...0.99)
            wide += decoder.decodeDate(cells, window: DateField(mailing: nil, scan: CalendarDate("2025-11-20")!)).confidence
            narrow += decoder.decodeDate(cells, window: DateField(mailing: CalendarDate("2025-10-15")!,
                                                                  scan: CalendarDate("2025-11-20")!)).confidence
        }
        XCTAssertGreaterThan(narrow, wide)
    }
}
