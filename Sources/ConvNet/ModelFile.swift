// The weights file, little-endian throughout:
//   magic "BKTCNN\r\n" (8 bytes; the CR/LF pair catches text-mode mangling, as PNG's does)
//   u32 version, then
//     version 1 (one network):  a network record
//     version 2 (an ensemble):  u32 member count | f32 ensemble temperature | that many network records
//   32-byte SHA-256 of all that precedes.
// A network record: u32 n, n bytes architecture spec (UTF-8) | u32 input height, width, channels |
//   f32 temperature | u32 parameter count | parameters as f32.
// One network is always written as version 1, so a single trained network's file is the same
// whether or not it later joins an ensemble. Loading checks every field and names the first that fails.
import BlankettSupport
import Foundation

public enum ModelFile {
    static let magic: [UInt8] = Array("BKTCNN\r\n".utf8)
    static let networkVersion: UInt32 = 1, ensembleVersion: UInt32 = 2
    /// Members an ensemble file may hold; more means a damaged count.
    static let maxMembers = 64

    public static func encode(_ network: Network) -> [UInt8] { encode(Ensemble(network)) }

    public static func encode(_ ensemble: Ensemble) -> [UInt8] {
        var out = magic
        func put(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        if ensemble.members.count == 1 {
            put(networkVersion)
        } else {
            put(ensembleVersion)
            put(UInt32(ensemble.members.count))
            put(ensemble.temperature.bitPattern)
        }
        for network in ensemble.members {
            let spec = Array(network.architecture.spec.utf8)
            put(UInt32(spec.count)); out += spec
            let input = network.architecture.input
            put(UInt32(input.height)); put(UInt32(input.width)); put(UInt32(input.channels))
            put(network.temperature.bitPattern)
            put(UInt32(network.parameters.count))
            out.reserveCapacity(out.count + network.parameters.count * 4 + 32)
            for p in network.parameters { put(p.bitPattern) }
        }
        out += SHA256.digest(out)
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> Ensemble {
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
        func network() throws -> Network {
            let specLength = Int(try u32())
            guard at + specLength <= body.count else { throw fail("model_truncated", "ends inside the architecture") }
            let spec = String(decoding: body[at..<at + specLength], as: UTF8.self)
            at += specLength
            let input = Shape(Int(try u32()), Int(try u32()), Int(try u32()))
            let temperature = Float(bitPattern: try u32())
            let count = Int(try u32())
            let architecture = try Architecture(spec, input: input)
            guard !architecture.trainingOnly else { throw trainingLayers(spec) }
            guard count == architecture.parameterCount, body.count - at >= count * 4 else {
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

        let ensemble: Ensemble
        switch try u32() {
        case networkVersion:
            ensemble = Ensemble(try network())
        case ensembleVersion:
            let members = Int(try u32())
            guard (1...maxMembers).contains(members) else { throw fail("model_invalid_values", "\(members) ensemble members") }
            let temperature = Float(bitPattern: try u32())
            ensemble = try Ensemble(members: (0..<members).map { _ in try network() }, temperature: temperature)
        case let other:
            throw fail("model_unsupported_version", "version \(other), this build reads \(networkVersion) and \(ensembleVersion)")
        }
        guard at == body.count else {
            throw fail("model_architecture_mismatch", "\(body.count - at) bytes left after the last network")
        }
        return ensemble
    }

    /// Returns the bytes written, so that a manifest can hash them without encoding the model again.
    @discardableResult
    public static func write(_ ensemble: Ensemble, to path: String) throws -> [UInt8] {
        if let member = ensemble.members.first(where: \.architecture.trainingOnly) { throw trainingLayers(member.architecture.spec) }
        let bytes = encode(ensemble)
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw BlankettError("model_write_failed", "cannot write \(path): \(error.localizedDescription)") }
        return bytes
    }

    @discardableResult
    public static func write(_ network: Network, to path: String) throws -> [UInt8] { try write(Ensemble(network), to: path) }

    /// Model files hold networks as the reader runs them; `Network.forInference` makes one.
    private static func trainingLayers(_ spec: String) -> BlankettError {
        BlankettError("model_training_layers", "model file: architecture '\(spec)' still has training-only layers (bn, drop…); fold them first")
    }

    public static func read(_ path: String) throws -> Ensemble {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BlankettError("model_not_found", "cannot read model file \(path)")
        }
        return try decode([UInt8](data))
    }
}
