// The rules a keyed value must pass, checked as the clerk types (through the station's JSON
// endpoint) and again when the form is settled: the same FieldRules code the reader decodes
// with, chosen by the template's `validate`, so the browser never holds a second implementation.
import BlankettSupport
import FieldRules
import Foundation
import FormReader
import FormTemplate

public struct FieldCheck: Sendable {
    public struct Outcome: Sendable, Equatable {
        /// The value to settle: a personnummer in its 12 digits, a flag as "yes"/"no"; nil when invalid.
        public var value: String?
        /// Rule failures: the value cannot be settled as keyed.
        public var problems: [BlankettError] = []
        /// What the clerk should know but may settle anyway (a personnummer outside the register).
        public var warnings: [BlankettError] = []

        public var isValid: Bool { value != nil && problems.isEmpty }
    }

    public let template: FormTemplate
    public let register: MailingRegister?
    /// The campaign's mailing date when the item does not carry the one it was read with.
    public let mailingDate: CalendarDate?

    public init(template: FormTemplate, register: MailingRegister?, mailingDate: CalendarDate?) {
        self.template = template
        self.register = register
        self.mailingDate = mailingDate
    }

    /// `today` bounds the date of signing when the item carries no scan date.
    public func check(_ name: String, keyed: String, form: ReviewForm, today: CalendarDate) -> Outcome {
        guard let spec = template.field(name) else {
            return Outcome(value: nil, problems: [BlankettError("field_unknown", "the form has no field \(Personnummer.redacted(name))")])
        }
        let text = keyed.filter { !$0.isWhitespace && $0 != "-" }
        if text.isEmpty {
            return spec.required ? Outcome(value: nil, problems: [BlankettError("\(name)_missing", "\(name) is required")])
                : Outcome(value: "")
        }
        switch spec.kind {
        case .signature:
            switch text.lowercased() {
            case "1", "y", "yes", "j", "ja": return Outcome(value: "yes")
            case "0", "n", "no", "nej" where spec.required:
                return Outcome(value: nil, problems: [BlankettError("\(name)_missing", "the form is not signed: return it to the applicant")])
            case "0", "n", "no", "nej": return Outcome(value: "no")
            default: return Outcome(value: nil, problems: [BlankettError("\(name)_invalid", "a signature is 1 (present) or 0 (missing)")])
            }
        case .choice:
            let options = spec.options?.map(\.value) ?? []
            guard options.contains(text) else {
                return Outcome(value: nil, problems: [BlankettError("\(name)_invalid", "\(name) is one of \(options.joined(separator: ", "))")])
            }
            return Outcome(value: text)
        case .digits:
            let digits = text.compactMap(\.wholeNumberValue)
            guard digits.count == text.count else {
                return Outcome(value: nil, problems: [BlankettError("\(name)_not_digits", "\(name) holds only digits")])
            }
            return checkDigits(spec, digits, form: form, today: today)
        }
    }

    private func checkDigits(_ spec: FormTemplate.Field, _ digits: [Int], form: ReviewForm, today: CalendarDate) -> Outcome {
        let plain = digits.map(String.init).joined()
        switch spec.validate {
        case "personnummer":
            switch Personnummer.validate(digits, policy: template.personnummerPolicy) {
            case .failure(let problem): return Outcome(value: nil, problems: [problem.error])
            case .success(let number):
                var outcome = Outcome(value: number.digits)
                if let register, !register.contains(number.digits.compactMap(\.wholeNumberValue)) {
                    outcome.warnings.append(BlankettError("personnummer_not_in_register",
                                                          "\(number.masked) is not in the mailing register"))
                }
                return outcome
            }
        case "date_signed":
            let window = DateField(mailing: form.mailingDate ?? mailingDate, scan: form.scanDate ?? today)
            switch window.validate(digits) {
            case .failure(let problem): return Outcome(value: nil, problems: [BlankettError(problem.code, problem.message)])
            case .success: return Outcome(value: plain)
            }
        case "phone":
            switch PhoneField.validate(digits) {
            case .failure(let problem): return Outcome(value: nil, problems: [BlankettError(problem.code, problem.message)])
            case .success: return Outcome(value: plain)
            }
        default:
            let lengths = spec.acceptLengths ?? spec.cells.map { [$0.count] } ?? []
            guard lengths.isEmpty || lengths.contains(digits.count) else {
                return Outcome(value: nil, problems: [BlankettError("\(spec.name)_wrong_length", "\(spec.name) has \(lengths.map(String.init).joined(separator: " or ")) digits")])
            }
            return Outcome(value: plain)
        }
    }
}
