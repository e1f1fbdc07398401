import BlankettSupport
import ConvNet
import XCTest

final class ModelFileTests: XCTestCase {
    func network() throws -> Network {
        var net = Network(architecture: try Architecture("c3x4,relu,pool,d10", input: Shape(8, 8, 1)), seed: 42)
        net.temperature = 1.37
        return net
    }

    func testRoundTripIsBitIdentical() throws {
        let net = try network()
        let path = NSTemporaryDirectory() + "/blankett-model-\(UUID().uuidString).bkn"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile.write(net, to: path)
        let back = try XCTUnwrap(ModelFile.read(path).members.first)
        XCTAssertEqual(back.architecture.spec, net.architecture.spec)
        XCTAssertEqual(back.temperature.bitPattern, net.temperature.bitPattern)
        XCTAssertEqual(back.parameters.map(\.bitPattern), net.parameters.map(\.bitPattern))
        XCTAssertEqual(ModelFile.encode(back), ModelFile.encode(net))
    }

    func testSameSeedSameWeights() throws {
        XCTAssertEqual(try network().parameters, try network().parameters)
    }

    func code(_ bytes: [UInt8]) -> String? {
        do { _ = try ModelFile.decode(bytes); return nil } catch { return (error as? BlankettError)?.code }
    }

    func testDamagedFilesFailWithTypedErrors() throws {
        let good = ModelFile.encode(try network())
        XCTAssertNil(code(good))
        XCTAssertEqual(code([]), "model_bad_magic")
        XCTAssertEqual(code(Array("{\"not\": \"a model\"}".utf8)), "model_bad_magic")
        XCTAssertEqual(code(Array(good.prefix(good.count / 2))), "model_checksum_mismatch")
        var flipped = good
        flipped[good.count / 2] ^= 0x10
        XCTAssertEqual(code(flipped), "model_checksum_mismatch")
        XCTAssertThrowsError(try ModelFile.read("/nonexistent/model.bkn")) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "model_not_found")
        }
    }

    /// A file whose checksum is right but whose header promises another shape: re-sealed by hand.
    func testArchitectureMismatchIsDetected() throws {
        var bytes = ModelFile.encode(try network())
        bytes.removeLast(32)
        let specStart = 8 + 4 + 4
        let spec = Array("c3x5".utf8)  // same length as "c3x4", more parameters
        bytes.replaceSubrange(specStart..<specStart + 4, with: spec)
        bytes += SHA256.digest(bytes)
        XCTAssertEqual(code(bytes), "model_architecture_mismatch")
        var version = ModelFile.encode(try network())
        version.removeLast(32)
        version[8] = 9
        version += SHA256.digest(version)
        XCTAssertEqual(code(version), "model_unsupported_version")
    }

    func testEnsembleRoundTripIsBitIdentical() throws {
        var other = Network(architecture: try Architecture("c3x2,relu,d10", input: Shape(8, 8, 1)), seed: 43)
        other.temperature = 0.8
        let ensemble = try Ensemble(members: [try network(), other], temperature: 1.05)
        let back = try ModelFile.decode(ModelFile.encode(ensemble))
        XCTAssertEqual(back.members.count, 2)
        XCTAssertEqual(back.temperature.bitPattern, ensemble.temperature.bitPattern)
        for (a, b) in zip(back.members, ensemble.members) {
            XCTAssertEqual(a.architecture.spec, b.architecture.spec)
            XCTAssertEqual(a.temperature.bitPattern, b.temperature.bitPattern)
            XCTAssertEqual(a.parameters.map(\.bitPattern), b.parameters.map(\.bitPattern))
        }
        XCTAssertEqual(ModelFile.encode(back), ModelFile.encode(ensemble))
        // A single network is written as it always was, so a member's file keeps its bytes.
        XCTAssertEqual(ModelFile.encode(Ensemble(other)), ModelFile.encode(other))
    }

    /// Ensemble headers that lie, re-sealed so that only the header is wrong.
    func testDamagedEnsembleHeadersAreTypedErrors() throws {
        let good = ModelFile.encode(try Ensemble(members: [try network(), try network()], temperature: 1))
        func resealed(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
            var bytes = Array(good.dropLast(32))
            edit(&bytes)
            return bytes + SHA256.digest(bytes)
        }
        XCTAssertEqual(code(resealed { $0[12] = 0 }), "model_invalid_values", "no members")
        XCTAssertEqual(code(resealed { $0[12] = 0xFF }), "model_invalid_values", "255 members")
        XCTAssertEqual(code(resealed { $0[12] = 3 }), "model_truncated", "a member short")
        XCTAssertEqual(code(resealed { $0.append(0) }), "model_architecture_mismatch", "bytes after the last member")
        XCTAssertEqual(code(resealed { $0.replaceSubrange(16..<20, with: [0, 0, 0, 0]) }), "model_invalid_values", "temperature 0")
    }
}
