// Digits as the reader sees them on scans, to train and calibrate the network: synthetic PM 7001
// pages written with MNIST *training* digits (or by the pen-trajectory model), scanned by Synth (200–300 dpi, skew, blur, noise,
// bilevel, spill over the cell lines) and cut by the reader's own FieldExtractor.
//
// Why: augmenting MNIST imitates a scanned cell, but what the reader gives the network is the
// product of the whole chain (the writer's hand drawn over a comb, the scanner, registration,
// line removal, the normaliser), and its leftovers cost accuracy and calibration on scans that
// clean MNIST never shows. Cells cut by the same code close that gap; held-out training digits
// written the same way give the temperature a scan-like set to fit on. Test digits stay for
// measuring. Pages are never encoded: PNG is lossless, so skipping it changes no pixel.
import BlankettSupport
import FormReader
import FormTemplate
import Foundation
import PageImage
import Synth

public struct ScanCells: Sendable {
    /// 28 × 28 network inputs, laid end to end.
    public var samples: [Float] = []
    public var labels: [Int32] = []
    public var pages = 0
    /// Written cells in which the reader found no ink; not in the set.
    public var missed = 0
    /// Pages the reader could not register; none are expected.
    public var unregistered = 0
    public var count: Int { labels.count }

    public init() {}

    /// Cells of `pages` pages (seed `seed`) written with the MNIST digits `digits` only: a range of
    /// training digits to learn or calibrate on, the test digits to measure on. `writers` may hand
    /// some or all pages to the pen-trajectory model instead (SynthOptions.writers).
    public static func make(pages: Int, seed: UInt64, digits: DigitSource, writers: Writers = .mnist, mnistDirectory: String,
                            templatePath: String, threads: Int,
                            progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> ScanCells {
        let extractor = FieldExtractor(template: try FormTemplate.load(templatePath))
        var options = SynthOptions(count: pages, seed: seed, scanDate: scanDate, mnistDirectory: mnistDirectory,
                                   templatePath: templatePath, threads: threads)
        options.digits = digits
        options.writers = writers
        // Pages that are not a filled-in PM 7001 hold no digits to learn from.
        options.mix = CaseMix(valid: 0.85, mistakes: 0.15, rejects: 0)
        var set = ScanCells()
        try Synthesizer.scans(options: options) { record, page in
            guard let page, let written = record.fields else { return Page.none }
            guard let inputs = try? extractor.digitInputs(of: page) else { return Page(unregistered: true) }
            return Page(record: written, inputs: inputs)
        } consume: { page in
            set.add(page)
            progress(set.pages, pages)
        }
        return set
    }

    /// Scan date of the training pages: dates of signing are drawn up to it.
    public static let scanDate = "2026-06-30"

    private mutating func add(_ page: Page) {
        pages += 1
        if page.unregistered { unregistered += 1 }
        for (digit, input) in page.cells {
            guard let input else { missed += 1; continue }
            samples += input
            labels.append(Int32(digit))
        }
    }

    /// One page's written cells: the digit and the network input the reader made of it.
    struct Page: Sendable {
        var cells: [(digit: Int, input: [Float]?)] = []
        var unregistered = false

        static let none = Page()

        init(unregistered: Bool = false) { self.unregistered = unregistered }

        init(record: TruthRecord.Fields, inputs: [String: [[Float]?]]) {
            // A 10-digit personnummer sits in the last ten cells; the others are written from the left.
            let fields: [(name: String, written: String?, fromRight: Bool)] = [
                ("personnummer", record.writtenPersonnummer, true), ("telefon", record.telefon, false),
                ("datum", record.datum, false),
            ]
            for field in fields {
                guard let written = field.written?.compactMap(\.wholeNumberValue), let row = inputs[field.name],
                      written.count <= row.count else { continue }
                let offset = field.fromRight ? row.count - written.count : 0
                cells += zip(written, row[offset...]).map { (digit: $0, input: $1) }
            }
        }
    }
}
