// Every layer's backward against central finite differences of a random linear loss
// L = Σ r·y, so ∂L/∂y = r. Inputs keep away from ReLU's kink and max-pool ties, where the
// derivative is undefined and a finite difference would straddle two pieces.
import BlankettSupport
import ConvNet
import XCTest

final class GradientCheckTests: XCTestCase {
    func check(_ layer: any Layer, batch: Int = 2, pass: Pass = .measuring, file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededGenerator(seed: 7)
        let x = (0..<batch * layer.input.count).map { _ -> Float in
            let v = rng.uniform(0.1, 1)
            return rng.unit() < 0.5 ? -v : v
        }
        var params = [Float](repeating: 0, count: layer.parameterCount)
        params.withUnsafeMutableBufferPointer { layer.initialize($0, using: &rng) }
        for i in params.indices { params[i] += rng.uniform(-0.1, 0.1) }  // non-zero biases too
        let r = (0..<batch * layer.output.count).map { _ in rng.uniform(-1, 1) }
        var scratch = [Float](repeating: 0, count: max(1, layer.scratchPerSample * batch))

        func loss(_ x: [Float], _ p: [Float]) -> Double {
            var y = [Float](repeating: 0, count: batch * layer.output.count)
            layer.forward(x, &y, batch: batch, parameters: p, scratch: &scratch, pass: pass)
            return zip(y, r).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }

        var y = [Float](repeating: 0, count: batch * layer.output.count)
        layer.forward(x, &y, batch: batch, parameters: params, scratch: &scratch, pass: pass)
        var dx = [Float](repeating: 0, count: x.count)
        var dp = [Float](repeating: 0, count: params.count)
        layer.backward(x, y, r, &dx, batch: batch, parameters: params, gradients: &dp, scratch: &scratch)

        let eps: Float = 1e-2
        func numeric(_ f: (Float) -> Double) -> Double { (f(eps) - f(-eps)) / Double(2 * eps) }
        for i in stride(from: 0, to: x.count, by: max(1, x.count / 97)) {
            let n = numeric { d in var xp = x; xp[i] += d; return loss(xp, params) }
            XCTAssertEqual(Double(dx[i]), n, accuracy: 2e-3 + 2e-3 * abs(n), "∂L/∂x[\(i)]", file: file, line: line)
        }
        for i in stride(from: 0, to: params.count, by: max(1, params.count / 97)) {
            let n = numeric { d in var pp = params; pp[i] += d; return loss(x, pp) }
            XCTAssertEqual(Double(dp[i]), n, accuracy: 2e-3 + 2e-3 * abs(n), "∂L/∂p[\(i)]", file: file, line: line)
        }
    }

    func testConvolutionValid() { check(Convolution(input: Shape(7, 6, 2), kernel: 3, outChannels: 4, padding: 0)) }
    func testConvolutionPadded() { check(Convolution(input: Shape(6, 5, 3), kernel: 5, outChannels: 2, padding: 2)) }
    func testDense() { check(Dense(input: Shape(3, 2, 4), outputs: 5)) }
    func testReLU() { check(ReLU(input: Shape(4, 4, 3))) }
    /// Normalisation couples the samples, so the batch is larger than the other layers need.
    func testBatchNormAfterConvolution() { check(BatchNorm(input: Shape(4, 3, 5)), batch: 3) }
    func testBatchNormAfterDense() { check(BatchNorm(input: Shape(1, 1, 6)), batch: 5) }
    /// The mask depends on the seed only, so it is the same for every perturbed input.
    func testDropout() { check(Dropout(input: Shape(3, 3, 4), rate: 0.4), pass: .learning(noise: 17)) }

    func testMaxPool() {
        // Distinct, well separated values so that every window has one clear winner.
        let layer = MaxPool(input: Shape(5, 4, 2))
        var x = (0..<2 * layer.input.count).map { Float($0) * 0.1 }
        var rng = SeededGenerator(seed: 3)
        x.shuffle(using: &rng)
        let r = (0..<2 * layer.output.count).map { _ in rng.uniform(-1, 1) }
        var y = [Float](repeating: 0, count: r.count), dx = [Float](repeating: 0, count: x.count)
        let none: [Float] = [0]
        var scratch: [Float] = [0], gradients: [Float] = [0]
        layer.forward(x, &y, batch: 2, parameters: none, scratch: &scratch, pass: .measuring)
        layer.backward(x, y, r, &dx, batch: 2, parameters: none, gradients: &gradients, scratch: &scratch)
        for i in x.indices {
            var xp = x; xp[i] += 0.04
            var yp = [Float](repeating: 0, count: r.count)
            layer.forward(xp, &yp, batch: 2, parameters: none, scratch: &scratch, pass: .measuring)
            let numeric = zip(zip(yp, y), r).reduce(0.0) { $0 + Double(($1.0.0 - $1.0.1) * $1.1) } / 0.04
            XCTAssertEqual(Double(dx[i]), numeric, accuracy: 1e-3, "∂L/∂x[\(i)]")
        }
    }

    /// The whole digit network with softmax cross-entropy, on a few parameters of every layer.
    func testNetworkCrossEntropy() throws {
        try checkNetwork("c3x4p1,relu,pool,c3x6,relu,pool,d12,relu,d10", stride: 13)
    }

    /// The same with batch normalisation and dropout, whose masks stay fixed by the noise seed.
    func testNetworkWithTrainingOnlyLayers() throws {
        try checkNetwork("c3x4p1,bn,relu,pool,c3x6,bn,relu,pool,drop0.3,d12,bn,relu,drop0.5,d10", stride: 11)
    }

    private func checkNetwork(_ spec: String, stride step: Int) throws {
        let arch = try Architecture(spec, input: Shape(12, 12, 1))
        let network = Network(architecture: arch, seed: 11)
        var rng = SeededGenerator(seed: 5)
        let batch = 3
        let x = (0..<batch * arch.input.count).map { _ in rng.unit() }
        let labels: [Int32] = [3, 7, 1]
        let ws = Workspace(architecture: arch, capacity: batch)

        func loss(_ net: Network) -> Double {
            ws.input.update(from: x, count: x.count)
            ws.gradients.update(repeating: 0)
            return net.accumulateGradient(labels: labels, scale: batch, in: ws, noise: 99).loss / Double(batch)
        }
        _ = loss(network)
        let analytic = Array(ws.gradients)
        // Small enough not to cross ReLU kinks among ~1,700 pre-activations, large enough for Float.
        let eps: Float = 1e-3
        for i in stride(from: 0, to: arch.parameterCount, by: step) {
            var plus = network.parameters, minus = network.parameters
            plus[i] += eps; minus[i] -= eps
            let lp = loss(try Network(architecture: arch, parameters: plus, temperature: 1))
            let lm = loss(try Network(architecture: arch, parameters: minus, temperature: 1))
            let numeric = (lp - lm) / Double(2 * eps)
            XCTAssertEqual(Double(analytic[i]), numeric, accuracy: 3e-3 + 3e-2 * abs(numeric), "∂L/∂p[\(i)]")
        }
    }
}
