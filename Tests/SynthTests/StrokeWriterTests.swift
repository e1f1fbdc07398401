// The pen-trajectory writers: every allograph of every digit puts ink in its cell, a seed gives
// the same pixels and another seed other pixels, the styles of a digit differ from each other,
// stroke pages record their allographs, and the stroke model is built from no file (no font).
@testable import Synth
import BlankettSupport
import Foundation
import PageImage
import XCTest

final class StrokeWriterTests: XCTestCase {
    /// A 7 × 9 mm comb cell, as on PM 7001, in the middle of a 27 × 29 mm patch of paper.
    static let cell = [10.0, 10.0, 7.0, 9.0]

    static func canvas() -> PageCanvas {
        PageCanvas(GrayImage(width: 319, height: 343), pageWidthMM: 27)
    }

    static func writer(seed: UInt64) -> (StrokeWriter, SeededGenerator) {
        var rng = SeededGenerator(seed: seed)
        let pen = Pen(using: &rng)
        return (StrokeWriter(pen: pen, using: &rng), rng)
    }

    /// Ink (darkness above a quarter of the scale) inside the cell, and the ink's centre (mm).
    static func ink(_ image: GrayImage, pixelsPerMM s: Double) -> (inCell: Int, centre: (x: Double, y: Double)?) {
        var (inCell, count, sx, sy) = (0, 0, 0.0, 0.0)
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] < 192 {
                let (mx, my) = ((Double(x) + 0.5) / s, (Double(y) + 0.5) / s)
                count += 1; sx += mx; sy += my
                if mx >= cell[0], mx < cell[0] + cell[2], my >= cell[1], my < cell[1] + cell[3] { inCell += 1 }
            }
        }
        return (inCell, count == 0 ? nil : (sx / Double(count), sy / Double(count)))
    }

    func testEveryAllographInksItsCell() {
        for seed: UInt64 in 1...6 {
            for (digit, styles) in StrokeDigits.allographs.enumerated() {
                for (i, glyph) in styles.enumerated() {
                    var (writer, rng) = Self.writer(seed: seed)
                    var canvas = Self.canvas()
                    writer.draw(glyph, habit: UInt64(digit * 16 + i), in: Self.cell, on: &canvas, using: &rng)
                    let (inCell, centre) = Self.ink(canvas.image, pixelsPerMM: canvas.pixelsPerMM)
                    let label = "\(glyph.name), seed \(seed)"
                    // A thin, small 1 is about 0.25 × 4 mm of ink: 140 pixels at 300 dpi.
                    XCTAssertGreaterThan(inCell, 100, label)
                    XCTAssertTrue(centre.map { (10...17).contains($0.x) && (10...19).contains($0.y) } ?? false, "ink centred off the cell: \(label)")
                }
            }
        }
    }

    func testEveryDigitHasSeveralNamedStyles() {
        let names = StrokeDigits.allographs.flatMap { $0.map(\.name) }
        XCTAssertEqual(Set(names).count, names.count, "allograph names are unique")
        for (digit, styles) in StrokeDigits.allographs.enumerated() {
            XCTAssertGreaterThanOrEqual(styles.count, 2, "digit \(digit)")
            XCTAssertTrue(styles.allSatisfy { $0.name.hasPrefix("\(digit)-") })
        }
        for required in ["1-flag", "1-upstroke-foot", "1-inverted-v", "7-crossed", "7-hooked", "4-open", "4-closed", "9-straight", "9-curved", "2-loop"] {
            XCTAssertTrue(names.contains(required), required)
        }
    }

    func testStylesOfADigitDrawDifferentPixels() {
        for (digit, styles) in StrokeDigits.allographs.enumerated() {
            let images = styles.enumerated().map { i, glyph -> [UInt8] in
                var (writer, rng) = Self.writer(seed: 3)
                var canvas = Self.canvas()
                // The same habit for all, so only the skeleton differs.
                writer.draw(glyph, habit: UInt64(digit), in: Self.cell, on: &canvas, using: &rng)
                return canvas.image.pixels
            }
            XCTAssertEqual(Set(images).count, images.count, "digit \(digit)")
        }
    }

    func testSameSeedSamePixelsAnotherSeedOthers() {
        func written(_ seed: UInt64) -> ([UInt8], [String]) {
            var (writer, rng) = Self.writer(seed: seed)
            var canvas = PageCanvas(GrayImage(width: 1200, height: 200), pageWidthMM: 101.6)
            let cells = (0..<10).map { [1.0 + 9 * Double($0), 4, 7, 9] }
            let names = writer.write(Array(0...9), in: cells[...], on: &canvas, using: &rng)
            return (canvas.image.pixels, names)
        }
        let (first, names) = written(42)
        XCTAssertEqual(names.count, 10)
        XCTAssertEqual(names.map { String($0.prefix(1)) }, (0...9).map(String.init))
        XCTAssertEqual(written(42).0, first)
        XCTAssertNotEqual(written(43).0, first)
    }

    /// A mixed run's stroke pages record their allographs and no MNIST index; its MNIST pages
    /// are exactly the pages of an MNIST run.
    func testMixedRunRecordsTheWritersAndKeepsItsMNISTPages() throws {
        func run(_ writers: Writers) throws -> [(TruthRecord, GrayImage?)] {
            var options = SynthFixture.options(count: 4, seed: 8)
            options.writers = writers
            var out: [(TruthRecord, GrayImage?)] = []
            try Synthesizer.scans(options: options) { record, page in (record, page) } consume: { out.append($0) }
            return out
        }
        let mixed = try run(.mixed), mnist = try run(.mnist)
        XCTAssertEqual(Set(mixed.map { $0.0.allographs == nil }), [true, false], "seed 8 gives both kinds in four pages")
        for ((record, page), (plain, plainPage)) in zip(mixed, mnist) {
            guard let allographs = record.allographs else {
                XCTAssertEqual(record, plain, record.file)
                XCTAssertEqual(page, plainPage, record.file)
                continue
            }
            XCTAssertNil(plain.allographs)
            XCTAssertEqual(record.mnistIndices, [:], record.file)
            let fields = try XCTUnwrap(record.fields)
            XCTAssertEqual(allographs["personnummer"]?.map { String($0.prefix(1)) }.joined(), fields.writtenPersonnummer, record.file)
            XCTAssertEqual(allographs["datum"]?.map { String($0.prefix(1)) }.joined(), fields.datum, record.file)
            XCTAssertNotEqual(page, plainPage, record.file)
            let line = try record.jsonLine()
            XCTAssertTrue(line.contains("\"allographs\":{"), line)
            XCTAssertEqual(try TruthRecord.decodeLines(line), [record])
        }
    }

    /// MNIST writers are the default and write the bundled SampleScans byte for byte, with the
    /// command in SampleScans/README.md.
    func testMNISTWritersStillWriteTheSampleScans() throws {
        let sample = SynthFixture.root.appendingPathComponent("SampleScans").path
        var options = SynthOptions(count: 2, seed: 7001, scanDate: "2025-11-20", mnistDirectory: SynthFixture.digits,
                                   templatePath: SynthFixture.templatePath, threads: 2)
        XCTAssertEqual(options.writers, .mnist)
        options.coverEveryCase = true
        options.scan.dpis = [200, 240, 200, 200, 200, 300]
        options.scan.noise = 0.5...2
        let directory = SynthFixture.temporaryDirectory("sample-scans-again")
        let records = try Synthesizer.generate(options: options, into: directory)
        for record in records {
            XCTAssertEqual(SynthFixture.bytes(directory, record.file), SynthFixture.bytes(sample, record.file), record.file)
        }
        let truth = String(decoding: try XCTUnwrap(SynthFixture.bytes(sample, Synthesizer.truthFileName)), as: UTF8.self)
        XCTAssertEqual(try records.map { try $0.jsonLine() }, truth.split(separator: "\n").prefix(2).map(String.init))
    }

    /// No font and no file of any kind behind the stroke digits: a form written in a font stays a
    /// fair test of the reader.
    func testNoFontFilesAndTheStrokeModelReadsNoFile() throws {
        let root = SynthFixture.root
        let fontTypes: Set = ["ttf", "otf", "ttc", "woff", "woff2", "pfb", "pfa", "fon", "bdf", "pcf"]
        let walker = try XCTUnwrap(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        for case let url as URL in walker {
            if [".build", ".git", ".swiftpm"].contains(url.lastPathComponent) { walker.skipDescendants(); continue }
            XCTAssertFalse(fontTypes.contains(url.pathExtension.lowercased()), url.path)
        }
        let synth = root.appendingPathComponent("Sources/Synth")
        for name in try FileManager.default.contentsOfDirectory(atPath: synth.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: synth.appendingPathComponent(name), encoding: .utf8)
            for font in [".ttf", ".otf", ".woff", "CTFont", "FreeType", "FT_Load"] {
                XCTAssertFalse(text.contains(font), "\(name) mentions \(font)")
            }
        }
        for name in ["StrokeDigits", "StrokeWriter", "PenTrajectory", "InkTrail", "Writers"] {
            let text = try String(contentsOf: synth.appendingPathComponent(name + ".swift"), encoding: .utf8)
            for reading in ["FileManager", "contentsOf", "fopen", "PNGCodec", "Bundle", "URL("] {
                XCTAssertFalse(text.contains(reading), "\(name).swift uses \(reading)")
            }
        }
    }
}
