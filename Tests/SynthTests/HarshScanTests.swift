// The harsh scanner profile: its conditions are drawn and recorded, and it never loses more than
// two registration marks to the frame's edge (or a folded corner).
import BlankettSupport
import FormTemplate
import Foundation
import Synth
import XCTest

final class HarshScanTests: XCTestCase {
    func testHarshPagesRecordTheirConditionsAndKeepTwoMarks() throws {
        var options = SynthFixture.options(count: 16, seed: 20_261_202)
        options.coverEveryCase = false
        options.mix = CaseMix(valid: 1, mistakes: 0, rejects: 0)
        options.scan = ScannerProfile.harsh.ranges
        let records = try Synthesizer.generate(options: options, into: SynthFixture.temporaryDirectory("harsh"))
        let scans = records.compactMap(\.scan)
        XCTAssertEqual(scans.count, 16)
        XCTAssertTrue(scans.allSatisfy { $0.dpi == 200 && abs($0.rotationDeg) <= 5 })
        XCTAssertTrue(scans.allSatisfy { $0.marksInFrame.count >= 2 }, "\(scans.map(\.marksInFrame))")
        XCTAssertTrue(scans.contains { $0.marksInFrame.count == 2 }, "some page loses two marks")
        XCTAssertTrue(scans.contains { $0.shadow != nil } && scans.contains { $0.crease != nil } && scans.contains { $0.pencil == true })
        XCTAssertTrue(scans.contains { $0.holes != nil }, "some page is punched")
        XCTAssertTrue(scans.contains { $0.bilevel } && scans.contains { !$0.bilevel })
        // A bilevel scanner's shadow stays above its threshold.
        for s in scans where s.bilevel {
            if let shadow = s.shadow, let threshold = s.threshold {
                XCTAssertGreaterThan(Double(s.paper) * (1 - shadow.depth), Double(threshold))
            }
        }
    }

    /// Punched holes lie in the left margin, clear of every mark and field, so that they test the
    /// mark finder and nothing else: two of ISO 838's four lie in the TL and BL marks' windows.
    func testPunchedHolesLieBesideTheMarksAndFields() throws {
        let template = try FormTemplate.load(SynthFixture.templatePath)
        var rng = SeededGenerator(seed: 20_261_202)
        var windowed = 0
        for _ in 0..<200 {
            let holes = PunchedHoles.draw(pageH: template.page.heightMm, using: &rng)
            let r = holes.diameterMm / 2
            XCTAssertTrue(holes.centersMm.count == 2 || holes.centersMm.count == 4)
            for c in holes.centersMm {
                for m in template.registrationMarks {
                    let (dx, dy) = (abs(c[0] - m.center[0]) - m.size / 2, abs(c[1] - m.center[1]) - m.size / 2)
                    XCTAssertGreaterThan(max(dx, dy), r, "a hole over mark \(m.name)")
                    if hypot(c[0] - m.center[0], c[1] - m.center[1]) < 20 { windowed += 1 }
                }
                for f in template.fields {
                    let b = try XCTUnwrap(f.boundsMm)
                    XCTAssertTrue(c[0] + r < b[0] || c[1] + r < b[1] || c[1] - r > b[1] + b[3], "a hole over \(f.name)")
                }
            }
            XCTAssertEqual(holes.coverage(holes.centersMm[0][0], holes.centersMm[0][1]), 1)
            XCTAssertEqual(holes.coverage(holes.centersMm[0][0] + r + 0.1, holes.centersMm[0][1]), 0)
        }
        XCTAssertGreaterThan(windowed, 0, "some holes lie in a mark's window")
    }

    func testNormalRecordsDoNotCarryTheHarshKeys() throws {
        let shared = try SynthFixture.everyCase()
        let text = String(decoding: try XCTUnwrap(SynthFixture.bytes(shared.directory, Synthesizer.truthFileName)), as: UTF8.self)
        XCTAssertFalse(text.contains("\"shadow\"") || text.contains("\"crease\"") || text.contains("\"holes\"") || text.contains("\"pencil\""))
    }
}
