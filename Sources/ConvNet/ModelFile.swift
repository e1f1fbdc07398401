// The weights file, little-endian throughout:
//   magic "BKTCNN\r\n" (8 bytes; the CR/LF pair catches text-mode mangling, as PNG's does)
//   u32 version (1) | u32 n, n bytes architecture spec (UTF-8) | u32 input height, width, channels
//   f32 temperature | u32 parameter count | parameters as f32 | 32-byte SHA-256 of all that precedes.
// Loading checks every one of these and names the first that fails.
import BlankettSupport
import Foundation

public enum ModelFile {
    static let magic: [UInt8] = Array("BKTCNN\r\n".utf8)
    public static let version: UInt32 = 1

    public static func encode(_ network: Network) -> [UInt8] {
        var out = magic
        func put(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        put(version)
        let spec = Array(network.architecture.spec.utf8)
        put(UInt32(spec.count)); out += spec
        let input = network.architecture.input
        put(UInt32(input.height)); put(UInt32(input.width)); put(UInt32(input.channels))
        put(network.temperature.bitPattern)
        put(UInt32(network.parameters.count))
        out.reserveCapacity(out.count + network.parameters.count * 4 + 32)
        for p in network.parameters { put(p.bitPattern) }
        out += SHA256.digest(out)
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> Network {
        func fail(_ code: String, _ message: String) -> BlankettError { BlankettError(code, "model file: \(message)") }
        guard bytes.count >= magic.count + 32, Array(bytes.prefix(magic.count)) == magic else {
            throw fail("model_bad_magic", "not a Blankett network file")
        }
        let body = bytes.prefix(bytes.count - 32)
        guard SHA256.digest(body) == Array(bytes.suffix(32)) else {
            throw fail("model_checksum_mismatch", "checksum does not match (truncated or corrupted)")
        }
        var at = magic.count
        func u32() throws -> UInt32 {
            guard at + 4 <= body.count else { throw fail("model_truncated", "ends early") }
            defer { at += 4 }
            return UInt32(body[at]) | UInt32(body[at + 1]) << 8 | UInt32(body[at + 2]) << 16 | UInt32(body[at + 3]) << 24
        }
        let fileVersion = try u32()
        guard fileVersion == version else {
            throw fail("model_unsupported_version", "version \(fileVersion), this build reads \(version)")
        }
        let specLength = Int(try u32())
        guard at + specLength <= body.count else { throw fail("model_truncated", "ends inside the architecture") }
        let spec = String(decoding: body[at..<at + specLength], as: UTF8.self)
        at += specLength
        let input = Shape(Int(try u32()), Int(try u32()), Int(try u32()))
        let temperature = Float(bitPattern: try u32())
        let count = Int(try u32())
        let architecture = try Architecture(spec, input: input)
        guard count == architecture.parameterCount, body.count - at == count * 4 else {
            throw fail("model_architecture_mismatch",
                       "\(count) parameters stored, architecture '\(spec)' needs \(architecture.parameterCount)")
        }
        var parameters = [Float](repeating: 0, count: count)
        for i in 0..<count { parameters[i] = Float(bitPattern: try u32()) }
        guard temperature.isFinite, temperature > 0, parameters.allSatisfy(\.isFinite) else {
            throw fail("model_invalid_values", "temperature or weights are not finite")
        }
        return try Network(architecture: architecture, parameters: parameters, temperature: temperature)
    }

    public static func write(_ network: Network, to path: String) throws {
        do { try Data(encode(network)).write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw BlankettError("model_write_failed", "cannot write \(path): \(error.localizedDescription)") }
    }

    public static func read(_ path: String) throws -> Network {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("model_not_found", "cannot read model file \(path)")
        }
        return try decode([UInt8](data))
    }
}
