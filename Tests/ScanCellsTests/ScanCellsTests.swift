// The training cells: each cell's label must be the digit written in it (checked by letting the
// committed network read them: misaligned labels would score about 10 %), the set must be the
// same for the same seed, and the scans it is cut from must be the pixels `blankett synth` writes.
import BlankettSupport
import BlankettTestSupport
import ConvNet
import Foundation
import PageImage
import ScanCells
import Synth
import XCTest

final class ScanCellsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let templatePath = root.appendingPathComponent("Forms/pm7001/template.json").path

    static let digits = BundledDigits.asTrainingSet

    func testLabelsAreTheWrittenDigitsAndTheSetIsReproducible() throws {
        try assertCutByTheReader(pages: 6, writers: .mnist, missedShare: 50)
    }

    /// Stroke-written pages go through the same extraction: every page registers, hardly a written
    /// cell comes out empty, the labels are the digits written (misaligned labels would score
    /// about 10 % with the committed network) and the set is reproducible.
    func testStrokeWritersCellsAreCutByTheReader() throws {
        try assertCutByTheReader(pages: 3, writers: .strokes, missedShare: 20)
    }

    /// At most one written cell in `missedShare` may come out empty.
    private func assertCutByTheReader(pages: Int, writers: Writers, missedShare: Int,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let make = {
            try ScanCells.make(pages: pages, seed: 11, digits: .train(0..<1000), writers: writers, mnistDirectory: Self.digits,
                               templatePath: Self.templatePath, threads: 2)
        }
        let cells = try make()
        XCTAssertEqual(cells.pages, pages, file: file, line: line)
        XCTAssertEqual(cells.unregistered, 0, file: file, line: line)
        XCTAssertGreaterThan(cells.count, pages * 15, "every page has a personnummer and a date", file: file, line: line)
        XCTAssertEqual(cells.samples.count, cells.count * 784, file: file, line: line)
        XCTAssertLessThanOrEqual(cells.missed, cells.count / missedShare, file: file, line: line)
        let network = try ModelFile.read(Self.root.appendingPathComponent("Models/digits.bkn").path)
        let evaluation = Evaluation(network: network, samples: cells.samples, labels: cells.labels.map(Int.init))
        XCTAssertGreaterThan(evaluation.accuracy, 0.9, file: file, line: line)
        let again = try make()
        XCTAssertEqual(again.labels, cells.labels, file: file, line: line)
        XCTAssertEqual(again.samples, cells.samples, file: file, line: line)
    }

    func testOnlyTheGivenRangeOfDigitsIsWritten() throws {
        var options = SynthOptions(count: 4, seed: 3, scanDate: "2025-11-20", mnistDirectory: Self.digits,
                                   templatePath: Self.templatePath, threads: 2)
        options.digits = .train(100..<400)
        var used: [Int] = []
        try Synthesizer.scans(options: options) { record, _ in record.mnistIndices.values.flatMap { $0 } } consume: { used += $0 }
        XCTAssertFalse(used.isEmpty)
        XCTAssertTrue(used.allSatisfy { (100..<400).contains($0) })
    }

    func testScansAreThePixelsSynthWrites() throws {
        var options = SynthOptions(count: 3, seed: 5, scanDate: "2025-11-20",
                                   mnistDirectory: Self.root.appendingPathComponent("SampleScans/digits").path,
                                   templatePath: Self.templatePath, threads: 2)
        options.scan.dpis = [200]
        options.coverEveryCase = true  // the first cases are filled-in forms
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scancells-png-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let records = try Synthesizer.generate(options: options, into: dir)
        var scans: [GrayImage?] = []
        try Synthesizer.scans(options: options) { _, page in page } consume: { scans.append($0) }
        XCTAssertEqual(scans.count, records.count)
        for (record, scan) in zip(records, scans) {
            let written = try PNGCodec.decode(path: (dir as NSString).appendingPathComponent(record.file))
            XCTAssertEqual(written.pixels, scan?.pixels, record.file)
        }
    }
}
