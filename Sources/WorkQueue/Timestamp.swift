// Queue times as fixed-width UTC ISO 8601 text with milliseconds ("2025-11-20T08:15:30.125Z").
// Fixed width makes text order time order, so SQLite can sort and compare the columns directly,
// and the same text is what the exports and the outbox files show to a robot or a person.
// Formatted with gmtime_r/timegm: thread-safe, no formatter objects, identical on every platform.
import BlankettSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum Timestamp {
    /// Milliseconds since 1970, to the nearest (the precision the queue keeps).
    package static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// `date` at the queue's precision, so times compare the same before and after a round trip.
    package static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    static func format(_ date: Date) -> String {
        let ms = milliseconds(date)
        var seconds = time_t(ms.floorDivided(by: 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ms - ms.floorDivided(by: 1000) * 1000), 3))Z"
    }

    /// Parses exactly the form `format` writes; anything else is a damaged store.
    static func parse(_ text: String) throws -> Date {
        let bytes = Array(text.utf8)
        let digitsAt = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]
        let punctuation: [(Int, UInt8)] = [(4, 45), (7, 45), (10, 84), (13, 58), (16, 58), (19, 46), (23, 90)]
        guard bytes.count == 24, digitsAt.allSatisfy({ (48...57).contains(bytes[$0]) }),
              punctuation.allSatisfy({ bytes[$0.0] == $0.1 }) else {
            throw BlankettError("store_corrupt", "a stored time is not in the queue's format")
        }
        func number(_ from: Int, _ count: Int) -> Int32 {
            bytes[from..<from + count].reduce(0) { $0 * 10 + Int32($1 - 48) }
        }
        var parts = tm()
        parts.tm_year = number(0, 4) - 1900
        parts.tm_mon = number(5, 2) - 1
        parts.tm_mday = number(8, 2)
        parts.tm_hour = number(11, 2)
        parts.tm_min = number(14, 2)
        parts.tm_sec = number(17, 2)
        let seconds = Int64(timegm(&parts))
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(number(20, 3))) / 1000)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
