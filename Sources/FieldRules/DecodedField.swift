// The outcome of decoding one field: the accepted value (if any), the probability that it is what
// the applicant wrote, the runners-up, and stable reason codes for the verification queue.
//
// Why generic: digit fields decode to digit arrays and check boxes to option names, but the queue
// treats them alike. Why the custom descriptions: a personnummer field's value and alternatives
// must stay masked in every log line, including `print`, `dump` and string interpolation.
public struct DecodedField<Value: Hashable & Sendable>: Sendable, CustomStringConvertible, CustomReflectable {
    public let field: String
    /// Nil when no reading may be accepted (unreadable, or the applicant's own mistake).
    public let value: Value?
    /// P(value is what was written) under the decoder's model; 0 when `value` is nil.
    public let confidence: Double
    /// Other readings, most probable first, with their probabilities on the same scale.
    public let alternatives: [(value: Value, probability: Double)]
    public let reasons: [String]
    /// P(the applicant wrote a value the rules do not allow) under the same model: what a field
    /// that may be delivered doubtful must still hold the form for.
    public let invalidProbability: Double

    public init(field: String, value: Value?, confidence: Double,
                alternatives: [(value: Value, probability: Double)], reasons: [String], invalidProbability: Double = 0) {
        self.field = field
        self.value = value
        self.confidence = confidence
        self.alternatives = alternatives
        self.reasons = reasons
        self.invalidProbability = invalidProbability
    }

    /// A person must look at it.
    public var needsVerification: Bool { value == nil || !reasons.isEmpty }

    public var description: String {
        let shown = value.map(render) ?? "–"
        let others = alternatives.map { "\(render($0.value)) \(percent($0.probability))" }.joined(separator: ", ")
        return "\(field) \(shown) \(percent(confidence))"
            + (reasons.isEmpty ? "" : " [\(reasons.joined(separator: ", "))]")
            + (others.isEmpty ? "" : " alternatives: \(others)")
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["field": field, "value": value.map(render) ?? "–", "confidence": confidence,
                                "alternatives": alternatives.map { render($0.value) }, "reasons": reasons])
    }

    private func render(_ v: Value) -> String {
        guard let digits = v as? [Int] else { return "\(v)" }
        return field == FieldRule.personnummerField ? Personnummer.masked(digits) : digits.map(String.init).joined()
    }

    private func percent(_ p: Double) -> String { "\((p * 1000).rounded() / 10)%" }
}
