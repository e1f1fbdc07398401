// Free text that may hold a personnummer nobody has read as one — a file name a scanner operator
// typed, an error message quoting a path — made safe for a log line.
//
// Why whole runs and not only exact matches: the text is not validated, and an operator may name
// a file "19340512-1234", "340512 - 1234-2" or "x19340512_1234". So every run of digits whose gaps
// are one to three separators (- + _ . space en dash), ten digits or more in all, is masked as a
// whole, showing only digits that no personnummer inside the run keeps secret: the first six (a
// birth date at most), or the first eight when the run is exactly a 12-digit personnummer
// (ÅÅÅÅMMDD[-]NNNC with a valid check digit), so it reads like `Personnummer.masked`.
//
// The same text is escaped: a control or format character (a newline, ESC, a bidi override)
// and a byte that is not UTF-8 would forge a log line or hide a name, so each is shown as an
// escape (`\n`, `\u{1B}`, `\xE5`). They count as separators, so a name such as
// "19340512<TAB>1231" is masked like "19340512 1231" rather than shown because of its tab.
import Foundation

extension Personnummer {
    public static func redacted(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(where: { digit($0) != nil }) {
            out += escaped(rest[..<start])
            var digits: [Int] = [], gaps: [Int] = []
            var end = start
            while end < rest.endIndex {
                if let d = digit(rest[end]) {
                    digits.append(d)
                    end = rest.index(after: end)
                } else if let next = rest[end...].prefix(maxGap + 1).firstIndex(where: { !isSeparator($0) }),
                          next > end, digit(rest[next]) != nil {
                    gaps.append(digits.count)
                    end = next
                } else {
                    break
                }
            }
            out += digits.count < 10 ? escaped(rest[start..<end]) : masked(Array(digits.prefix(shown(digits, gaps: gaps) + 4)))
            rest = rest[end...]
        }
        return out + escaped(rest)
    }

    /// A file name as the kernel gave it: bytes that are not UTF-8 (a Latin-1 name written by a
    /// scanner on an SMB share) are kept as `\xHH` instead of being lost to U+FFFD.
    public static func redacted(bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var text = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : (0xC2...0xDF).contains(lead) ? 2 : (0xE0...0xEF).contains(lead) ? 3
                : (0xF0...0xF4).contains(lead) ? 4 : 0
            if length > 0, i + length <= bytes.count,
               let scalars = String(bytes: bytes[i..<(i + length)], encoding: .utf8)?.unicodeScalars, scalars.count == 1 {
                text.append(contentsOf: scalars)
                i += length
            } else {
                text.append(Unicode.Scalar(byteMark + UInt32(lead)) ?? "\u{FFFD}")
                i += 1
            }
        }
        return redacted(String(text))
    }

    /// Undecodable byte b is carried as the private-use scalar byteMark + b until it is escaped.
    private static let byteMark: UInt32 = 0x10FE00

    private static let separators: Set<Character> = ["-", "+", "_", ".", " ", "–"]

    private static func isSeparator(_ c: Character) -> Bool { separators.contains(c) || isHidden(c) }

    private static func isHidden(_ c: Character) -> Bool {
        c.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: true
            default: false
            }
        }
    }

    private static func escaped(_ text: Substring) -> String {
        guard text.contains(where: isHidden) else { return String(text) }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case byteMark + 0x80...byteMark + 0xFF: out += String(format: "\\x%02X", scalar.value - byteMark)
            default:
                out += isHidden(Character(scalar)) ? String(format: "\\u{%X}", scalar.value) : String(scalar)
            }
        }
        return out
    }
    private static let maxGap = 3

    private static func digit(_ c: Character) -> Int? {
        c.wholeNumberValue.flatMap { (0...9).contains($0) ? $0 : nil }
    }

    private static func shown(_ digits: [Int], gaps: [Int]) -> Int {
        let century = digits[0] * 10 + digits[1]
        let twelve = digits.count == 12 && gaps.allSatisfy { $0 == 8 } && (18...20).contains(century)
            && luhnDigit(digits[2..<11]) == digits[11]
        return twelve ? 8 : 6
    }
}
