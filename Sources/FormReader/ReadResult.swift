// What reading one file produced, for people (a masked one-line summary) and machines (one JSON
// object). The JSON carries the personnummer in full, since the queue needs it; the summary,
// like every log line, masks it.
import BlankettSupport
import FieldRules
import Foundation
import PageImage

public struct ReadResult: Sendable {
    public enum Status: String, Sendable { case accepted, needsVerification = "needs_verification", rejected }

    public struct Form: Sendable {
        public let id: String, edition: Int
        public let dpi: Double, skewDegrees: Double
        public let orientation: String
        public let marksFound: Int
        /// "marks", or "content" when the page was registered from its print against the blank.
        public let registration: String
    }

    public struct Field: Sendable {
        /// How the field is passed on: as certain (it must never be wrong), delivered flagged
        /// (doubtful, but its cost lets the form through), or held for a person.
        public enum Standing: String, Sendable { case certain, flagged, verify }
        public enum Value: Sendable, Equatable {
            case text(String), flag(Bool)
            var json: Any { switch self { case .text(let s): s; case .flag(let b): b } }
        }
        public let name: String
        public let value: Value?
        public let confidence: Double
        public let alternatives: [(value: Value, probability: Double)]
        public let reasons: [String]
        /// Masks a personnummer in everything meant for people.
        let sensitive: Bool
        public internal(set) var standing = Standing.certain

        public init(name: String, value: Value?, confidence: Double, alternatives: [(value: Value, probability: Double)],
             reasons: [String], sensitive: Bool = false) {
            self.name = name
            self.value = value
            self.confidence = confidence
            self.alternatives = alternatives
            self.reasons = reasons
            self.sensitive = sensitive
        }

        /// Doubt about a value read, as the decoder names it: another threshold could lift it.
        public static func isDoubt(_ reason: String, field: String) -> Bool {
            reason == field + "_low_confidence" || reason == field + "_ambiguous"
        }

        public func shown(_ value: Value?) -> String {
            switch value {
            case nil: "–"
            case .flag(let b): b ? "yes" : "no"
            case .text(let s) where sensitive: Personnummer.masked(s.compactMap { $0.wholeNumberValue })
            case .text(let s): s.isEmpty ? "(empty)" : s
            }
        }
    }

    /// The file's name as shown: personnummer masked, control characters escaped.
    public let file: String
    public var sha256: String?
    public var status: Status = .rejected
    public var reasons: [String] = []
    public var error: BlankettError?
    public var form: Form?
    public var fields: [Field] = []
    public var timingsMs: [(stage: String, ms: Double)] = []
    /// Digit cells as extracted, per field, when `Options.keepCellImages` is set.
    public var cellImages: [String: [GrayImage]] = [:]
    /// Pictures of the doubtful fields, when `Options.keepDoubtfulFieldCrops` is set.
    public var fieldCrops: [String: GrayImage] = [:]
    /// The whole page, registered and at a glance's resolution, with the field crops: for the
    /// clerk who must see more than the doubtful fields.
    public var pageCrop: GrayImage?
    /// The window the date of signing was read in, so a clerk's station checks by the same one.
    public var scanDate: CalendarDate?
    public var mailingDate: CalendarDate?

    init(file: String) { self.file = file }

    /// A file refused without reading it (the daemon's FIFOs, links and folders).
    public init(file: String, rejectedWith error: BlankettError) {
        self.file = file
        self.error = error
        reasons = [error.code]
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    public var json: [String: Any] {
        var out: [String: Any] = ["file": file, "status": status.rawValue, "reasons": reasons,
                                  "timings_ms": Dictionary(uniqueKeysWithValues: timingsMs.map { ($0.stage, ($0.ms * 1000).rounded() / 1000) })]
        if let sha256 { out["sha256"] = sha256 }
        if let scanDate { out["scan_date"] = "\(scanDate)" }
        if let mailingDate { out["mailing_date"] = "\(mailingDate)" }
        if let error { out["error"] = ["code": error.code, "message": Personnummer.redacted(error.message)] }
        if let form {
            out["form"] = ["id": form.id, "edition": form.edition, "dpi": (form.dpi * 10).rounded() / 10,
                           "skew_deg": (form.skewDegrees * 100).rounded() / 100, "orientation": form.orientation,
                           "marks_found": form.marksFound, "registration": form.registration]
        }
        if !fields.isEmpty {
            out["fields"] = Dictionary(uniqueKeysWithValues: fields.map { f in
                (f.name, ["value": f.value?.json ?? NSNull(), "confidence": f.confidence, "reasons": f.reasons, "status": f.standing.rawValue,
                          "alternatives": f.alternatives.map { ["value": $0.value.json, "probability": $0.probability] }] as [String: Any])
            })
        }
        return out
    }

    public var jsonLine: String { jsonLine(adding: [:]) }

    /// The JSON line with more keys, such as what became of the delivery.
    public func jsonLine(adding extra: [String: Any]) -> String {
        let object = json.merging(extra) { _, new in new }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// One line for people; the personnummer masked.
    public var summary: String {
        let total = timingsMs.reduce(0) { $0 + $1.ms }
        // Error messages may quote what was read, which an operator may have named after the applicant.
        var parts = [file, status.rawValue]
        if let error { parts.append("\(error.code): \(Personnummer.redacted(error.message))") }
        if let form {
            parts.append(String(format: "%@ ed. %d, %.0f dpi, skew %.2f°, %@", form.id, form.edition, form.dpi,
                                form.skewDegrees, form.orientation) + (form.registration == "content" ? ", registered from its print" : ""))
        }
        for f in fields {
            parts.append("\(f.name) \(f.shown(f.value))" + (f.value == nil ? "" : String(format: " (%.1f %%)", 100 * f.confidence))
                         + (f.standing == .flagged ? " flagged" : ""))
        }
        if !reasons.isEmpty { parts.append("reasons: " + reasons.joined(separator: ", ")) }
        parts.append(String(format: "%.0f ms", total))
        return parts.joined(separator: " · ")
    }
}
