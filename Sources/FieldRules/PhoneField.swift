// The optional phone number (telefon): ten cells written from the left, either all empty or a
// Swedish national number: '0' followed by 6–9 more digits.
//
// Why so loose: area codes and subscriber numbers vary in length, so the trunk '0' and the total
// length are the only rules that hold for every number; anything stricter would reject real
// numbers. Left-alignment is a layout rule and is enforced by the decoder's cell shapes.
import BlankettSupport

public enum PhoneField {
    public static let cellCount = 10
    public static let lengths = 7...10

    /// The written digits in order; an empty array is the valid "no phone given".
    public static func validate(_ digits: [Int]) -> Result<[Int], PhoneProblem> {
        if digits.isEmpty { return .success([]) }
        guard digits.allSatisfy((0...9).contains) else { return .failure(.notDigits) }
        guard lengths.contains(digits.count) else { return .failure(.wrongLength(digits.count)) }
        guard digits[0] == 0 else { return .failure(.noLeadingZero) }
        return .success(digits)
    }
}

public enum PhoneProblem: Error, Equatable, Sendable {
    case wrongLength(Int), notDigits, noLeadingZero

    public var code: String {
        switch self {
        case .wrongLength: "telefon_wrong_length"
        case .notDigits: "telefon_not_digits"
        case .noLeadingZero: "telefon_no_leading_zero"
        }
    }

    public var message: String {
        switch self {
        case .wrongLength(let n): "the phone number has \(n) digits, not 7 to 10"
        case .notDigits: "the phone number holds something other than digits"
        case .noLeadingZero: "a Swedish phone number starts with 0"
        }
    }

    public var error: BlankettError { BlankettError(code, message) }
}
