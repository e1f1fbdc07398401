// The harsh scanner profile: its conditions are drawn and recorded, and it never loses more than
// two registration marks to the frame's edge (or a folded corner).
import BlankettSupport
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
        XCTAssertTrue(scans.contains { $0.bilevel } && scans.contains { !$0.bilevel })
        // A bilevel scanner's shadow stays above its threshold.
        for s in scans where s.bilevel {
            if let shadow = s.shadow, let threshold = s.threshold {
                XCTAssertGreaterThan(Double(s.paper) * (1 - shadow.depth), Double(threshold))
            }
        }
    }

    func testNormalRecordsDoNotCarryTheHarshKeys() throws {
        let shared = try SynthFixture.everyCase()
        let text = String(decoding: try XCTUnwrap(SynthFixture.bytes(shared.directory, Synthesizer.truthFileName)), as: UTF8.self)
        XCTAssertFalse(text.contains("\"shadow\"") || text.contains("\"crease\"") || text.contains("\"pencil\""))
    }
}
