// One synthetic file from its plan: decide what the applicant writes, fill in the blank (or draw
// the other page), scan it, encode it (or damage it), and write down the truth.
//
// Why the order of draws is fixed per stream (content, drawing, scan, damage; PagePlan.Stream):
// the truth for a page depends only on its seed, never on which thread made it or which pages
// were made before it.
import BlankettSupport
import FieldRules
import PageImage

struct PageMaker: Sendable {
    let resources: SynthResources
    let options: SynthOptions
    let scanDate: CalendarDate

    /// Checks the options and loads what every page is made from.
    init(_ options: SynthOptions) throws {
        scanDate = try Synthesizer.check(options)
        resources = try SynthResources(options, mailing: options.campaign.flatMap { CalendarDate($0.mailingDate) })
        self.options = options
    }

    /// A scan, or a file that is not one.
    enum Output {
        case scan(GrayImage)
        case file([UInt8])
    }

    func make(_ plan: PagePlan) throws -> (bytes: [UInt8], record: TruthRecord) {
        let (output, record) = try render(plan)
        switch output {
        case .file(let bytes):
            return (bytes, record)
        case .scan(let scan):
            let png = try PNGCodec.encode(scan)
            var damageRNG = plan.rng(.damage)
            return (plan.pageCase == .truncatedPNG ? BrokenFiles.truncated(png, using: &damageRNG) : png, record)
        }
    }

    /// The page as scanned, before encoding: what `make` writes, minus PNG and file damage.
    func render(_ plan: PagePlan) throws -> (output: Output, record: TruthRecord) {
        let pageCase = plan.pageCase
        var contentRNG = plan.rng(.content), drawingRNG = plan.rng(.drawing)
        var scanRNG = plan.rng(.scan), damageRNG = plan.rng(.damage)
        let entries = Entries.draw(for: pageCase, mix: options.mix, scanDate: scanDate, policy: resources.policy,
                                   uttagOptions: resources.uttag.count, campaign: resources.campaign, using: &contentRNG)
        let expectation = Expectation(pageCase: pageCase, entries: entries, policy: resources.policy,
                                      scanDate: scanDate, campaign: resources.campaign)
        var record = TruthRecord(
            file: plan.fileName, seed: plan.seed, case: pageCase, expectedStatus: expectation.status.rawValue,
            expectedReasons: expectation.reasons, expectedRuleCodes: expectation.ruleCodes,
            fields: expectation.status == .rejected ? nil : fields(entries), scan: nil, mnistIndices: [:])

        switch pageCase {
        case .jpegAsPNG:
            let (w, h) = pageSize(dpi: 200)
            return (.file(BrokenFiles.jpeg(width: w, height: h, gray: 200 + damageRNG.below(50))), record)
        case .textAsPNG:
            return (.file(BrokenFiles.text(using: &damageRNG)), record)
        default:
            break
        }

        let page: GrayImage
        var pencil: Pen?
        switch pageCase {
        case .blankPage:
            page = ForeignPages.blankSheet(width: resources.blank.width, height: resources.blank.height,
                                           pageWidthMM: resources.template.page.widthMm, using: &drawingRNG)
        case .otherDocument:
            page = ForeignPages.otherDocument(width: resources.blank.width, height: resources.blank.height,
                                              pageWidthMM: resources.template.page.widthMm, using: &drawingRNG)
        default:
            var canvas = PageCanvas(resources.blank, pageWidthMM: resources.template.page.widthMm)
            if pageCase == .otherBlank { ForeignPages.replaceHeader(of: &canvas, template: resources.template, using: &drawingRNG) }
            if options.scan.pencilShare > 0 && drawingRNG.chance(options.scan.pencilShare) { pencil = Pen(pencilUsing: &drawingRNG) }
            let pen = pencil ?? Pen(using: &drawingRNG)
            var writersRNG = plan.rng(.writers)
            (record.mnistIndices, record.allographs) = fill(&canvas, with: entries, pen: pen,
                                                            strokes: options.writers.strokes(using: &writersRNG), using: &drawingRNG)
            page = canvas.image
        }

        let turn = options.coverEveryCase ? plan.index : nil
        let marks = pageCase == .blankPage || pageCase == .otherDocument ? [] : resources.template.registrationMarks
        var settings = ScanSettings.draw(options.scan, template: resources.template, marks: marks, turn: turn, using: &scanRNG)
        if let pencil {
            settings.pencil = true
            settings.showPencil(tone: pencil.tone)
        }
        record.scan = settings
        return (.scan(ScanRenderer.render(page, template: resources.template, settings: settings, using: &scanRNG)), record)
    }

    /// Writes the entries with the page's one pen, the digits in MNIST digits or, with `strokes`,
    /// by one stroke writer; returns the MNIST indices or the allographs used per field.
    private func fill(_ canvas: inout PageCanvas, with e: Entries, pen: Pen, strokes: Bool,
                      using rng: inout SeededGenerator) -> (mnist: [String: [Int]], allographs: [String: [String]]?) {
        var pen = pen
        let writer = strokes ? StrokeWriter(pen: pen, using: &rng) : nil
        if let writer { pen = writer.pen(pen) }
        var used: [String: [Int]] = [:], allographs: [String: [String]] = [:]
        func write(_ field: String, _ values: [Int], _ cells: ArraySlice<[Double]>) {
            if let writer {
                allographs[field] = writer.write(values, in: cells, on: &canvas, using: &rng)
            } else {
                used[field] = resources.handwriting.write(values, in: cells, on: &canvas, pen: pen, using: &rng)
            }
        }
        // A 10-digit number goes in the last ten cells, leaving the century cells empty.
        write("personnummer", e.personnummer, resources.personnummerCells.suffix(e.personnummer.count))
        write("telefon", e.telefon, resources.telefonCells[...])
        for option in e.uttag {
            CheckMark.draw(in: resources.uttag[option].box, on: &canvas, pen: pen, using: &rng)
        }
        write("datum", e.datum, resources.datumCells[...])
        if e.signed { Signature.draw(in: resources.signatureBox, on: &canvas, pen: pen, using: &rng) }
        return (used, writer == nil ? nil : allographs)
    }

    private func fields(_ e: Entries) -> TruthRecord.Fields {
        func text(_ digits: [Int]) -> String? { digits.isEmpty ? nil : digits.map(String.init).joined() }
        let marked = e.uttag.map { resources.uttag[$0].value }
        return TruthRecord.Fields(
            personnummer: text(e.intendedPersonnummer), writtenPersonnummer: text(e.personnummer),
            telefon: text(e.telefon),
            uttag: marked.isEmpty ? nil : marked.count == 1 ? .one(marked[0]) : .several(marked),
            datum: text(e.datum), namnteckning: e.signed)
    }

    private func pageSize(dpi: Int) -> (Int, Int) {
        let ppm = Double(dpi) / 25.4
        return (Int((resources.template.page.widthMm * ppm).rounded()), Int((resources.template.page.heightMm * ppm).rounded()))
    }
}
