// The date of signing (datum): eight cells ÅÅÅÅMMDD holding a real date inside a window.
//
// Why a window: a signature cannot postdate the scan, and cannot predate the mailing of the blank
// (or, when the mailing date is not given, the edition of the form); a date outside either bound
// is an applicant's slip or a misread, never something to repair silently. A campaign's window of
// a few weeks also pins the year and month cells, which is most of a date's doubt.
import BlankettSupport

public struct DateField: Sendable {
    public static let defaultNotBefore = CalendarDate(year: 2025, month: 1, day: 1)!
    public static let cellCount = 8
    /// The decoder's bound on one invalid reading's share of the mistakes (FieldRule.slipShare):
    /// an invalid date is one slip from at most 21 valid ones, of the 72 slips of a valid date.
    /// The worst is 29 February of a common year: eight other months, days 09 and 19, days 20–28
    /// and, in a window of several years, a leap year one digit away.
    public static let slipShare = 21.0 / 72

    public var notBefore: CalendarDate
    /// The scan date.
    public var notAfter: CalendarDate
    /// `notBefore` is the day the blank was mailed, so an earlier date is `datum_before_mailing`.
    public var notBeforeIsMailing = false

    public init(notBefore: CalendarDate = DateField.defaultNotBefore, notAfter: CalendarDate) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// The campaign's window: from the mailing date, or 2025-01-01 without one, to the scan date.
    public init(mailing: CalendarDate?, scan: CalendarDate) {
        self.init(notBefore: mailing ?? Self.defaultNotBefore, notAfter: scan)
        notBeforeIsMailing = mailing != nil
    }

    public func validate(_ digits: [Int]) -> Result<CalendarDate, DateProblem> {
        guard digits.count == Self.cellCount else { return .failure(.wrongLength(digits.count)) }
        guard let date = CalendarDate(digits: digits) else { return .failure(.invalidDate) }
        if date < notBefore { return .failure(notBeforeIsMailing ? .beforeMailing : .beforeNotBefore) }
        if notAfter < date { return .failure(.afterScanDate) }
        return .success(date)
    }
}

public enum DateProblem: Error, Equatable, Sendable {
    case wrongLength(Int), invalidDate, beforeNotBefore, beforeMailing, afterScanDate

    public var code: String {
        switch self {
        case .wrongLength: "datum_wrong_length"
        case .invalidDate: "datum_invalid_date"
        case .beforeNotBefore: "datum_before_not_before"
        case .beforeMailing: "datum_before_mailing"
        case .afterScanDate: "datum_after_scan_date"
        }
    }

    public var message: String {
        switch self {
        case .wrongLength(let n): "the date has \(n) digits, not 8 (ÅÅÅÅMMDD)"
        case .invalidDate: "the date does not exist in the calendar"
        case .beforeNotBefore: "the date is earlier than the form allows"
        case .beforeMailing: "the date is earlier than the mailing of the blank"
        case .afterScanDate: "the date is later than the scan"
        }
    }

    public var error: BlankettError { BlankettError(code, message) }
}
