// The training cells: each cell's label must be the digit written in it (checked by letting the
// committed network read them: misaligned labels would score about 10 %), the set must be the
// same for the same seed, and the scans it is cut from must be the pixels `blankett synth` writes.
import BlankettSupport
import ConvNet
import Foundation
import PageImage
import ScanCells
import Synth
import XCTest

final class ScanCellsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let templatePath = root.appendingPathComponent("Forms/pm7001/template.json").path

    /// The bundled test digits under the training set's file names: the repo holds no training
    /// digits, and which digits are written does not matter to what is checked here.
    static let digits: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scancells-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let bundled = root.appendingPathComponent("SampleScans/digits").path
        for kind in ["images-idx3-ubyte", "labels-idx1-ubyte"] {
            let name = (try? FileManager.default.contentsOfDirectory(atPath: bundled))?.first { $0.hasPrefix("t10k-\(kind)") } ?? ""
            let target = (dir as NSString).appendingPathComponent(name.replacingOccurrences(of: "t10k-", with: "train-"))
            try? FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: (bundled as NSString).appendingPathComponent(name))
        }
        return dir
    }()

    func testLabelsAreTheWrittenDigitsAndTheSetIsReproducible() throws {
        let make = { try ScanCells.make(pages: 6, seed: 11, digits: .train(0..<1000), mnistDirectory: Self.digits,
                                        templatePath: Self.templatePath, threads: 2) }
        let cells = try make()
        XCTAssertEqual(cells.pages, 6)
        XCTAssertEqual(cells.unregistered, 0)
        XCTAssertGreaterThan(cells.count, 6 * 15, "every page has a personnummer and a date")
        XCTAssertEqual(cells.samples.count, cells.count * 784)
        XCTAssertLessThanOrEqual(cells.missed, cells.count / 50)

        let network = try ModelFile.read(Self.root.appendingPathComponent("Models/digits.bkn").path)
        let evaluation = Evaluation(network: network, samples: cells.samples, labels: cells.labels.map(Int.init))
        XCTAssertGreaterThan(evaluation.accuracy, 0.9)

        let again = try make()
        XCTAssertEqual(again.labels, cells.labels)
        XCTAssertEqual(again.samples, cells.samples)
    }

    /// Stroke-written pages go through the same extraction: every page registers, hardly a written
    /// cell comes out empty, the labels are the digits written (misaligned labels would score
    /// about 10 % with the committed network) and the set is reproducible.
    func testStrokeWritersCellsAreCutByTheReader() throws {
        let make = {
            try ScanCells.make(pages: 3, seed: 11, digits: .train(0..<1000), writers: .strokes, mnistDirectory: Self.digits,
                               templatePath: Self.templatePath, threads: 2)
        }
        let cells = try make()
        XCTAssertEqual(cells.pages, 3)
        XCTAssertEqual(cells.unregistered, 0)
        XCTAssertGreaterThan(cells.count, 3 * 15)
        XCTAssertLessThanOrEqual(cells.missed, cells.count / 20)
        let network = try ModelFile.read(Self.root.appendingPathComponent("Models/digits.bkn").path)
        let evaluation = Evaluation(network: network, samples: cells.samples, labels: cells.labels.map(Int.init))
        XCTAssertGreaterThan(evaluation.accuracy, 0.9)
        let again = try make()
        XCTAssertEqual(again.labels, cells.labels)
        XCTAssertEqual(again.samples, cells.samples)
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
