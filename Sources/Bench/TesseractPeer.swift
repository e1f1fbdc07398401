// The peer: Tesseract reading the very personnummer cells Blankett cut out (lines removed, paper
// white), once cell by cell in single-character mode and once on all cells joined into one line
// in single-line mode, scored against the digits written, beside Blankett on the same forms.
//
// Why both modes: single characters give Tesseract the same segmentation Blankett gets, while
// the line lets its own segmentation and language model work; it has a fair chance either way.
// Line mode has no cell positions, so its digit accuracy is 1 − (edit distance / digits).
// Why the side margins are cut off: the reader cuts each cell with a margin that repeats the
// neighbours' spilled strokes, which its normaliser drops but Tesseract would read (joined into
// a line, each stroke would appear twice). Measured on SampleScans, cutting them roughly doubles
// Tesseract's line accuracy and helps its single characters too.
import BlankettSupport
import ConvNet
import PageImage
import PrintedText

/// One per worker: a Tesseract instance must not be shared between threads. Sendable so that it
/// can be handed to a worker; only that worker uses it.
public final class TesseractPeer: @unchecked Sendable {
    private let recognizer: TextRecognizer
    /// White border around the joined line, in pixels: Tesseract wants some paper around text.
    static let margin = 8

    /// Set OMP_THREAD_LIMIT=1 before the first one, or each instance spawns its own thread team.
    public init() throws {
        recognizer = try TextRecognizer(language: "swe", whitelist: "0123456789")
    }

    /// `cells`: every cell of the field as the reader cut it, at `dpi`; `cellWidthMM`: the printed
    /// cell's width, the rest of a cut's width is margin; `written`: the digit in each (nil: left empty).
    public func read(cells: [GrayImage], written: [Int?], dpi: Int, cellWidthMM: Double) -> PeerReading {
        let cells = cells.map { Self.withoutSideMargins($0, keep: cellWidthMM * Double(dpi) / 25.4) }
        let start = ContinuousClock.now
        let answers = zip(cells, written).filter { $0.1 != nil }.map { cell, _ -> Int? in
            let digits = recognizer.recognize(cell.pixels, width: cell.width, height: cell.height, dpi: dpi,
                                              mode: .singleCharacter).text.compactMap(\.wholeNumberValue)
            return digits.count == 1 ? digits[0] : nil
        }
        let between = ContinuousClock.now
        let line = Self.sideBySide(cells)
        let text = recognizer.recognize(line.pixels, width: line.width, height: line.height, dpi: dpi, mode: .singleLine).text
        return PeerReading(cellAnswers: answers, line: String(text.filter(\.isNumber)),
                           cellMs: (between - start).seconds * 1000, lineMs: (ContinuousClock.now - between).seconds * 1000)
    }

    /// The middle `keep` pixels of the cell's width, all of its height.
    static func withoutSideMargins(_ cell: GrayImage, keep: Double) -> GrayImage {
        let cut = min(max(0, Int(((Double(cell.width) - keep) / 2).rounded())), (cell.width - 1) / 2)
        var out = GrayImage(width: cell.width - 2 * cut, height: cell.height)
        for y in 0..<cell.height {
            for x in 0..<out.width { out[x, y] = cell[cut + x, y] }
        }
        return out
    }

    /// The cells left to right on white paper, top-aligned, with a margin all round.
    static func sideBySide(_ cells: [GrayImage]) -> GrayImage {
        let m = margin
        var line = GrayImage(width: cells.reduce(2 * m) { $0 + $1.width }, height: (cells.map(\.height).max() ?? 0) + 2 * m)
        var x0 = m
        for cell in cells {
            for y in 0..<cell.height {
                for x in 0..<cell.width { line[x0 + x, m + y] = cell[x, y] }
            }
            x0 += cell.width
        }
        return line
    }
}

/// What Tesseract answered for one field.
public struct PeerReading: Sendable, Equatable {
    /// Per written cell, in order: the digit, or nil when the answer was not exactly one digit.
    public var cellAnswers: [Int?]
    /// The digits of the line reading.
    public var line: String
    public var cellMs: Double
    public var lineMs: Double

    public init(cellAnswers: [Int?], line: String, cellMs: Double, lineMs: Double) {
        self.cellAnswers = cellAnswers
        self.line = line
        self.cellMs = cellMs
        self.lineMs = lineMs
    }
}

/// Tesseract (both modes) and Blankett on the same personnummer fields.
public struct PeerTally: Sendable, Equatable {
    public private(set) var fields = 0
    public private(set) var digits = 0
    public private(set) var cellCorrect = 0, cellFieldsRight = 0
    public private(set) var lineCorrect = 0, lineFieldsRight = 0
    public private(set) var blankettCorrect = 0, blankettFieldsRight = 0
    public private(set) var cellMs = 0.0, lineMs = 0.0

    public init() {}

    /// `blankett`: the value Blankett read for the field (12 digits), nil when it gave none.
    public mutating func add(written: [Int?], peer: PeerReading, blankett: String?) {
        let truth = written.compactMap { $0 }
        fields += 1
        digits += truth.count
        let cells = zip(truth, peer.cellAnswers).filter { $0 == $1 }.count
        cellCorrect += cells
        if cells == truth.count { cellFieldsRight += 1 }
        let truthText = truth.map(String.init).joined()
        lineCorrect += max(0, truth.count - editDistance(truthText, peer.line))
        if peer.line == truthText { lineFieldsRight += 1 }
        let ours = DigitTally.score(cells: written, read: blankett)
        blankettCorrect += ours.correct
        if ours.correct == ours.digits, blankett != nil { blankettFieldsRight += 1 }
        cellMs += peer.cellMs
        lineMs += peer.lineMs
    }

    public var cellDigitAccuracy: Double { ratio(cellCorrect, digits) }
    public var lineDigitAccuracy: Double { ratio(lineCorrect, digits) }
    public var blankettDigitAccuracy: Double { ratio(blankettCorrect, digits) }
    public var cellFieldAccuracy: Double { ratio(cellFieldsRight, fields) }
    public var lineFieldAccuracy: Double { ratio(lineFieldsRight, fields) }
    public var blankettFieldAccuracy: Double { ratio(blankettFieldsRight, fields) }
    /// Tesseract's time per call: one per written cell, one per line.
    public var msPerCell: Double { digits > 0 ? cellMs / Double(digits) : 0 }
    public var msPerLine: Double { fields > 0 ? lineMs / Double(fields) : 0 }
}

/// Levenshtein distance over characters, one row at a time.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    var row = Array(0...y.count)
    for (i, c) in x.enumerated() {
        var diagonal = row[0]
        row[0] = i + 1
        for j in y.indices {
            let above = row[j + 1]
            row[j + 1] = min(above + 1, row[j] + 1, diagonal + (c == y[j] ? 0 : 1))
            diagonal = above
        }
    }
    return row[y.count]
}
