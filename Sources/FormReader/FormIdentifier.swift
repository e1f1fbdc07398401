// Is this page the template's blank, and its edition? The registration marks only say "a blank
// from this printer"; other blanks carry the same marks. The printed lines that hold the
// template's identifying text (for PM 7001 the form code with its edition, "PM 7001 utgåva 2",
// and the title) decide.
//
// Fast path: each line is cut out of the scan and out of the template's own blank along their
// transforms and compared window by window (a window is about one glyph wide) by normalised
// cross-correlation. If every inked window of the blank correlates well, the same glyphs are
// printed there: identified, in about a millisecond. A single changed character (another form
// number, another edition) breaks its window, so whenever any window disagrees, Tesseract reads
// the lines and its text is compared with the template's, allowing a little OCR noise. Tesseract
// (~100 ms a line) thus runs only on pages that do not plainly match.
import BlankettSupport
import FormTemplate
import PageImage
import PrintedText

struct FormIdentifier {
    struct Line {
        let printed: FormTemplate.PrintedLine
        let reference: GrayImage?
    }

    let lines: [Line]
    let recognizer: TextRecognizer
    /// Correlation every inked glyph window must reach for the fast path.
    static let windowCorrelation = 0.6
    static let comparePixelsPerMM = 8.0

    /// `blank`: the template's blank image, when it has one.
    init(template: FormTemplate, blank: GrayImage?) throws {
        let identity = blank.map { PageTransform(a: Double($0.width) / template.page.widthMm, b: 0, c: 0,
                                                 d: Double($0.height) / template.page.heightMm, tx: 0, ty: 0) }
        lines = template.identifyingLines.map { line in
            let b = line.boundsMm
            let reference = blank.map {
                $0.sample(region: (b[0], b[1], b[2], b[3]), transform: identity!, pixelsPerMM: Self.comparePixelsPerMM)
            }
            return Line(printed: line, reference: reference)
        }
        recognizer = try TextRecognizer(language: "swe")
    }

    enum Outcome: Equatable { case matchesBlank, readByOCR, mismatch(String) }

    func identify(_ crops: Crops) -> Outcome {
        if lines.allSatisfy({ line in
            guard let reference = line.reference else { return false }
            return Self.sameGlyphs(crops.printed(line.printed.boundsMm, pixelsPerMM: Self.comparePixelsPerMM), reference)
        }) { return .matchesBlank }
        for line in lines {
            // About 30 px per em: Tesseract's sweet spot, and a third of the pixels of 300 dpi for the title.
            let em = line.printed.sizePt * 25.4 / 72
            let ppm = min(300 / 25.4, 30 / em)
            let image = crops.printed(line.printed.boundsMm, pixelsPerMM: ppm)
            let read = recognizer.recognize(image.pixels, width: image.width, height: image.height,
                                            dpi: Int(ppm * 25.4), mode: .singleLine).text
            if !Self.matches(read, line.printed.text) { return .mismatch(read) }
        }
        return .readByOCR
    }

    /// Every window of the reference that holds print correlates with the scan's same window.
    static func sameGlyphs(_ scan: GrayImage, _ reference: GrayImage) -> Bool {
        guard scan.width == reference.width, scan.height == reference.height else { return false }
        let window = Int(2.5 * comparePixelsPerMM)
        var inked = 0
        for x0 in stride(from: 0, to: reference.width, by: window) {
            let x1 = min(reference.width, x0 + window)
            var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0, dark = 0
            for y in 0..<reference.height {
                for x in x0..<x1 {
                    let a = Double(reference.pixels[y * reference.width + x]), b = Double(scan.pixels[y * scan.width + x])
                    sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b
                    if a < 128 { dark += 1 }
                }
            }
            guard dark >= 4 else { continue }
            inked += 1
            let n = Double((x1 - x0) * reference.height)
            let cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n
            guard va > 0, vb > 0, cov / (va * vb).squareRoot() >= windowCorrelation else { return false }
        }
        return inked > 0
    }

    /// Equal after folding case and spaces, within an edit distance of one in eight characters.
    static func matches(_ read: String, _ printed: String) -> Bool {
        let a = Array(read.lowercased().filter { !$0.isWhitespace })
        let b = Array(printed.lowercased().filter { !$0.isWhitespace })
        return editDistance(a, b) <= max(1, b.count / 8)
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
