// What the benchmark expects of one file, taken from its truth.jsonl line: the status and
// reasons, and per field the value a reader may accept and the digit written in each cell.
//
// Why a type of its own rather than TruthRecord: the scoring below must be testable on small
// hand-made pages, and it needs the truth in the reader's terms (one acceptable value per field,
// or none when a person must look), which this type derives once.
import Synth

public struct ExpectedField: Sendable, Equatable {
    public var name: String
    /// What a reader may accept; nil when the field must go to a person (the applicant's
    /// mistake, or nothing written). Flags are "true"/"false", as `ObservedField` has them.
    public var value: String?
    /// What is on the page, in the reader's form (a personnummer as 12 digits), even when
    /// invalid; nil when nothing was written.
    public var written: String?
    /// Digit fields: the digit written in each cell, nil for a cell left empty.
    public var cells: [Int?]

    public init(name: String, value: String?, written: String?, cells: [Int?] = []) {
        self.name = name
        self.value = value
        self.written = written
        self.cells = cells
    }
}

public struct ExpectedPage: Sendable, Equatable {
    public var file: String
    /// "accepted", "needs_verification" or "rejected".
    public var status: String
    public var reasons: [String]
    /// Empty for files that hold no PM 7001 to read (expected rejected).
    public var fields: [ExpectedField]
    /// What the page tests (TruthRecord's case), when known.
    public var pageCase: String?

    public init(file: String, status: String, reasons: [String], fields: [ExpectedField], pageCase: String? = nil) {
        self.file = file
        self.status = status
        self.reasons = reasons
        self.fields = fields
        self.pageCase = pageCase
    }

    /// A campaign's valid applicant the blank was not mailed to: a person must find who it is,
    /// which is not the applicant's mistake.
    public var isOutsideRegister: Bool { pageCase == PageCase.notInRegister.rawValue }

    public func field(_ name: String) -> ExpectedField? { fields.first { $0.name == name } }

    /// The PM 7001 layout: a personnummer fills its 12 cells from the right (a 10-digit entry
    /// leaves the century cells empty), phone and date fill theirs from the left.
    static let cellCounts = ["personnummer": 12, "telefon": 10, "datum": 8]

    public init(_ record: TruthRecord) {
        file = record.file
        pageCase = record.case.rawValue
        status = record.expectedStatus
        reasons = record.expectedReasons
        guard status != "rejected", let f = record.fields else {
            fields = []
            return
        }
        let uttag: String? = switch f.uttag {
        case .one(let value): value
        case .several(let values): values.joined(separator: ",")
        case nil: nil
        }
        let written: [(String, String?)] = [("personnummer", f.personnummer), ("telefon", f.telefon), ("uttag", uttag),
                                            ("datum", f.datum), ("namnteckning", String(f.namnteckning))]
        let reasons = record.expectedReasons
        fields = written.map { name, text in
            // A broken field carries a reason starting with its name; an empty phone is valid.
            let broken = reasons.contains { $0.hasPrefix(name + "_") }
            let acceptable = broken ? nil : (name == "telefon" ? text ?? "" : text)
            let digits = (name == "personnummer" ? f.writtenPersonnummer : text)?.compactMap(\.wholeNumberValue) ?? []
            let cells = Self.cellCounts[name].map { Self.place(digits, in: $0, fromRight: name == "personnummer") } ?? []
            return ExpectedField(name: name, value: acceptable, written: text, cells: cells)
        }
    }

    static func place(_ digits: [Int], in count: Int, fromRight: Bool) -> [Int?] {
        let pad = [Int?](repeating: nil, count: max(0, count - digits.count))
        let placed = digits.prefix(count).map { Optional($0) }
        return fromRight ? pad + placed : placed + pad
    }
}
