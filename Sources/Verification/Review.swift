// What one submission of the item page decides: problems to show, a disagreement to key again, a
// hand-over to a second operator, or the settled form. Pure, so the controller only stores what it
// is told and every path is tested without a browser.
import BlankettSupport
import FieldRules
import Foundation
import FormTemplate

public struct Submission: Sendable {
    /// Keyed values by field: the open fields, and any certain field the clerk unlocked.
    public var values: [String: String]
    /// Keys pressed per field, for the audit and the keystroke figures.
    public var keystrokes: [String: Int]

    public init(values: [String: String], keystrokes: [String: Int] = [:]) {
        self.values = values
        self.keystrokes = keystrokes
    }
}

/// One earlier keying of a blind field, from the audit trail.
public struct Keying: Sendable {
    public let clerk: String
    public let field: String
    public let value: String

    public init(clerk: String, field: String, value: String) {
        self.clerk = clerk
        self.field = field
        self.value = value
    }
}

public enum ReviewDecision: Sendable {
    /// Values that break the field's rules: shown, nothing stored.
    case invalid([String: [BlankettError]])
    /// Blind fields whose keying agreed with no reading, with the settled-valid values keyed.
    case disagreement(keyed: [String: String])
    /// The second disagreement on some field: another clerk must settle the form.
    case secondOperator(keyed: [String: String])
    /// The values to settle, with how each blind field was confirmed.
    case settle(values: [String: String], confirmations: [String: String])
}

public enum Review {
    /// `earlier` are the blind keyings already in the audit trail, this clerk's and others'.
    public static func decide(_ submission: Submission, form: ReviewForm, check: FieldCheck, clerk: String,
                              earlier: [Keying], today: CalendarDate) -> ReviewDecision {
        var problems: [String: [BlankettError]] = [:], values: [String: String] = [:]
        for field in form.fields {
            guard let keyed = submission.values[field.name] else {
                if field.isOpen { problems[field.name] = [BlankettError("\(field.name)_not_keyed", "\(field.name) must be keyed")] }
                continue
            }
            let outcome = check.check(field.name, keyed: keyed, form: form, today: today)
            if let value = outcome.value, outcome.problems.isEmpty { values[field.name] = value } else { problems[field.name] = outcome.problems }
        }
        guard problems.isEmpty else { return .invalid(problems) }

        var confirmations: [String: String] = [:], disagreeing: [String: String] = [:], secondOperator = false
        for field in form.fields where field.cost == .critical {
            guard let value = values[field.name], field.isOpen || value != field.value else { continue }
            let others = earlier.filter { $0.field == field.name }
            let attempt = others.filter { $0.clerk == clerk }.count + 1
            switch BlindKeying.judge(keyed: value, machine: field.readings, earlier: others.map { ($0.clerk, $0.value) },
                                     by: clerk, attempt: attempt) {
            case .agreesWithMachine: confirmations[field.name] = "machine"
            case .agreesWithOperator(let other): confirmations[field.name] = "operator:\(other)"
            case .disagrees: disagreeing[field.name] = value
            case .secondOperator: disagreeing[field.name] = value; secondOperator = true
            }
        }
        if secondOperator { return .secondOperator(keyed: disagreeing) }
        if !disagreeing.isEmpty { return .disagreement(keyed: disagreeing) }
        return .settle(values: values, confirmations: confirmations)
    }

    /// The application the robot gets: the reading with the settled values in place, each keyed
    /// field marked verified, and who settled it when.
    public static func settledContent(_ content: [String: Any], form: ReviewForm, values: [String: String],
                                      clerk: String, at time: Date) -> [String: Any] {
        var out = content
        var fields = content["fields"] as? [String: Any] ?? [:]
        for field in form.fields {
            guard let value = values[field.name] else { continue }
            var entry = fields[field.name] as? [String: Any] ?? [:]
            entry["machine_value"] = entry["value"] ?? NSNull()
            entry["value"] = field.kind == .signature ? (value == "yes") as Any : (value.isEmpty ? NSNull() : value as Any)
            entry["status"] = "verified"
            fields[field.name] = entry
        }
        out["fields"] = fields
        out["machine_reasons"] = content["reasons"] ?? []
        out["reasons"] = [String]()
        out["status"] = "accepted"
        out["source"] = "verified"
        out["verified_by"] = clerk
        out["verified_at"] = ISO8601DateFormatter().string(from: time)
        return out
    }
}
