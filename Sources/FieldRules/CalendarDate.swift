// A proleptic Gregorian calendar date, just enough for the form's rules: leap years, month
// lengths, ordering and YYYYMMDD digits.
//
// Why not Foundation's Calendar: the rules need no time zones or locales, and a pure value type
// gives the same answer on every platform and inside tight decoder loops without allocation.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the date exists; 8-digit fields cap the year at 9999, and there is no year 0.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysInMonth(month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Eight digits ÅÅÅÅMMDD, as written in a comb field.
    public init?(digits: [Int]) {
        guard digits.count == 8, digits.allSatisfy((0...9).contains) else { return nil }
        let n = digits.reduce(0) { $0 * 10 + $1 }
        self.init(year: n / 10_000, month: n / 100 % 100, day: n % 100)
    }

    /// "YYYYMMDD" or "YYYY-MM-DD" (the scan date usually arrives in ISO form).
    public init?(_ text: String) {
        var chars = Array(text)
        if chars.count == 10, chars[4] == "-", chars[7] == "-" {
            chars.remove(at: 7)
            chars.remove(at: 4)
        }
        let digits = chars.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == chars.count else { return nil }
        self.init(digits: digits)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var digits: [Int] {
        [year / 1000, year / 100 % 10, year / 10 % 10, year % 10, month / 10, month % 10, day / 10, day % 10]
    }

    /// ISO 8601, "2025-03-14".
    public var description: String {
        let d = digits.map(String.init)
        return d[0..<4].joined() + "-" + d[4..<6].joined() + "-" + d[6..<8].joined()
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
