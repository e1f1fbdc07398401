// Personnummer the way an applicant writes them: valid ones, ones with a wrong check digit and
// ones whose birth date does not exist. Always the canonical 12 digits ÅÅÅÅMMDDNNNC; whether the
// applicant writes all 12 or the 10-digit form is decided by the caller.
//
// Why the check digit comes from FieldRules: the generator must agree with the reader on what
// a valid number is, so both use the one Luhn implementation.
import BlankettSupport
import FieldRules

enum PersonnummerMaker {
    /// Born on a day drawn evenly from the policy's years, or from `year` alone.
    static func valid(policy: PersonnummerPolicy, samordningsnummer: Bool, year: Int? = nil,
                      using rng: inout SeededGenerator) -> [Int] {
        let first = CalendarDate(year: year ?? policy.birthYearMin, month: 1, day: 1)!.dayNumber
        let last = CalendarDate(year: year ?? policy.birthYearMax, month: 12, day: 31)!.dayNumber
        let born = CalendarDate(dayNumber: first + rng.below(last - first + 1))
        return canonical(year: born.year, month: born.month, day: born.day + (samordningsnummer ? 60 : 0), using: &rng)
    }

    /// A valid number (`intended`, or one drawn) with its last digit replaced by one of the nine wrong ones.
    static func wrongCheckDigit(policy: PersonnummerPolicy, intended: [Int]? = nil, using rng: inout SeededGenerator) -> [Int] {
        var digits = intended ?? valid(policy: policy, samordningsnummer: false, using: &rng)
        digits[11] = (digits[11] + 1 + rng.below(9)) % 10
        return digits
    }

    /// A birth date that does not exist, with a correct check digit, so the date is the only fault:
    /// month 00 or 13, day 00, the day after the month's last (29 February in a common year
    /// among them), or a day 32–59, between real days and samordningsnummer days.
    static func invalidBirthDate(policy: PersonnummerPolicy, using rng: inout SeededGenerator) -> [Int] {
        let year = policy.birthYearMin + rng.below(policy.birthYearMax - policy.birthYearMin + 1)
        let month = 1 + rng.below(12)
        switch rng.below(5) {
        case 0: return canonical(year: year, month: 0, day: 1 + rng.below(28), using: &rng)
        case 1: return canonical(year: year, month: 13, day: 1 + rng.below(28), using: &rng)
        case 2: return canonical(year: year, month: month, day: 0, using: &rng)
        case 3: return canonical(year: year, month: month, day: CalendarDate.daysInMonth(month, year: year) + 1, using: &rng)
        default: return canonical(year: year, month: month, day: 32 + rng.below(28), using: &rng)
        }
    }

    /// ÅÅÅÅMMDD (day field as given), a random serial NNN and the Luhn digit over ÅÅMMDDNNN.
    private static func canonical(year: Int, month: Int, day: Int, using rng: inout SeededGenerator) -> [Int] {
        let date = [year / 1000, year / 100 % 10, year / 10 % 10, year % 10, month / 10, month % 10, day / 10, day % 10]
        let nine = Array(date[2...]) + rng.digits(3)
        return Array(date[..<2]) + nine + [Personnummer.luhnDigit(nine)]
    }
}
