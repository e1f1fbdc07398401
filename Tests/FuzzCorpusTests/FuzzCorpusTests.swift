// Replays the committed fuzz corpus (Fuzz/Corpus/<target>/: the seeds, what the fuzzer kept and
// every crash it found) through the fuzz targets themselves, without the fuzzer, so that a crash
// once fixed stays fixed and every input still ends in a result or a typed refusal.
import Foundation
import FuzzTargets
import XCTest

final class FuzzCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/Corpus").standardized.path

    override class func tearDown() {
        Scratch.remove()
        super.tearDown()
    }

    func testEveryTargetHasACorpusAndEveryCorpusATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(Set(folders), Set(FuzzTargets.all.keys))
    }

    func testReaderCorpus() throws { try replay("reader") }
    func testTemplateCorpus() throws { try replay("template") }
    func testQueueItemCorpus() throws { try replay("queue-item") }
    func testOutboxCorpus() throws { try replay("outbox") }
    func testRegisterCorpus() throws { try replay("register") }

    private func replay(_ name: String) throws {
        let target = try XCTUnwrap(FuzzTargets.all[name])
        let folder = "\(Self.corpus)/\(name)"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertGreaterThan(files.count, 0, "no corpus for \(name)")
        for file in files {
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: "\(folder)/\(file)"), file)
            XCTAssertNoThrow(try target(Array(bytes)), "\(name)/\(file)")
        }
    }
}
