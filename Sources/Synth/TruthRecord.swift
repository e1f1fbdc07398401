// One line of truth.jsonl: the answer key for one synthetic file.
//
// Why JSON Lines with sorted keys and no optional key left out: one object per file can be
// streamed, grepped and compared line by line, sorted keys make the same run produce the same
// bytes, and an explicit null ("no phone number written") is easier on readers of the file
// than a missing key. This file is the only place a synthetic personnummer appears in plain
// text: it is the answer key, and the numbers belong to nobody.
import Foundation

public struct TruthRecord: Codable, Sendable, Equatable {
    public var file: String
    /// The page's own seed (derived from the run's seed and the page index).
    public var seed: UInt64
    public var `case`: PageCase
    /// "accepted", "needs_verification" or "rejected".
    public var expectedStatus: String
    /// One code per broken field (e.g. "personnummer_invalid", "uttag_several_marked"), or the
    /// error code a rejected file should get ("unknown_form", "not_png", ...).
    public var expectedReasons: [String]
    /// FieldRules' own, finer codes for the broken fields ("personnummer_check_digit", ...).
    public var expectedRuleCodes: [String]
    /// What was written; nil for files that hold no PM 7001 to read.
    public var fields: Fields?
    /// How the page was scanned; nil for files that are not a scan.
    public var scan: ScanSettings?
    /// MNIST indices of the digits drawn (test set unless SynthOptions.digits says otherwise), per field, in writing order.
    public var mnistIndices: [String: [Int]]
    /// Only on pages the pen-trajectory model wrote (SynthOptions.writers): the allograph of each
    /// digit ("7-crossed", …), per field, in writing order. The key is absent on MNIST pages, so
    /// that their truth stays byte for byte what it was before the model existed.
    public var allographs: [String: [String]]? = nil

    public struct Fields: Codable, Sendable, Equatable {
        /// The applicant's number as 12 digits: a 10-digit entry with its century added.
        public var personnummer: String?
        /// Exactly the digits written, 10 or 12.
        public var writtenPersonnummer: String?
        public var telefon: String?
        /// The marked option ("100", "75", "50", "25"), all of them if several, nil if none.
        public var uttag: Uttag?
        /// ÅÅÅÅMMDD as written.
        public var datum: String?
        public var namnteckning: Bool

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(personnummer, forKey: .personnummer)
            try c.encode(writtenPersonnummer, forKey: .writtenPersonnummer)
            try c.encode(telefon, forKey: .telefon)
            try c.encode(uttag, forKey: .uttag)
            try c.encode(datum, forKey: .datum)
            try c.encode(namnteckning, forKey: .namnteckning)
        }
    }

    /// One marked option as a string, several as a list, as the truth file shows them.
    public enum Uttag: Codable, Sendable, Equatable {
        case one(String)
        case several([String])

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let list = try? c.decode([String].self) { self = .several(list) } else { self = .one(try c.decode(String.self)) }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .one(let value): try c.encode(value)
            case .several(let values): try c.encode(values)
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(seed, forKey: .seed)
        try c.encode(`case`, forKey: .case)
        try c.encode(expectedStatus, forKey: .expectedStatus)
        try c.encode(expectedReasons, forKey: .expectedReasons)
        try c.encode(expectedRuleCodes, forKey: .expectedRuleCodes)
        try c.encode(fields, forKey: .fields)
        try c.encode(scan, forKey: .scan)
        try c.encode(mnistIndices, forKey: .mnistIndices)
        if let allographs { try c.encode(allographs, forKey: .allographs) }
    }

    /// The record as one line of JSON, without the newline.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decodeLines(_ text: String) throws -> [TruthRecord] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try text.split(separator: "\n").map { try decoder.decode(TruthRecord.self, from: Data($0.utf8)) }
    }
}
