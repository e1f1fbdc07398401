// A field's rules as the decoder needs them: the cell layouts a writer may use, what the written
// digits mean (a canonical value, or the named rule they break), and the exact probability mass
// of all valid readings.
//
// Why the mass is part of the rule: the decoder's confidence divides by it, and only the rule
// knows how to sum its valid readings without listing them (see ValidMass).

/// A broken rule. Kept as the field's own problem so its code string is only built when someone
/// asks: the decoder interprets hundreds of readings per field and most of them break a rule.
enum FieldProblem: Error {
    case personnummer(PersonnummerProblem), date(DateProblem), phone(PhoneProblem)

    var code: String {
        switch self {
        case .personnummer(let p): p.code
        case .date(let p): p.code
        case .phone(let p): p.code
        }
    }
}

struct FieldRule: Sendable {
    static let personnummerField = "personnummer"

    let field: String
    /// Per layout, per cell: true where a digit must be written, false where the cell is empty.
    let shapes: [[Bool]]
    /// The written digits, in cell order, to a canonical value or the rule they break.
    let interpret: @Sendable ([Int]) -> Result<[Int], FieldProblem>
    /// Every cell-by-cell way to write a canonical value (digit, or -1 for empty): the 12- and
    /// 10-digit forms of one personnummer are one value, so their evidence adds up.
    let writings: @Sendable ([Int]) -> [[Int]]
    /// Σ over every valid reading of its probability under the cells.
    let validMass: @Sendable ([CellReading]) -> Double
    /// The most one invalid reading can weigh against a valid one, as a share of the odds
    /// (1 − π) / π that an applicant wrote an invalid value (see ConstrainedDecoder). 1 where
    /// nothing bounds it. A slip changes one digit of a valid value, and each of the n·9 slips of
    /// an n-digit value is as likely as any other; a reading is then as likely as the number of
    /// valid values one slip away from it, over n·9.
    var slipShare = 1.0

    var cellCount: Int { shapes[0].count }

    /// 12 cells: all written (ÅÅÅÅMMDDNNNC), or cells 1–2 empty and the 10-digit form in 3–12.
    static func personnummer(_ policy: PersonnummerPolicy) -> FieldRule {
        FieldRule(
            field: personnummerField,
            shapes: [Array(repeating: true, count: 12), [false, false] + Array(repeating: true, count: 10)],
            interpret: { Personnummer.validate($0, policy: policy).map(\.canonical).mapError(FieldProblem.personnummer) },
            writings: { value in
                let year = value[0..<4].reduce(0) { $0 * 10 + $1 }
                return policy.year(forTwoDigits: year % 100) == year ? [value, [-1, -1] + value[2...]] : [value]
            },
            validMass: { ValidMass.personnummer($0, policy: policy) },
            // The Luhn digit allows at most one digit per position, so a reading that fails it is
            // one slip away from at most 10 valid values (the century cells are not in the sum),
            // and one that passes it but breaks the date can be mended by no single digit except a
            // century cell: at most 10 of the ≥ 90 slips of a 10- or 12-digit number, < 1/9.
            slipShare: 1.0 / 9)
    }

    static func date(_ rule: DateField) -> FieldRule {
        FieldRule(
            field: "datum",
            shapes: [Array(repeating: true, count: DateField.cellCount)],
            interpret: { rule.validate($0).map(\.digits).mapError(FieldProblem.date) },
            writings: { [$0] },
            validMass: { ValidMass.date($0, rule) },
            slipShare: DateField.slipShare)
    }

    /// All empty, or a number of 7–10 digits from the left with the rest empty.
    static let phone = FieldRule(
        field: "telefon",
        shapes: ([0] + Array(PhoneField.lengths)).map { n in
            (0..<PhoneField.cellCount).map { $0 < n }
        },
        interpret: { PhoneField.validate($0).mapError(FieldProblem.phone) },
        writings: { [$0 + Array(repeating: -1, count: PhoneField.cellCount - $0.count)] },
        validMass: ValidMass.phone)
}
