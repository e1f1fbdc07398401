// The same options give the same files byte for byte, whatever the thread count or the length
// of the run; another seed gives other pages.
import BlankettSupport
import Foundation
import Synth
import XCTest

final class DeterminismTests: XCTestCase {
    func testSameSeedGivesIdenticalFilesWithAnyThreadCountOrRunLength() throws {
        let shared = try SynthFixture.everyCase()
        let directory = SynthFixture.temporaryDirectory("short-run")
        let records = try Synthesizer.generate(options: SynthFixture.options(count: 4, threads: 1), into: directory)
        XCTAssertEqual(records, Array(shared.records.prefix(4)))
        for record in records {
            let again = SynthFixture.bytes(directory, record.file)
            XCTAssertNotNil(again, record.file)
            XCTAssertEqual(again, SynthFixture.bytes(shared.directory, record.file), record.file)
        }
        let truth = try XCTUnwrap(SynthFixture.bytes(directory, Synthesizer.truthFileName))
        let sharedTruth = try XCTUnwrap(SynthFixture.bytes(shared.directory, Synthesizer.truthFileName))
        let firstLines = String(decoding: sharedTruth, as: UTF8.self).split(separator: "\n").prefix(4).joined(separator: "\n") + "\n"
        XCTAssertEqual(String(decoding: truth, as: UTF8.self), firstLines)
    }

    func testAnotherSeedGivesOtherPages() throws {
        let shared = try SynthFixture.everyCase()
        let directory = SynthFixture.temporaryDirectory("other-seed")
        let records = try Synthesizer.generate(options: SynthFixture.options(count: 2, seed: 99), into: directory)
        for (record, original) in zip(records, shared.records) {
            XCTAssertEqual(record.case, original.case, "coverEveryCase fixes the case")
            XCTAssertNotEqual(record.seed, original.seed)
            XCTAssertNotEqual(record.fields, original.fields)
            XCTAssertNotEqual(SynthFixture.bytes(directory, record.file), SynthFixture.bytes(shared.directory, record.file))
        }
    }

    func testTruthFileRoundTrips() throws {
        let shared = try SynthFixture.everyCase()
        let text = String(decoding: try XCTUnwrap(SynthFixture.bytes(shared.directory, Synthesizer.truthFileName)), as: UTF8.self)
        XCTAssertEqual(try TruthRecord.decodeLines(text), shared.records)
        let first = try XCTUnwrap(text.split(separator: "\n").first)
        // Optional values are written as null, not left out.
        XCTAssertTrue(first.contains("\"clipped_mark\":null"), String(first))
        XCTAssertTrue(first.contains("\"expected_status\":\"accepted\""), String(first))
    }
}
