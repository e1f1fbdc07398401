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
    public struct Option: Decodable, Sendable {
        public let value: String
        public let box: [Double]
    }
    public struct Field: Decodable, Sendable {
        public enum Kind: String, Decodable, Sendable { case digits, choice, signature }
        public let name: String
        public let kind: Kind
        public let required: Bool
        public let validate: String?
        public let cells: [[Double]]?
        public let acceptLengths: [Int]?
        public let options: [Option]?
        public let box: [Double]?
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
    public let fields: [Field]
    public let policy: Policy

    public static func load(_ path: String) throws -> FormTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("template_not_found", "cannot read template \(path)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let template: FormTemplate
        do { template = try decoder.decode(FormTemplate.self, from: data) }
        catch { throw BlankettError("template_invalid", "\(path): \(Self.describe(error))") }
        try template.check()
        return template
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// Geometry that would make the reader misbehave is refused at load time, with the field named.
    private func check() throws {
        func bad(_ why: String) -> BlankettError { BlankettError("template_invalid", "template \(id): \(why)") }
        func rect(_ r: [Double], _ what: String) throws {
            guard r.count == 4, r[2] > 0, r[3] > 0, r[0] >= 0, r[1] >= 0,
                  r[0] + r[2] <= page.widthMm, r[1] + r[3] <= page.heightMm else { throw bad("\(what) is not a rectangle on the page") }
        }
        guard registrationMarks.count >= 3 else { throw bad("needs at least 3 registration marks") }
        for m in registrationMarks where m.center.count != 2 || m.size <= 0 { throw bad("mark \(m.name) is malformed") }
        try rect(identify.region, "identify.region")
        for f in fields {
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
