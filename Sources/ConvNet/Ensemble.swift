// A committee of networks trained alike from different seeds (a deep ensemble, Lakshminarayanan
// et al., 2017). Their mistakes are partly independent, so the mean of their logits is right more
// often and, what the form reader needs most, is seldom very sure when it is wrong: a digit the
// members disagree on gets a flat distribution. The mean logits have a temperature of their own,
// fitted like a single network's. The first member keeps its own temperature so that it can
// also answer alone: the reader asks it first and the committee only about doubtful fields.
import BlankettSupport

/// Anything that turns samples into calibrated class probabilities.
public protocol Classifier: Sendable {
    var classes: Int { get }
    var inputSize: Int { get }
    /// Calibrated probabilities, `classes` per sample.
    func probabilities(_ samples: [Float]) -> [Float]
}

extension Network: Classifier {
    public func probabilities(_ samples: [Float]) -> [Float] { probabilities(samples, workspace: nil) }
}

public struct Ensemble: Classifier {
    public let members: [Network]
    /// Divides the members' mean logits.
    public var temperature: Float

    public init(members: [Network], temperature: Float) throws {
        guard let first = members.first else { throw BlankettError("model_invalid", "an ensemble needs at least one network") }
        for member in members.dropFirst() where member.architecture.input != first.architecture.input || member.classes != first.classes {
            throw BlankettError("model_architecture_mismatch",
                                "ensemble members differ in input or classes: '\(first.architecture)' and '\(member.architecture)'")
        }
        guard temperature.isFinite, temperature > 0 else { throw BlankettError("model_invalid_values", "ensemble temperature \(temperature)") }
        self.members = members
        self.temperature = temperature
    }

    /// One network on its own: its probabilities are the network's.
    public init(_ network: Network) {
        members = [network]
        temperature = network.temperature
    }

    public var primary: Network { members[0] }
    public var classes: Int { primary.classes }
    public var inputSize: Int { primary.inputSize }
    public var flopsPerSample: Int { members.reduce(0) { $0 + $1.architecture.flopsPerSample } }

    /// The members' mean raw logits, `classes` per sample.
    public func logits(_ samples: [Float]) -> [Float] {
        meanLogits(primary: primary.logits(samples)) { member, _ in member.logits(samples) }
    }

    public func probabilities(_ samples: [Float]) -> [Float] {
        probabilities(meanLogits: logits(samples))
    }

    /// The committee's probabilities when the first member's raw logits are already known (the
    /// reader's cascade): only the other members run, member k + 1 in `workspaces[k]`.
    public func probabilities(_ samples: UnsafeBufferPointer<Float>, count: Int, primaryLogits: [Float],
                              workspaces: [Workspace]) -> [Float] {
        precondition(primaryLogits.count == count * classes && workspaces.count >= members.count - 1)
        return probabilities(meanLogits: meanLogits(primary: primaryLogits) { member, k in
            member.logits(samples, count: count, workspace: workspaces[k])
        })
    }

    private func meanLogits(primary: [Float], others: (Network, Int) -> [Float]) -> [Float] {
        var sum = primary
        for (k, member) in members.dropFirst().enumerated() {
            for (i, z) in others(member, k).enumerated() { sum[i] += z }
        }
        let scale = 1 / Float(members.count)
        return sum.map { $0 * scale }
    }

    private func probabilities(meanLogits: [Float]) -> [Float] {
        Softmax.probabilities(meanLogits, classes: classes, temperature: temperature)
    }
}
