// Everything one thread needs to run the network on up to `capacity` samples: the activation
// at every layer boundary (kept for backward), each layer's scratch, two gradient buffers used
// in turn, and the parameter gradient. Allocated once per worker, so the hot path allocates nothing.
// Sendable so it can be handed to a worker; only that worker touches it while it runs.
public final class Workspace: @unchecked Sendable {
    public let capacity: Int
    let architecture: Architecture
    var activations: [UnsafeMutablePointer<Float>]
    var scratch: [UnsafeMutablePointer<Float>]
    var deltas: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    public internal(set) var gradients: UnsafeMutableBufferPointer<Float>

    public init(architecture: Architecture, capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.architecture = architecture
        let sizes = [architecture.input.count] + architecture.layers.map { $0.output.count }
        activations = sizes.map { Self.allocate($0 * capacity) }
        scratch = architecture.layers.map { Self.allocate(max($0.scratchPerSample, 1) * capacity) }
        let widest = sizes.max()! * capacity
        deltas = (Self.allocate(widest), Self.allocate(widest))
        gradients = UnsafeMutableBufferPointer(start: Self.allocate(architecture.parameterCount),
                                               count: architecture.parameterCount)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
        p.initialize(repeating: 0, count: count)
        return p
    }

    deinit {
        (activations + scratch + [deltas.0, deltas.1, gradients.baseAddress!]).forEach { $0.deallocate() }
    }

    public var input: UnsafeMutablePointer<Float> { activations[0] }
    public var logits: UnsafeMutablePointer<Float> { activations[activations.count - 1] }
}
