// A verification item's reading as a clerk reviews it: the template's fields in the template's
// order, each with what the machine read, how sure it was, and what the clerk must do with it.
//
// Why the template and not the item alone: the item says what was read, the template says what
// each field is (its cells, its options, what a wrong value costs), and the cost decides the
// keying. A critical field in doubt is keyed blind (the machine's value is never shown), so that
// the clerk's reading stays independent of the machine's and the two can be compared.
import BlankettSupport
import FieldRules
import Foundation
import FormTemplate

public struct ReviewForm: Sendable {
    public struct Field: Sendable {
        public let name: String
        public let kind: FormTemplate.Field.Kind
        public let cost: FormTemplate.Field.Cost
        /// The machine's value as text (digits, an option's value, "yes"/"no"), nil when none.
        public let value: String?
        public let confidence: Double
        public let standing: String
        public let reasons: [String]
        /// The machine's readings that count as a reading: its value and the alternatives it
        /// gave some weight, most probable first.
        public let readings: [String]
        /// For comb fields, the cells where the machine's readings differ.
        public let doubtfulCells: [Int]
        public let cellCount: Int
        public let options: [String]

        /// The clerk must decide this field: the machine doubted it.
        public var isOpen: Bool { standing == "verify" }
        /// Keyed without seeing the machine's value.
        public var isBlind: Bool { isOpen && cost == .critical }
    }

    /// An alternative below this probability is not a reading of its own: otherwise the options
    /// a choice field lists at probability 0 would agree with any key the clerk pressed.
    public static let readingFloor = 0.01

    public let fields: [Field]
    /// Why the form is here, the form's own reasons and the fields' together.
    public let reasons: [String]
    /// The scan's name as it arrived, already masked by the reader.
    public let file: String
    public let scanDate: CalendarDate?
    public let mailingDate: CalendarDate?

    public init(content: [String: Any], template: FormTemplate) throws {
        let read = content["fields"] as? [String: Any] ?? [:]
        var fields: [Field] = []
        for spec in template.fields {
            let field = read[spec.name] as? [String: Any] ?? [:]
            let value = Self.text(field["value"])
            let alternatives = (field["alternatives"] as? [[String: Any]] ?? []).compactMap { alt -> String? in
                guard let p = alt["probability"] as? Double, p >= Self.readingFloor else { return nil }
                return Self.text(alt["value"])
            }
            let readings = ([value].compactMap { $0 } + alternatives).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let cellCount = spec.cells?.count ?? 0
            fields.append(Field(name: spec.name, kind: spec.kind, cost: spec.costClass, value: value,
                                confidence: field["confidence"] as? Double ?? 0,
                                standing: field["status"] as? String ?? (field.isEmpty ? "verify" : "certain"),
                                reasons: field["reasons"] as? [String] ?? [],
                                readings: readings, doubtfulCells: Self.differing(readings, cells: cellCount),
                                cellCount: cellCount, options: spec.options?.map(\.value) ?? []))
        }
        self.fields = fields
        let own = content["reasons"] as? [String] ?? []
        reasons = own + fields.flatMap(\.reasons).filter { !own.contains($0) }
        file = content["source_file"] as? String ?? content["file"] as? String ?? ""
        scanDate = (content["scan_date"] as? String).flatMap(CalendarDate.init)
        mailingDate = (content["mailing_date"] as? String).flatMap(CalendarDate.init)
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// A field's value as the station keys it: a flag is "yes" or "no".
    static func text(_ json: Any?) -> String? {
        switch json {
        case let s as String: s
        case let b as Bool: b ? "yes" : "no"
        default: nil
        }
    }

    /// Cell by cell from the left, as the comb is written; a personnummer is read in its 12-digit form.
    static func differing(_ readings: [String], cells: Int) -> [Int] {
        guard cells > 0, let first = readings.first.map(Array.init) else { return [] }
        let others = readings.dropFirst().map(Array.init)
        return (0..<cells).filter { i in others.contains { ($0.indices.contains(i) ? $0[i] : nil) != (first.indices.contains(i) ? first[i] : nil) } }
    }
}
