import BlankettSupport
import ConvNet
import XCTest

final class ConvolutionTests: XCTestCase {
    /// im2col + one GEMM must equal the textbook six-fold loop, padding included.
    func testIm2colGemmEqualsNaiveLoop() {
        for (kernel, padding) in [(3, 0), (3, 1), (5, 2), (1, 0)] {
            let layer = Convolution(input: Shape(9, 8, 3), kernel: kernel, outChannels: 5, padding: padding)
            var rng = SeededGenerator(seed: UInt64(kernel * 10 + padding))
            let batch = 2
            let x = (0..<batch * layer.input.count).map { _ in rng.uniform(-1, 1) }
            let p = (0..<layer.parameterCount).map { _ in rng.uniform(-1, 1) }
            var y = [Float](repeating: 0, count: batch * layer.output.count)
            var scratch = [Float](repeating: 0, count: layer.scratchPerSample * batch)
            layer.forward(x, &y, batch: batch, parameters: p, scratch: &scratch, pass: .measuring)

            let (ci, co, h, w) = (layer.input.channels, layer.output.channels, layer.input.height, layer.input.width)
            let patch = kernel * kernel * ci
            for n in 0..<batch {
                for oy in 0..<layer.output.height {
                    for ox in 0..<layer.output.width {
                        for o in 0..<co {
                            var sum = Double(p[patch * co + o])
                            for ky in 0..<kernel {
                                for kx in 0..<kernel {
                                    let iy = oy + ky - padding, ix = ox + kx - padding
                                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                    for c in 0..<ci {
                                        let weight = p[((ky * kernel + kx) * ci + c) * co + o]
                                        sum += Double(weight * x[n * layer.input.count + (iy * w + ix) * ci + c])
                                    }
                                }
                            }
                            let got = y[n * layer.output.count + (oy * layer.output.width + ox) * co + o]
                            XCTAssertEqual(Double(got), sum, accuracy: 1e-4, "k\(kernel) p\(padding) at \(n),\(oy),\(ox),\(o)")
                        }
                    }
                }
            }
        }
    }

    func testArchitectureShapesAndCounts() throws {
        let arch = try Architecture(Architecture.digits)
        XCTAssertEqual(arch.layers.last?.output, Shape(1, 1, 10))
        // c5x24 on 28×28: 25·24+24; c5x48 on 12×12×24: 600·48+48; d192 on 4×4×48; d10
        XCTAssertEqual(arch.parameterCount, 624 + 28_848 + (768 * 192 + 192) + 1_930)
        XCTAssertEqual(arch.flopsPerSample, 2 * (576 * 25 * 24 + 64 * 600 * 48 + 768 * 192 + 192 * 10))
    }

    func testInvalidArchitecturesAreTypedErrors() {
        for spec in ["", "c5x16", "c0x4,d10", "q3,d10", "c29x4,d10", "pool,pool,pool,pool,pool,d10"] {
            XCTAssertThrowsError(try Architecture(spec)) { error in
                XCTAssertEqual((error as? BlankettError)?.code, "invalid_architecture", spec)
            }
        }
    }
}
