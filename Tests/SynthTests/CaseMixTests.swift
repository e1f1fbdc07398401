// Which cases a run contains, checked without rendering: the default mix lands near its shares,
// a small forcing mix shows every case within 60 pages, and coverEveryCase cycles through all.
import BlankettSupport
import Foundation
import Synth
import XCTest

final class CaseMixTests: XCTestCase {
    func testDefaultMixMatchesItsShares() {
        var options = SynthFixture.options(count: 4000)
        options.coverEveryCase = false
        let cases = Synthesizer.cases(options: options)
        func share(_ group: PageCase.Group) -> Double { Double(cases.filter { $0.group == group }.count) / Double(cases.count) }
        XCTAssertEqual(share(.valid), 0.80, accuracy: 0.025)
        XCTAssertEqual(share(.mistake), 0.12, accuracy: 0.02)
        XCTAssertEqual(share(.reject), 0.08, accuracy: 0.02)
        let valid = cases.filter { $0.group == .valid }
        XCTAssertEqual(Double(valid.filter { $0 == .samordningsnummer }.count) / Double(valid.count), 0.10, accuracy: 0.02)
    }

    func testForcingMixShowsEveryCaseWithin60Pages() {
        var options = SynthFixture.options(count: 60)
        options.coverEveryCase = false
        options.mix = CaseMix(valid: 0.2, mistakes: 0.4, rejects: 0.4, samordningsnummer: 0.34, tenDigits: 0.5)
        XCTAssertEqual(Set(Synthesizer.cases(options: options)), Set(PageCase.cases(campaign: false)))
    }

    func testCoverEveryCaseCycles() {
        let n = PageCase.cases(campaign: false).count
        XCTAssertEqual(Synthesizer.cases(options: SynthFixture.options(count: 2 * n)), PageCase.cases(campaign: false) + PageCase.cases(campaign: false))
    }

    func testCasesDoNotDependOnTheRunLength() {
        var options = SynthFixture.options(count: 50)
        options.coverEveryCase = false
        let long = Synthesizer.cases(options: options)
        options.count = 20
        XCTAssertEqual(Synthesizer.cases(options: options), Array(long.prefix(20)))
    }

    func testBadOptionsAreRefused() {
        var options = SynthFixture.options(count: 1)
        options.scanDate = "2024-12-31"
        XCTAssertThrowsError(try Synthesizer.generate(options: options, into: SynthFixture.temporaryDirectory("bad"))) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "synth_invalid_options")
        }
        options.scanDate = "2025-02-30"
        XCTAssertThrowsError(try Synthesizer.generate(options: options, into: SynthFixture.temporaryDirectory("bad")))
        options = SynthFixture.options(count: 1)
        options.mnistDirectory = "/nonexistent"
        XCTAssertThrowsError(try Synthesizer.generate(options: options, into: SynthFixture.temporaryDirectory("bad"))) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "file_not_found")
        }
    }
}
