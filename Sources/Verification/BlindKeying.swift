// Whether a critical field keyed blind is settled: two independent readings must agree.
//
// Why: a clerk keying a field alone errs about 3.7 times in 10,000; two independent readings that
// agree are about eight times safer (Paulsen et al., PLoS One 2012). The machine's readings (its
// value and the alternatives it gave weight) are one reading, independent of the clerk who never
// saw them; another clerk's earlier keying of the same field is another. A first disagreement
// sends the clerk back to the picture; a second hands the form to someone else, since a third
// attempt by the same person is no longer an independent reading.
public enum BlindKeying {
    public enum Verdict: Equatable, Sendable {
        /// Settled: the keyed value is one of the machine's readings.
        case agreesWithMachine
        /// Settled: another clerk keyed the same value before.
        case agreesWithOperator(String)
        /// Key it again from the picture.
        case disagrees
        /// Two disagreements: only another clerk may settle the form.
        case secondOperator
    }

    /// `earlier` holds other clerks' keyings of this field (operator, value); `attempt` counts
    /// this clerk's keyings of it on this form, this one included.
    public static func judge(keyed: String, machine: [String], earlier: [(operator: String, value: String)],
                             by clerk: String, attempt: Int) -> Verdict {
        if machine.contains(keyed) { return .agreesWithMachine }
        if let other = earlier.first(where: { $0.operator != clerk && $0.value == keyed }) {
            return .agreesWithOperator(other.operator)
        }
        return attempt >= 2 ? .secondOperator : .disagrees
    }
}
