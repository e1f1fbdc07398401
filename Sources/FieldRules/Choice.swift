// Check boxes of which exactly one must be marked (uttag: how the pension is to be paid out).
//
// Why decoded jointly: each box's P(marked) is independent evidence, but the rule is about the
// set, so the value is the one box in the most probable marking and its confidence is
// P(that box marked and every other unmarked) = m_i · Π_{j≠i} (1 − m_j). When the most probable
// marking has no box or several, the applicant did not follow the rule; that is flagged, not
// resolved by picking the strongest mark.
extension ConstrainedDecoder {
    public func decodeExactlyOne(_ field: String = "uttag", options: [(value: String, marked: Double)])
        -> DecodedField<String>
    {
        let marks = options.map { $0.marked.isNaN ? 0.5 : min(max($0.marked, 0), 1) }
        let exactly = marks.indices.map { i in
            marks.indices.reduce(1.0) { $0 * ($1 == i ? marks[$1] : 1 - marks[$1]) }
        }
        let ranked = marks.indices.sorted { exactly[$0] > exactly[$1] }
        let listed = { (indices: [Int]) in indices.prefix(3).map { (value: options[$0].value, probability: exactly[$0]) } }
        let marked = marks.indices.filter { marks[$0] > 0.5 }
        guard marked.count == 1, let chosen = marked.first else {
            return DecodedField(field: field, value: nil, confidence: 0, alternatives: listed(ranked),
                                reasons: [marked.isEmpty ? "\(field)_none_marked" : "\(field)_several_marked"])
        }
        return DecodedField(field: field, value: options[chosen].value, confidence: exactly[chosen],
                            alternatives: listed(ranked.filter { $0 != chosen }),
                            reasons: exactly[chosen] < minConfidence ? ["\(field)_low_confidence"] : [])
    }
}
