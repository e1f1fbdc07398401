// What the reader concluded about one file, reduced to what scoring needs: status, reasons and
// per field the value, confidence and reasons. No pixels and no timings: the benchmark keeps one
// of these per file for the whole run, so memory stays flat however many pages are read.
import FormReader

public struct ObservedField: Sendable, Equatable {
    public var name: String
    /// Flags as "true"/"false"; nil when the reader gives no value.
    public var value: String?
    public var confidence: Double
    public var reasons: [String]
    /// "certain", "flagged" or "verify", as ReadResult.Field.Standing spells them.
    public var standing: String

    /// Without a standing, a field with reasons is taken as held for a person.
    public init(name: String, value: String?, confidence: Double, reasons: [String], standing: String? = nil) {
        self.name = name
        self.value = value
        self.confidence = confidence
        self.reasons = reasons
        self.standing = standing ?? (reasons.isEmpty ? "certain" : "verify")
    }

    /// Passed on as certain: a value, and nothing flagged on the field. It must never be wrong.
    public var accepted: Bool { value != nil && reasons.isEmpty }
    /// Delivered with a value but flagged, for the robot to record as unverified.
    public var flagged: Bool { value != nil && standing == "flagged" }
}

public struct ObservedPage: Sendable, Equatable {
    public var file: String
    /// "accepted", "needs_verification" or "rejected", as ReadResult.Status spells them.
    public var status: String
    public var reasons: [String]
    public var fields: [ObservedField]
    /// The page's resolution as registered; nil when the page was not registered.
    public var dpi: Double?
    /// How the page was registered ("marks" or "content"); nil when it was not.
    public var registration: String?

    public init(file: String, status: String, reasons: [String], fields: [ObservedField], dpi: Double? = nil,
                registration: String? = nil) {
        self.file = file
        self.status = status
        self.reasons = reasons
        self.fields = fields
        self.dpi = dpi
        self.registration = registration
    }

    public func field(_ name: String) -> ObservedField? { fields.first { $0.name == name } }

    /// The same status, reasons and values, confidences aside: those differ between runs in the
    /// last float32 bits, the decisions must not.
    public func decides(like other: ObservedPage) -> Bool {
        status == other.status && reasons == other.reasons
            && fields.map { [$0.name, $0.value] + $0.reasons } == other.fields.map { [$0.name, $0.value] + $0.reasons }
    }

    public init(_ result: ReadResult) {
        self.init(file: result.file, status: result.status.rawValue, reasons: result.reasons,
                  fields: result.fields.map { f in
                      let value: String? = switch f.value {
                      case .text(let s): s
                      case .flag(let b): String(b)
                      case nil: nil
                      }
                      return ObservedField(name: f.name, value: value, confidence: f.confidence, reasons: f.reasons,
                                           standing: f.standing.rawValue)
                  },
                  dpi: result.form?.dpi, registration: result.form?.registration)
    }
}
