// Loading the mailing register from disk, once per process, under the template's policy.
//
// Why here and not in FieldRules: the rules stay pure; reading a file, checking what it is and
// who may read it is the reader's business. The path is masked in every message, since a file
// may be named after a person, and nothing of the file's contents is ever quoted.
import BlankettSupport
import FieldRules
import Foundation
import FormTemplate

extension MailingRegister {
    /// 100,000 members take 1.3 MB; a file far larger is not a register.
    public static let maxFileBytes = 256 << 20

    public struct Loaded: Sendable {
        public let register: MailingRegister
        /// Others than the owner and group may read the file: personal data left open.
        public let worldReadable: Bool
    }

    public static func load(_ path: String, policy: PersonnummerPolicy) throws -> Loaded {
        let shown = Personnummer.redacted(path)
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw BlankettError("register_not_found", "cannot read the register file \(shown)")
        }
        // A FIFO or device would block or never end; only a regular file is a register.
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw BlankettError("register_not_a_file", "the register \(shown) is not a regular file")
        }
        guard (attributes[.size] as? Int ?? 0) <= maxFileBytes else {
            throw BlankettError("register_too_large", "the register \(shown) is larger than \(maxFileBytes >> 20) MB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("register_not_found", "cannot read the register file \(shown)")
        }
        let mode = (attributes[.posixPermissions] as? Int) ?? 0
        return Loaded(register: try parse(Array(data), policy: policy), worldReadable: mode & 0o004 != 0)
    }
}

extension FormTemplate {
    /// The template's applicant policy in the rules' terms: the reader and the register take it alike.
    public var personnummerPolicy: PersonnummerPolicy {
        PersonnummerPolicy(birthYearMin: policy.birthYearMin, birthYearMax: policy.birthYearMax,
                           allowSamordningsnummer: policy.allowSamordningsnummer)
    }
}
