// The scan date of a file read now: the local calendar day at the moment it is read, so that a
// daemon started yesterday dates today's scans today.
import Foundation

extension CalendarDate {
    public static func today(at now: Date = Date(), in zone: TimeZone = .current) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        // The Gregorian calendar always yields a valid day; the fallback only keeps this total.
        return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? CalendarDate(year: 1970, month: 1, day: 1)!
    }
}
