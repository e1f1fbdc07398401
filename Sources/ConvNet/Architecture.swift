// A network's architecture as a short spec string, e.g. "c5x16,relu,pool,c5x32,relu,pool,d128,relu,d10":
// c<k>x<n>[p<pad>] convolution, relu, pool (2×2 max), d<n> dense, and the training-only layers
// bn (batch normalisation, right after a convolution or dense layer, into which it is folded
// for inference) and drop<rate> (dropout, e.g. drop0.4). The string is what the weights file and
// the manifest record, so a file can only be loaded into the shape it was trained for.
import BlankettSupport

public struct Architecture: Sendable, CustomStringConvertible {
    public let spec: String
    public let input: Shape
    public let layers: [any Layer]

    /// The digit reader's network: ~4.7 MFLOP per digit. Wide enough for MNIST accuracy above
    /// 99.5 % with scan-like augmentation, small enough for ~10,000 digits/s on one core.
    public static let digits = "c5x24,relu,pool,c5x48,relu,pool,d192,relu,d10"

    public init(_ spec: String, input: Shape = Shape(28, 28, 1)) throws {
        self.spec = spec
        self.input = input
        var layers: [any Layer] = []
        var shape = input
        for token in spec.split(separator: ",").map(String.init) {
            let layer: any Layer
            if token == "relu" {
                layer = ReLU(input: shape)
            } else if token == "bn" {
                guard let last = layers.last, last is Convolution || last is Dense else {
                    throw Self.invalid(spec, "bn must follow a convolution or dense layer")
                }
                layer = BatchNorm(input: shape)
            } else if token.hasPrefix("drop") {
                guard let rate = Float(token.dropFirst(4)), rate > 0, rate < 1 else {
                    throw Self.invalid(spec, "dropout '\(token)' needs a rate above 0 and below 1, e.g. drop0.4")
                }
                layer = Dropout(input: shape, rate: rate)
            } else if token == "pool" {
                guard shape.height >= 2, shape.width >= 2 else { throw Self.invalid(spec, "pool on \(shape)") }
                layer = MaxPool(input: shape)
            } else if token.hasPrefix("d"), let n = Int(token.dropFirst()), n > 0 {
                layer = Dense(input: shape, outputs: n)
            } else if token.hasPrefix("c"), let conv = Self.convolution(token, input: shape) {
                guard conv.output.height > 0, conv.output.width > 0 else { throw Self.invalid(spec, "\(token) on \(shape)") }
                layer = conv
            } else {
                throw Self.invalid(spec, "unknown layer '\(token)'")
            }
            layers.append(layer)
            shape = layer.output
        }
        guard !layers.isEmpty, shape.height == 1, shape.width == 1 else {
            throw Self.invalid(spec, "must end in a dense layer")
        }
        self.layers = layers
    }

    private static func convolution(_ token: String, input: Shape) -> Convolution? {
        let parts = token.dropFirst().split(separator: "p", maxSplits: 1)
        let kn = parts[0].split(separator: "x")
        guard kn.count == 2, let k = Int(kn[0]), let n = Int(kn[1]), k > 0, n > 0 else { return nil }
        let pad = parts.count == 2 ? Int(parts[1]) : 0
        guard let pad, pad >= 0, pad < k else { return nil }
        return Convolution(input: input, kernel: k, outChannels: n, padding: pad)
    }

    private static func invalid(_ spec: String, _ why: String) -> BlankettError {
        BlankettError("invalid_architecture", "architecture '\(spec)': \(why)")
    }

    /// True when the spec holds a layer that only training uses (bn, drop…).
    public var trainingOnly: Bool { layers.contains { $0 is BatchNorm || $0 is Dropout } }

    /// The spec without its training-only layers: what the network is once folded for inference.
    public var inferenceSpec: String {
        zip(spec.split(separator: ","), layers).filter { !($0.1 is BatchNorm || $0.1 is Dropout) }
            .map { String($0.0) }.joined(separator: ",")
    }

    public var classes: Int { layers.last!.output.count }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    public var flopsPerSample: Int { layers.reduce(0) { $0 + $1.flops } }
    public var description: String { spec }

    /// Offsets of each layer's parameters in the flat parameter array.
    var parameterOffsets: [Int] {
        var offsets: [Int] = [], at = 0
        for layer in layers { offsets.append(at); at += layer.parameterCount }
        return offsets
    }
}
