// A blank's description as the agency's template.json gives it: geometry in millimetres on the
// page (origin top-left, y down), registration marks, the printed header that identifies the
// blank, the fields and the applicant policy. The reader is driven by this, not by constants, so
// a new edition of the blank is a new JSON file.
import BlankettSupport
import Foundation

public struct FormTemplate: Decodable, Sendable {
    public struct Page: Decodable, Sendable { public let widthMm: Double, heightMm: Double }
    public struct Ink: Decodable, Sendable { public let boxLineGray: Int, boxLineWidthMm: Double }
    public struct Mark: Decodable, Sendable {
        public let name: String
        public let center: [Double]
        public let size: Double
    }
    public struct Identify: Decodable, Sendable {
        public let region: [Double]
        public let expectText: [String]
    }
    public struct PrintedLine: Decodable, Sendable {
        public let text: String
        public let at: [Double]
        public let sizePt: Double

        /// A rectangle (mm) that holds the printed line: `at` is its top-left, and a character
        /// is at most about 0.7 em wide in the blank's sans-serif.
        public var boundsMm: [Double] {
            let em = sizePt * 25.4 / 72
            return [at[0] - 1, at[1] - 0.3 * em, Double(text.count) * 0.7 * em + 2, 1.6 * em]
        }
    }
    public struct Option: Decodable, Sendable {
        public let value: String
        public let box: [Double]
    }
    public struct Field: Decodable, Sendable {
        public enum Kind: String, Decodable, Sendable { case digits, choice, signature }
        /// What a wrong value costs, which decides what doubt about the field may be passed on:
        /// - critical: any doubt sends the form to a person (the value moves money or rights);
        /// - informative: an applicant's mistake sends the form to a person, but a valid value
        ///   read with doubt is delivered flagged, for the robot to record as unverified;
        /// - optional: never holds the form; doubt is flagged on the field.
        public enum Cost: String, Decodable, Sendable { case critical, informative, optional }
        public let name: String
        public let kind: Kind
        public let required: Bool
        let cost: Cost?
        /// Why the field has its cost, for the people who maintain the template.
        public let costReason: String?
        public let validate: String?
        public let cells: [[Double]]?
        public let acceptLengths: [Int]?
        public let options: [Option]?
        public let box: [Double]?

        /// A template without costs: required fields are critical, the others optional.
        public var costClass: Cost { cost ?? (required ? .critical : .optional) }

        /// The rectangle (x, y, w, h mm) around all of the field's cells, boxes or its box.
        public var boundsMm: [Double]? {
            let rects = (cells ?? []) + (options ?? []).map(\.box) + (box.map { [$0] } ?? [])
            guard let first = rects.first else { return nil }
            var (x0, y0, x1, y1) = (first[0], first[1], first[0] + first[2], first[1] + first[3])
            for r in rects { x0 = min(x0, r[0]); y0 = min(y0, r[1]); x1 = max(x1, r[0] + r[2]); y1 = max(y1, r[1] + r[3]) }
            return [x0, y0, x1 - x0, y1 - y0]
        }
    }
    public struct Policy: Decodable, Sendable {
        public let birthYearMin: Int, birthYearMax: Int
        public let allowSamordningsnummer: Bool
    }

    public let id: String
    public let edition: Int
    public let title: String
    public let page: Page
    public let ink: Ink
    public let registrationMarks: [Mark]
    public let identify: Identify
    public let printedText: [PrintedLine]
    public let fields: [Field]
    public let policy: Policy

    /// The empty blank rendered at 300 dpi, kept beside the template, when there is one.
    public private(set) var blankImagePath: String?

    private enum CodingKeys: String, CodingKey {
        case id, edition, title, page, ink, registrationMarks, identify, printedText, fields, policy
    }

    public static func load(_ path: String) throws -> FormTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("template_not_found", "cannot read template \(path)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var template: FormTemplate
        do { template = try decoder.decode(FormTemplate.self, from: data) }
        catch { throw BlankettError("template_invalid", "\(path): \(Self.describe(error))") }
        try template.check()
        let blank = blankPath(beside: path)
        template.blankImagePath = FileManager.default.fileExists(atPath: blank) ? blank : nil
        return template
    }

    /// Where a template's bundled blank lies: beside it, rendered at 300 dpi.
    public static func blankPath(beside templatePath: String) -> String {
        ((templatePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("blank-300dpi.png")
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// The printed lines that identify the blank: those holding one of `identify.expectText`.
    /// Reading the whole lines (not only the expected words) also checks the edition printed beside them.
    public var identifyingLines: [PrintedLine] {
        printedText.filter { line in identify.expectText.contains { line.text.contains($0) } }
    }

    /// Geometry that would make the reader misbehave is refused at load time, with the field named.
    private func check() throws {
        func bad(_ why: String) -> BlankettError { BlankettError("template_invalid", "template \(id): \(why)") }
        func rect(_ r: [Double], _ what: String) throws {
            guard r.count == 4, r[2] > 0, r[3] > 0, r[0] >= 0, r[1] >= 0,
                  r[0] + r[2] <= page.widthMm, r[1] + r[3] <= page.heightMm else { throw bad("\(what) is not a rectangle on the page") }
        }
        guard registrationMarks.count >= 3 else { throw bad("needs at least 3 registration marks") }
        // The reader keeps what it reads per field name; two fields of one name would mix their cells.
        guard Set(fields.map(\.name)).count == fields.count else { throw bad("two fields have the same name") }
        // Four-digit years, lowest first: the rules walk the window year by year, digit by digit.
        guard (1000...9999).contains(policy.birthYearMin), (policy.birthYearMin...9999).contains(policy.birthYearMax) else {
            throw bad("policy.birth_year_min … birth_year_max is not a window of four-digit years")
        }
        for m in registrationMarks where m.center.count != 2 || m.size <= 0 { throw bad("mark \(m.name) is malformed") }
        try rect(identify.region, "identify.region")
        guard !identifyingLines.isEmpty else { throw bad("no printed line holds identify.expect_text") }
        for line in identifyingLines where line.at.count != 2 || line.sizePt <= 0 { throw bad("printed line '\(line.text)' is malformed") }
        for f in fields {
            guard (f.costClass == .optional) == !f.required else {
                throw bad("field \(f.name): an optional cost is for a field that is not required, and only for one")
            }
            switch f.kind {
            case .digits:
                guard let cells = f.cells, !cells.isEmpty else { throw bad("field \(f.name) has no cells") }
                for c in cells { try rect(c, "a cell of \(f.name)") }
            case .choice:
                guard let options = f.options, !options.isEmpty else { throw bad("field \(f.name) has no options") }
                for o in options { try rect(o.box, "option \(o.value) of \(f.name)") }
            case .signature:
                guard let box = f.box else { throw bad("field \(f.name) has no box") }
                try rect(box, "the box of \(f.name)")
            }
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            return "\(error)"
        }
    }
}
