// Which personnummer a form accepts, and the named ways a reading can break the rules.
//
// Why a policy and not constants: the birth-year window is what resolves the century of a
// 10-digit entry (ÅÅMMDD-NNNC), and it comes from each form's template.json, so it is data.
// Problems carry stable codes for queues and dashboards; their messages never quote digits.
import BlankettSupport

public struct PersonnummerPolicy: Sendable, Codable, Equatable {
    public var birthYearMin: Int
    public var birthYearMax: Int
    public var allowSamordningsnummer: Bool

    /// PM 7001 goes to people born 1934 or earlier.
    public static let pm7001 = PersonnummerPolicy(birthYearMin: 1900, birthYearMax: 1934, allowSamordningsnummer: true)

    public init(birthYearMin: Int, birthYearMax: Int, allowSamordningsnummer: Bool) {
        self.birthYearMin = birthYearMin
        self.birthYearMax = birthYearMax
        self.allowSamordningsnummer = allowSamordningsnummer
    }

    enum CodingKeys: String, CodingKey {
        case birthYearMin = "birth_year_min", birthYearMax = "birth_year_max"
        case allowSamordningsnummer = "allow_samordningsnummer"
    }

    public func contains(_ year: Int) -> Bool { (birthYearMin...birthYearMax).contains(year) }

    /// The birth year a two-digit ÅÅ stands for: the latest year in the window ending in ÅÅ. For
    /// windows under a century that year is unique; for wider ones "latest" matches how the
    /// hyphen form is read (the holder is under 100), nil when no year in the window fits.
    public func year(forTwoDigits yy: Int) -> Int? {
        let year = birthYearMax - ((birthYearMax % 100 - yy) % 100 + 100) % 100
        return year >= birthYearMin ? year : nil
    }
}

public enum PersonnummerProblem: Error, Equatable, Sendable {
    case wrongLength(Int), notDigits, invalidDate, birthYearOutsidePolicy, samordningsnummerNotAllowed, checkDigit

    public var code: String {
        switch self {
        case .wrongLength: "personnummer_wrong_length"
        case .notDigits: "personnummer_not_digits"
        case .invalidDate: "personnummer_invalid_date"
        case .birthYearOutsidePolicy: "personnummer_birth_year_outside_policy"
        case .samordningsnummerNotAllowed: "personnummer_samordningsnummer_not_allowed"
        case .checkDigit: "personnummer_check_digit"
        }
    }

    public var message: String {
        switch self {
        case .wrongLength(let n): "a personnummer has 10 or 12 digits, this reading has \(n)"
        case .notDigits: "the personnummer holds something other than digits"
        case .invalidDate: "the birth date of the personnummer does not exist"
        case .birthYearOutsidePolicy: "the birth year is outside what this form accepts"
        case .samordningsnummerNotAllowed: "this form does not accept a samordningsnummer"
        case .checkDigit: "the check digit does not match"
        }
    }

    public var error: BlankettError { BlankettError(code, message) }
}
