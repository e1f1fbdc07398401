// The answer key agrees with what each case is meant to be, checked against an independent
// Luhn and calendar written here (not the generator's), and file names never carry a number.
import Foundation
import Synth
import XCTest

final class TruthTests: XCTestCase {
    private func digits(_ s: String?) -> [Int] { (s ?? "").compactMap(\.wholeNumberValue) }

    private func luhnHolds(_ twelve: [Int]) -> Bool {
        let ten = Array(twelve.suffix(10))
        let sum = ten.enumerated().reduce(0) { sum, item in
            let p = item.element * (item.offset % 2 == 0 ? 2 : 1)
            return sum + p / 10 + p % 10
        }
        return sum % 10 == 0
    }

    private func dateExists(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        var c = DateComponents()
        (c.year, c.month, c.day) = (year, month, day)
        let calendar = Calendar(identifier: .gregorian)
        guard let date = calendar.date(from: c) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }

    private func birthDateExists(_ pn: [Int]) -> Bool {
        let day = pn[6] * 10 + pn[7]
        return dateExists(pn[0] * 1000 + pn[1] * 100 + pn[2] * 10 + pn[3], pn[4] * 10 + pn[5], day > 60 ? day - 60 : day)
    }

    func testEveryCaseHasTheTruthItPromises() throws {
        let records = try SynthFixture.everyCase().records
        XCTAssertEqual(records.map(\.case), PageCase.cases(campaign: false))
        for r in records {
            let label = "\(r.file) \(r.case.rawValue)"
            switch r.case.group {
            case .valid:
                XCTAssertEqual(r.expectedStatus, "accepted", label)
                XCTAssertEqual(r.expectedReasons, [], label)
            case .mistake:
                XCTAssertEqual(r.expectedStatus, "needs_verification", label)
            case .reject:
                XCTAssertEqual(r.expectedStatus, r.case == .emptyForm ? "needs_verification" : "rejected", label)
            }
            guard let f = r.fields else {
                XCTAssertEqual(r.expectedStatus, "rejected", label)
                continue
            }
            if r.case == .emptyForm {
                XCTAssertTrue(f.personnummer == nil && f.writtenPersonnummer == nil && f.telefon == nil
                              && f.uttag == nil && f.datum == nil && !f.namnteckning, label)
                XCTAssertEqual(r.expectedReasons, ["personnummer_missing", "uttag_none_marked", "datum_missing", "namnteckning_missing"])
                continue
            }
            let pn = digits(f.personnummer), written = digits(f.writtenPersonnummer)
            XCTAssertEqual(pn.count, 12, label)
            XCTAssertTrue(written.count == 10 || written.count == 12, label)
            XCTAssertEqual(Array(pn.suffix(written.count)), written, label)
            XCTAssertEqual(Array(pn.prefix(2)), [1, 9], "born 1900–1934: \(label)")
            XCTAssertEqual(luhnHolds(pn), r.case != .wrongCheckDigit, label)
            XCTAssertEqual(birthDateExists(pn), r.case != .invalidBirthDate, label)
            XCTAssertEqual(pn[6] >= 6, r.case == .samordningsnummer, label)
            let datum = try XCTUnwrap(f.datum, label)
            let d = digits(datum)
            XCTAssertTrue(dateExists(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], d[4] * 10 + d[5], d[6] * 10 + d[7]), label)
            XCTAssertGreaterThanOrEqual(datum, "20250101", label)
            XCTAssertEqual(datum > SynthFixture.scanDate.replacingOccurrences(of: "-", with: ""), r.case == .futureDate, label)
            if let tel = f.telefon { XCTAssertTrue(tel.hasPrefix("0") && (7...10).contains(tel.count), label) }
            XCTAssertEqual(f.namnteckning, r.case != .missingSignature, label)
            switch r.case {
            case .noUttag: XCTAssertNil(f.uttag, label)
            case .severalUttag:
                guard case .several(let values)? = f.uttag else { XCTFail("several marked: \(label)"); break }
                XCTAssertEqual(values.count, 2, label)
            default:
                guard case .one(let value)? = f.uttag else { XCTFail("one marked: \(label)"); break }
                XCTAssertTrue(["100", "75", "50", "25"].contains(value), label)
            }
            let expectedReason: [PageCase: String] = [
                .wrongCheckDigit: "personnummer_invalid", .invalidBirthDate: "personnummer_invalid",
                .severalUttag: "uttag_several_marked", .noUttag: "uttag_none_marked",
                .missingSignature: "namnteckning_missing", .futureDate: "datum_invalid",
            ]
            if let reason = expectedReason[r.case] { XCTAssertEqual(r.expectedReasons, [reason], label) }
            XCTAssertEqual(r.mnistIndices["personnummer"]?.count, written.count, label)
            XCTAssertEqual(r.mnistIndices["datum"]?.count, 8, label)
        }
        let byCase = Dictionary(uniqueKeysWithValues: records.map { ($0.case, $0) })
        XCTAssertEqual(byCase[.wrongCheckDigit]?.expectedRuleCodes, ["personnummer_check_digit"])
        XCTAssertEqual(byCase[.invalidBirthDate]?.expectedRuleCodes, ["personnummer_invalid_date"])
        XCTAssertEqual(byCase[.futureDate]?.expectedRuleCodes, ["datum_after_scan_date"])
        XCTAssertEqual(byCase[.otherBlank]?.expectedReasons, ["unknown_form"])
        XCTAssertEqual(byCase[.blankPage]?.expectedReasons, ["blank_page"])
        XCTAssertEqual(byCase[.otherDocument]?.expectedReasons, ["no_registration_marks"])
        XCTAssertEqual(byCase[.truncatedPNG]?.expectedReasons, ["png_truncated"])
        XCTAssertEqual(byCase[.jpegAsPNG]?.expectedReasons, ["not_png"])
        XCTAssertEqual(byCase[.textAsPNG]?.expectedReasons, ["not_png"])
    }

    func testFileNamesAreNumbersNotPersonnummer() throws {
        let (directory, records) = try SynthFixture.everyCase()
        for (i, r) in records.enumerated() {
            XCTAssertEqual(r.file, String(format: "scan-%05d.png", i + 1))
            for pn in [r.fields?.personnummer, r.fields?.writtenPersonnummer].compactMap({ $0 }) {
                XCTAssertFalse(r.file.contains(String(pn.suffix(4))), r.file)
                XCTAssertFalse(r.file.contains(String(pn.dropFirst(2).prefix(6))), r.file)
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(names, records.map(\.file) + [Synthesizer.truthFileName])
    }
}
