// Free text that may hold a personnummer nobody has read as one — a file name a scanner operator
// typed, an error message quoting a path — made safe for a log line.
//
// Why whole runs and not only exact matches: the text is not validated, and an operator may name
// a file "19340512-1234", "340512 - 1234-2" or "x19340512_1234". So every run of digits whose gaps
// are one to three separators (- + _ . space en dash), ten digits or more in all, is masked as a
// whole, showing only digits that no personnummer inside the run keeps secret: the first six (a
// birth date at most), or the first eight when the run is exactly a 12-digit personnummer
// (ÅÅÅÅMMDD[-]NNNC with a valid check digit), so it reads like `Personnummer.masked`.
extension Personnummer {
    public static func redacted(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(where: { digit($0) != nil }) {
            out += rest[..<start]
            var digits: [Int] = [], gaps: [Int] = []
            var end = start
            while end < rest.endIndex {
                if let d = digit(rest[end]) {
                    digits.append(d)
                    end = rest.index(after: end)
                } else if let next = rest[end...].prefix(maxGap + 1).firstIndex(where: { !separators.contains($0) }),
                          next > end, digit(rest[next]) != nil {
                    gaps.append(digits.count)
                    end = next
                } else {
                    break
                }
            }
            out += digits.count < 10 ? String(rest[start..<end]) : masked(Array(digits.prefix(shown(digits, gaps: gaps) + 4)))
            rest = rest[end...]
        }
        return out + rest
    }

    private static let separators: Set<Character> = ["-", "+", "_", ".", " ", "–"]
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
