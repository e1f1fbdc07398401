// A validated Swedish personnummer (or samordningsnummer) in its canonical 12-digit form, and the
// rules that make a digit string one: a real birth date (day + 60 for a samordningsnummer), a
// birth year the form's policy accepts, and the Luhn check digit.
//
// Why the type hides its digits: a personnummer identifies who gets paid, and it must never
// reach a log or an error message. Every textual view of the value (description, debug
// description, mirror) is the masked form "19340512-****"; the plain digits are only reachable
// through `digits`, which is meant for the processing queue.
public struct Personnummer: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// ÅÅÅÅMMDDNNNC.
    let canonical: [Int]

    private init(canonical: [Int]) { self.canonical = canonical }

    /// The 12 plain digits without hyphen, for the queue only, never for logs.
    public var digits: String { canonical.map(String.init).joined() }
    public var masked: String { Self.masked(canonical) }
    public var description: String { masked }
    public var debugDescription: String { "Personnummer(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }

    private var dayField: Int { canonical[6] * 10 + canonical[7] }
    public var isSamordningsnummer: Bool { dayField > 60 }
    public var birthYear: Int { canonical[0..<4].reduce(0) { $0 * 10 + $1 } }
    public var birthMonth: Int { canonical[4] * 10 + canonical[5] }
    /// The real day of birth, also for a samordningsnummer.
    public var birthDay: Int { isSamordningsnummer ? dayField - 60 : dayField }
    public var isMale: Bool { canonical[10] % 2 == 1 }

    /// Luhn (mod 10) check digit: weights 2,1,2,… from the left, two-digit products summed
    /// digit-wise. Over the 9 digits ÅÅMMDDNNN of the 10-digit form.
    public static func luhnDigit(_ nine: some Collection<Int>) -> Int {
        var sum = 0
        for (i, d) in nine.enumerated() { sum += luhnTerm(d, position: i) }
        return (10 - sum % 10) % 10
    }

    static func luhnTerm(_ digit: Int, position: Int) -> Int {
        guard position % 2 == 0 else { return digit }
        return digit * 2 > 9 ? digit * 2 - 9 : digit * 2
    }

    /// Any reading, valid or not, with the last four digits masked and anything that is not a
    /// digit (unreadable cells) shown as '?': safe to log.
    public static func masked(_ digits: [Int]) -> String {
        let shown = digits.dropLast(4).map { (0...9).contains($0) ? String($0) : "?" }.joined()
        return shown + "-" + String(repeating: "*", count: min(4, digits.count))
    }

    /// Accepts ÅÅÅÅMMDDNNNC or ÅÅMMDDNNNC (the century then comes from the policy).
    public static func validate(_ digits: [Int], policy: PersonnummerPolicy = .pm7001)
        -> Result<Personnummer, PersonnummerProblem>
    {
        guard digits.count == 10 || digits.count == 12 else { return .failure(.wrongLength(digits.count)) }
        guard digits.allSatisfy((0...9).contains) else { return .failure(.notDigits) }
        let short = Array(digits.suffix(10))
        let year: Int
        if digits.count == 12 {
            year = digits[0..<4].reduce(0) { $0 * 10 + $1 }
        } else {
            guard let resolved = policy.year(forTwoDigits: short[0] * 10 + short[1]) else {
                return .failure(.birthYearOutsidePolicy)
            }
            year = resolved
        }
        let dayField = short[4] * 10 + short[5]
        let samordning = dayField > 60
        guard CalendarDate(year: year, month: short[2] * 10 + short[3], day: samordning ? dayField - 60 : dayField)
            != nil else { return .failure(.invalidDate) }
        guard policy.contains(year) else { return .failure(.birthYearOutsidePolicy) }
        guard !samordning || policy.allowSamordningsnummer else { return .failure(.samordningsnummerNotAllowed) }
        guard luhnDigit(short.prefix(9)) == short[9] else { return .failure(.checkDigit) }
        return .success(Personnummer(canonical: [year / 1000, year / 100 % 10] + short))
    }
}
