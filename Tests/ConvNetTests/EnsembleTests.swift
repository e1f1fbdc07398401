import BlankettSupport
import ConvNet
import XCTest

final class EnsembleTests: XCTestCase {
    func network(seed: UInt64, temperature: Float) throws -> Network {
        var net = Network(architecture: try Architecture("c3x4,relu,pool,d10", input: Shape(8, 8, 1)), seed: seed)
        net.temperature = temperature
        return net
    }

    func samples(_ count: Int) -> [Float] {
        var rng = SeededGenerator(seed: 7)
        return (0..<(count * 64)).map { _ in Float.random(in: 0...1, using: &rng) }
    }

    func assertClose(_ a: [Float], _ b: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5, file: file, line: line) }
    }

    /// One network alone, or twins averaged, give the network's own probabilities at the same temperature.
    func testCommitteeOfOneOrOfTwinsIsTheNetwork() throws {
        let net = try network(seed: 1, temperature: 1.7), x = samples(5)
        assertClose(Ensemble(net).probabilities(x), net.probabilities(x))
        assertClose(try Ensemble(members: [net, net], temperature: 1.7).probabilities(x), net.probabilities(x))
    }

    /// The committee's logits are the members' mean, and the cascade (first member's logits
    /// reused) gives exactly what running every member gives.
    func testMeanLogitsAndCascadeAgree() throws {
        let a = try network(seed: 1, temperature: 1.2), b = try network(seed: 2, temperature: 0.8), c = try network(seed: 3, temperature: 1)
        let x = samples(6)
        let committee = try Ensemble(members: [a, b, c], temperature: 0.9)
        let mean = zip(zip(a.logits(x), b.logits(x)), c.logits(x)).map { ($0.0 + $0.1 + $1) / 3 }
        assertClose(committee.logits(x), mean)
        assertClose(committee.probabilities(x), Softmax.probabilities(mean, classes: 10, temperature: 0.9))
        let workspaces = [b, c].map { Workspace(architecture: $0.architecture, capacity: 4) }
        let cascade = x.withUnsafeBufferPointer {
            committee.probabilities($0, count: 6, primaryLogits: a.logits(x), workspaces: workspaces)
        }
        assertClose(cascade, committee.probabilities(x))
    }

    func testMembersMustAgreeOnInputAndTemperatureMustBePositive() throws {
        let small = try network(seed: 1, temperature: 1)
        let other = Network(architecture: try Architecture("d10", input: Shape(9, 9, 1)), seed: 1)
        XCTAssertThrowsError(try Ensemble(members: [small, other], temperature: 1)) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "model_architecture_mismatch")
        }
        XCTAssertThrowsError(try Ensemble(members: [small, small], temperature: 0)) {
            XCTAssertEqual(($0 as? BlankettError)?.code, "model_invalid_values")
        }
    }
}
